"""`form_field` hands a form's own copy of a field, as the kind it is declared as."""

import pytest
from django import forms

from core.forms import form_field
from core.models import Unit


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none())
    note = forms.CharField()


def test_the_field_is_the_forms_own_copy():
    form = UnitForm()
    field = form_field(form, "unit", forms.ModelChoiceField)
    assert field is form.fields["unit"]
    assert field is not UnitForm.base_fields["unit"]


def test_a_field_of_another_kind_is_refused():
    with pytest.raises(TypeError, match=r"UnitForm\.note is not a ModelChoiceField"):
        form_field(UnitForm(), "note", forms.ModelChoiceField)
