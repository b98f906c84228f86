"""Helpers for the web forms of every app."""

import datetime
from typing import Any, TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

from core import formats
from core.web import posted_id

FieldType = TypeVar("FieldType", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldType]) -> FieldType:
    """The form's own copy of the field `name`, as the kind of field it is declared as, to set
    what a request decides (a choice field's queryset or choices). `form.fields` holds plain
    `Field`s for the type checker; this checks and says which kind it is."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is not a {kind.__name__}")
    return field


def show_choices(field: forms.ModelChoiceField, choices: list[tuple[int, str]]) -> None:
    """Let a select of records render `choices`, read beforehand, instead of reading its
    queryset as it renders: a page with several such selects (the rows of a formset, a select
    per service) ran the same query for each. What is submitted is still looked up in the
    field's queryset, which alone decides what is accepted."""
    blank = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = [*blank, *choices]


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by id. Django looks the chosen ids up with `pk__in`, which, unlike
    one choice's exact lookup, hands an id past the key's range to the database, and SQLite
    cannot bind it (a 500): an id no row can have is an invalid choice before any lookup."""

    def clean(self, value: Any) -> Any:
        for chosen in value if isinstance(value, list | tuple) else ():
            if posted_id(str(chosen)) == 0:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": chosen},
                )
        return super().clean(value)


# --- Dates ----------------------------------------------------------------------------------------
# A date is typed as dd/mm/yyyy in a text box, in both languages. The browser's own picker
# (`type="date"`) shows the browser's locale, mm/dd/yyyy in an English Chromium, whatever the
# page's language.


class DateInput(forms.DateInput):
    """A text box showing a date as dd/mm/yyyy. Digits are what is typed (`inputmode`); a phone
    whose number pad has no "/" can type 25102026 (DateField)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "placeholder": _("dd/mm/yyyy"),
                "inputmode": "numeric",
                "autocomplete": "off",
                **(attrs or {}),
            },
            format=formats.DATE_WIDGET_FORMAT,
        )


class DateTimeInput(forms.DateTimeInput):
    """A text box showing a date and time as dd/mm/yyyy hh:mm. No numeric `inputmode`: the time
    needs a space and a colon, which a phone's number pad may not have."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"placeholder": _("dd/mm/yyyy hh:mm"), "autocomplete": "off", **(attrs or {})},
            format=formats.DATETIME_WIDGET_FORMAT,
        )


class DateField(forms.DateField):
    """A date typed day first (dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy or the eight digits
    ddmmyyyy) or as ISO yyyy-mm-dd, in either language."""

    widget = DateInput
    input_formats = formats.DATE_INPUT_FORMATS
    default_error_messages = {
        "invalid": _("Enter a valid date as dd/mm/yyyy, for example 25/10/2026."),
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, str) and len(value.strip()) == 8 and value.strip().isdigit():
            digits = value.strip()
            value = f"{digits[:2]}/{digits[2:4]}/{digits[4:]}"
        return super().to_python(value)


class DateTimeField(forms.DateTimeField):
    """A date and time typed day first (dd/mm/yyyy hh:mm) or as ISO (yyyy-mm-ddThh:mm), read in
    the user's time zone. A day-first date needs its time: the legal clocks start at the hour."""

    widget = DateTimeInput
    input_formats = formats.DATETIME_INPUT_FORMATS
    default_error_messages = {
        "invalid": _(
            "Enter a valid date and time as dd/mm/yyyy hh:mm, for example 25/10/2026 14:30."
        ),
    }
