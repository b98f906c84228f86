"""Every select renders through core's template (options written inline, docs/performance.md),
byte for byte what Django's own templates write, whatever the options and their attributes."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

DJANGO_OWN = DjangoTemplates()  # Django's templates only, as before FORM_RENDERER was set


class MarkedSelect(forms.Select):
    """Options with attributes of their own, as a widget may give them."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"].update({"data-kind": f'"{value}" & <x>', "disabled": value == "b"})
        return option


CHOICES = [("", "—"), ("a", 'Trẻ em <16 & "gia đình"'), ("b", "Bạo lực")]
GROUPED = [("", "—"), ("Nhóm 1", [("a", "Một"), ("b", "Hai")]), ("Nhóm 2", [("c", "Ba")])]


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=CHOICES), None),
        (forms.Select(choices=CHOICES, attrs={"id": "id_x", "required": True}), "a"),
        (forms.Select(choices=GROUPED), "c"),
        (forms.SelectMultiple(choices=GROUPED), ["a", "c"]),
        (forms.NullBooleanSelect(), True),
        (MarkedSelect(choices=CHOICES), "b"),
    ],
)
def test_a_select_renders_as_djangos_own(widget, value):
    ours = widget.render("field", value, renderer=get_default_renderer())
    assert ours == widget.render("field", value, renderer=DJANGO_OWN)
    assert "<option" in ours


def test_the_products_renderer_is_the_one_with_core_templates():
    template = get_default_renderer().get_template("django/forms/widgets/select.html")
    assert "core/templates" in str(template.origin.name)
