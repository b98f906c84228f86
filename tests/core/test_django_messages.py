"""Django's own messages that its Vietnamese catalogue gets wrong read correctly
(core/django_messages.py)."""

from django import forms
from django.utils import translation


class Age(forms.Form):
    age = forms.IntegerField(min_value=0, max_value=17)


def errors_of(value: str) -> list[str]:
    with translation.override("vi"):
        form = Age({"age": value})
        form.is_valid()
        return [str(error) for error in form.errors["age"]]


def test_a_number_that_is_not_whole_is_refused_in_plain_vietnamese():
    assert errors_of("1.5") == ["Hãy nhập một số nguyên."]


def test_the_limits_of_a_number_end_without_a_space_before_the_full_stop():
    assert errors_of("-1") == ["Giá trị này phải lớn hơn hoặc bằng 0."]
    assert errors_of("18") == ["Giá trị này phải nhỏ hơn hoặc bằng 17."]
