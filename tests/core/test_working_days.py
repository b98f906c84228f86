"""Working days in Vietnam's time: weekends and the holiday table do not count, and a deadline
keeps the local time of day it started at."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from core.models import Holiday
from core.working_days import add_working_days, count_working_days

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = datetime.UTC


def local(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture
def tet_2027(db):
    # Tết 2027 falls on Saturday 6 February; the days off run Friday 5 to Thursday 11.
    for day in range(5, 12):
        Holiday.objects.create(date=datetime.date(2027, 2, day), name="Tết Nguyên đán")


def test_one_working_day_after_a_friday_morning_is_monday_morning(db):
    friday = local(2026, 11, 27, 10, 0)

    due = add_working_days(friday, 1)

    assert due == local(2026, 11, 30, 10, 0)
    assert due.tzinfo is UTC
    assert (due.date(), due.hour, due.minute) == (datetime.date(2026, 11, 30), 3, 0)


def test_five_working_days_from_a_saturday_end_on_friday_at_the_same_time(db):
    saturday = local(2026, 11, 28, 9, 15)

    assert add_working_days(saturday, 5) == local(2026, 12, 4, 9, 15)


def test_a_tet_holiday_run_does_not_count(tet_2027):
    thursday_before = local(2027, 2, 4, 14, 0)

    assert add_working_days(thursday_before, 1) == local(2027, 2, 12, 14, 0)
    assert add_working_days(thursday_before, 2) == local(2027, 2, 15, 14, 0)


def test_a_holiday_run_longer_than_the_first_look_ahead_is_still_skipped(db):
    # Forty days off in a row: longer than the window the holidays are first read for.
    start = datetime.date(2027, 3, 1)
    for offset in range(1, 41):
        Holiday.objects.create(date=start + datetime.timedelta(days=offset), name="Nghỉ")

    due = add_working_days(local(2027, 3, 1, 8, 0), 1)

    assert due == local(2027, 4, 12, 8, 0)  # the first Monday after 10 April


def test_a_late_evening_start_counts_from_the_local_date(db):
    friday_late = datetime.datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # 23:30 in Vietnam

    assert add_working_days(friday_late, 1) == local(2026, 11, 30, 23, 30)


def test_an_early_morning_start_counts_from_the_local_date_not_the_utc_one(db):
    # 06:30 on Monday in Vietnam is still Sunday in UTC.
    monday_early = datetime.datetime(2026, 11, 29, 23, 30, tzinfo=UTC)

    due = add_working_days(monday_early, 1)

    assert due == local(2026, 12, 1, 6, 30)  # Tuesday
    assert due == datetime.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)


def test_zero_working_days_is_the_same_moment(db):
    saturday = local(2026, 11, 28, 9, 15)

    assert add_working_days(saturday, 0) == saturday


def test_a_negative_number_of_days_is_refused(db):
    with pytest.raises(ValueError):
        add_working_days(local(2026, 11, 27, 10, 0), -1)


def test_a_week_has_five_working_days(db):
    monday, sunday = datetime.date(2026, 11, 23), datetime.date(2026, 11, 29)

    assert count_working_days(monday, sunday) == 5
    assert count_working_days(datetime.date(2026, 11, 28), sunday) == 0
    assert count_working_days(monday, monday) == 1


def test_holidays_are_not_counted(tet_2027):
    # Two weeks around Tết: ten weekdays, five of them off.
    assert count_working_days(datetime.date(2027, 2, 1), datetime.date(2027, 2, 14)) == 5


def test_a_holiday_outside_the_range_changes_nothing(db):
    Holiday.objects.create(date=datetime.date(2026, 12, 1), name="Nghỉ")

    assert count_working_days(datetime.date(2026, 11, 23), datetime.date(2026, 11, 30)) == 6
    assert count_working_days(datetime.date(2026, 11, 23), datetime.date(2026, 12, 1)) == 6


def test_a_range_that_ends_before_it_starts_has_no_working_days(db):
    assert count_working_days(datetime.date(2026, 11, 27), datetime.date(2026, 11, 26)) == 0
