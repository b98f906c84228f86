"""Helpers for the web forms of every app."""

from typing import TypeVar

from django import forms

FieldType = TypeVar("FieldType", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldType]) -> FieldType:
    """The form's own copy of the field `name`, as the kind of field it is declared as, to set
    what a request decides (a choice field's queryset or choices). `form.fields` holds plain
    `Field`s for the type checker; this checks and says which kind it is."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is not a {kind.__name__}")
    return field
