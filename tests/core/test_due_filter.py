"""The `due` template filter prints a due time at the end of a day as 24:00 of that day; `moment`
writes any other time as `|date:"d/m/Y H:i"` did, in local time."""

import datetime

import pytest
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


def moment(value: object) -> str:
    return Template("{% load due_times %}{{ value|moment }}").render(Context({"value": value}))


@pytest.mark.parametrize(
    "value",
    [
        datetime.datetime(2026, 3, 5, 7, 4, tzinfo=datetime.UTC),  # 14:04 in Hà Nội
        datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC),  # the next day there
        datetime.datetime(2026, 1, 2, 3, 4),  # naive: written as it is
    ],
)
def test_a_moment_reads_as_the_date_filter_wrote_it(value):
    expected = Template('{{ value|date:"d/m/Y H:i" }}').render(Context({"value": value}))
    assert moment(value) == expected


def test_a_moment_is_written_in_local_time():
    assert (
        moment(datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)) == "01/01/2027 00:30"
    )


@pytest.mark.parametrize("value", [None, "", datetime.date(2026, 3, 5), "05/03/2026"])
def test_what_is_not_a_moment_reads_as_nothing(value):
    assert moment(value) == ""
