"""The plausible windows of dates and times, the lengths of text (core/validators.py), the fold
that fits its column, and that every form and API input uses them."""

import datetime
import importlib
import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from rest_framework import serializers

from cases.models import Child
from core import validators
from core.input_guard import Refused, check_json_escapes, json_depth
from core.text import FOLD_GROWTH, fold

INPUT_MODULES = [
    "cases.forms",
    "referrals.forms",
    "inspections.forms",
    "notifications.forms",
    "reports.forms",
    "cases.api.inputs",
    "referrals.api.inputs",
    "inspections.api.inputs",
]


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def refusal(validator: Any, value: Any) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        validator(value)
    return refused.value


# --- The windows --------------------------------------------------------------------------------


def test_a_report_is_received_from_2000_to_now_give_or_take_five_minutes() -> None:
    now = timezone.now()
    for accepted in (local(2000, 1, 1), now, now + datetime.timedelta(minutes=4)):
        validators.received_at(accepted)

    assert refusal(validators.received_at, local(1, 1, 1)).code == "too_early"
    assert refusal(validators.received_at, local(1999, 12, 31, 23, 59)).code == "too_early"
    late = refusal(validators.received_at, now + datetime.timedelta(minutes=6))
    assert late.messages == ["The report cannot be received in the future."]
    assert refusal(validators.received_at, local(9999, 12, 31, 23, 59)).code == "future"


def test_the_window_holds_in_any_time_zone_the_value_is_given_in() -> None:
    # 2000-01-01 00:30 in Vietnam is still 1999 in UTC: the bound is Vietnam's day.
    validators.received_at(datetime.datetime(1999, 12, 31, 17, 30, tzinfo=datetime.UTC))
    utc_1999 = datetime.datetime(1999, 12, 31, 16, 30, tzinfo=datetime.UTC)
    assert refusal(validators.received_at, utc_1999).code == "too_early"
    year_one = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
    assert refusal(validators.past_moment, year_one).code == "too_early"


def test_a_decision_is_dated_from_2000_to_today() -> None:
    today = timezone.localdate()
    validators.past_day(today)
    validators.past_day(datetime.date(2000, 1, 1))
    tomorrow = refusal(validators.past_day, today + datetime.timedelta(days=1))
    assert tomorrow.messages == ["This cannot be in the future."]
    early = refusal(validators.past_day, datetime.date(1999, 12, 31))
    assert early.messages == ["This cannot be before the year 2000: check the year."]


def test_what_is_planned_may_reach_ten_years_ahead() -> None:
    today = timezone.localdate()
    validators.planned_day(today + datetime.timedelta(days=365 * 9))
    far = refusal(validators.planned_day, today + datetime.timedelta(days=365 * 11))
    assert far.messages == ["This cannot be more than 10 years ahead: check the year."]
    validators.planned_moment(timezone.now() + datetime.timedelta(days=60))
    assert refusal(validators.planned_moment, local(9999, 1, 1)).code == "too_far_ahead"
    assert refusal(validators.planned_day, datetime.date(1, 1, 1)).code == "too_early"


def test_a_date_of_birth_is_not_in_the_future_nor_before_1900() -> None:
    today = timezone.localdate()
    validators.date_of_birth(today)
    validators.date_of_birth(datetime.date(1990, 5, 1))  # the age rule judges it, on its day
    assert refusal(validators.date_of_birth, today + datetime.timedelta(days=1)).messages == [
        "The date of birth cannot be in the future."
    ]
    assert refusal(validators.date_of_birth, datetime.date(1899, 12, 31)).code == "too_early"


def test_a_29_february_ten_years_on_is_28_february() -> None:
    assert validators.years_after(datetime.date(2028, 2, 29), 10) == datetime.date(2038, 2, 28)


# --- Every input uses them ----------------------------------------------------------------------


def input_classes() -> Iterator[tuple[str, type]]:
    for name in INPUT_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if not inspect.isclass(value) or value.__module__ != name:
                continue
            if issubclass(value, forms.BaseForm | serializers.Serializer):
                yield name, value


def declared_fields(cls: type) -> Iterator[tuple[str, Any]]:
    declared = "base_fields" if issubclass(cls, forms.BaseForm) else "_declared_fields"
    fields: dict[str, Any] = getattr(cls, declared)
    for name, field in fields.items():
        yield name, field
        if isinstance(field, serializers.ListField):
            yield f"{name}[]", field.child


def test_the_walk_sees_the_inputs() -> None:
    names = {cls.__name__ for _, cls in input_classes()}
    assert {"IntakeForm", "CaseCreateSerializer", "OutcomeForm", "PlanForm"} <= names


TEMPORAL = (forms.DateField, forms.DateTimeField, serializers.DateField, serializers.DateTimeField)


def has_window(field: Any) -> bool:
    windows = (validators.DayWindow, validators.MomentWindow)
    return any(isinstance(validator, windows) for validator in field.validators)


def test_every_date_and_time_of_a_form_or_an_api_input_has_its_window() -> None:
    unbounded = [
        f"{module}.{cls.__name__}.{name}"
        for module, cls in input_classes()
        for name, field in declared_fields(cls)
        if isinstance(field, TEMPORAL) and not has_window(field)
    ]
    assert not unbounded, "give these a window of core/validators.py:\n" + "\n".join(unbounded)


def test_every_time_of_an_api_input_is_the_field_that_cannot_overflow() -> None:
    drf = [
        f"{module}.{cls.__name__}.{name}"
        for module, cls in input_classes()
        for name, field in declared_fields(cls)
        if isinstance(field, serializers.DateTimeField)
        and not isinstance(field, validators.DateTimeField)
    ]
    assert not drf, "use core.validators.DateTimeField:\n" + "\n".join(drf)


def test_every_text_of_a_form_or_an_api_input_has_a_maximum_length() -> None:
    unbounded = [
        f"{module}.{cls.__name__}.{name}"
        for module, cls in input_classes()
        for name, field in declared_fields(cls)
        if isinstance(field, forms.CharField | serializers.CharField)
        and not (field.max_length and field.max_length <= validators.FREE_TEXT_MAX_LENGTH)
    ]
    assert not unbounded, "give these a max_length:\n" + "\n".join(unbounded)


def test_a_text_takes_what_the_column_of_the_same_name_holds() -> None:
    """An input named like a column of its app's models takes as much as that column: the
    column's max_length, or the free-text limit for a TextField."""
    columns: dict[tuple[str, str], set[int | None]] = {}
    for app in ("cases", "referrals", "inspections", "notifications", "reports"):
        for model in apps.get_app_config(app).get_models():
            for column in model._meta.get_fields():
                length: int | None
                if isinstance(column, models.CharField):
                    length = column.max_length
                elif isinstance(column, models.TextField):
                    length = validators.FREE_TEXT_MAX_LENGTH
                else:
                    continue
                columns.setdefault((app, column.name), set()).add(length)
    wrong = []
    for module, cls in input_classes():
        app = module.split(".")[0]
        for name, field in declared_fields(cls):
            if not isinstance(field, forms.CharField | serializers.CharField):
                continue
            lengths = columns.get((app, name)) or columns.get(("cases", name))
            if lengths and field.max_length not in lengths:
                wrong.append(f"{module}.{cls.__name__}.{name}: {field.max_length} not {lengths}")
    assert not wrong, "\n".join(wrong)


# --- The folded name fits its column ------------------------------------------------------------


def test_no_character_folds_to_more_than_fold_growth_characters() -> None:
    # Decomposition is character by character, and nothing after it lengthens text; so a name's
    # fold is at most FOLD_GROWTH times its length. (The planes beyond 2 hold no decomposition.)
    longest = max(len(fold(chr(code))) for code in range(0x30000) if not 0xD800 <= code <= 0xDFFF)
    assert longest == FOLD_GROWTH


def test_the_search_column_holds_the_fold_of_any_name_the_name_column_holds() -> None:
    name_length = int(Child._meta.get_field("full_name").max_length or 0)
    search_length = int(Child._meta.get_field("search_name").max_length or 0)
    assert search_length >= name_length * FOLD_GROWTH
    korean = "갃" * name_length  # each syllable decomposes into three letters
    assert len(fold(korean)) == name_length * FOLD_GROWTH <= search_length


# --- The guard's scanners -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        rb'{"a": "\u0000"}',
        rb'{"a": "\ud800"}',
        rb'{"a": "\udc00"}',
        rb'{"a": "\ud800\u0041"}',
        rb'{"a": "\ud800x"}',
        rb'{"a": "\ud800\n"}',
        rb'{"a": "\udc00\ud800"}',
    ],
)
def test_json_escapes_of_nul_and_lone_surrogates_are_refused(body: bytes) -> None:
    with pytest.raises(Refused):
        check_json_escapes(body)


@pytest.mark.parametrize(
    "body",
    [
        rb'{"a": "\ud83d\ude00"}',  # a pair: one emoji
        rb'{"a": "\\u0000"}',  # an escaped backslash, then the text "u0000"
        rb'{"a": "\\\\ud800"}',
        rb'{"a": "\u00e9\n\t\"x\""}',
        '{"a": "Nguyễn"}'.encode(),
    ],
)
def test_other_json_escapes_pass(body: bytes) -> None:
    check_json_escapes(body)


def test_json_depth_counts_brackets_outside_strings() -> None:
    assert json_depth(b"{}") == 1
    assert json_depth(b'{"a": [[1], {"b": "[[[["}]}') == 3
    assert json_depth(b"[" * 60 + b"]" * 60) == 60
    assert json_depth(rb'["\"[[[", []]') == 2
