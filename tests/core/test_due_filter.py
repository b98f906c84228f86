"""The `due` template filter prints a due time at the end of a day as 24:00 of that day."""

import datetime

from django.template import Context, Template
from django.utils import timezone


def render(value: object) -> str:
    return Template("{% load due_times %}{{ value|due }}").render(Context({"value": value}))


def test_a_due_time_at_midnight_reads_as_24_00_of_the_day_before():
    assert render(timezone.make_aware(datetime.datetime(2026, 9, 10, 0, 0))) == "09/09/2026 24:00"


def test_another_due_time_reads_as_it_is():
    assert render(timezone.make_aware(datetime.datetime(2026, 9, 10, 8, 30))) == "10/09/2026 08:30"


def test_no_due_time_reads_as_nothing():
    assert render(None) == ""
