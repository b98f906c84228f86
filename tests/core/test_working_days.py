"""Working days in Vietnam's time, and where day-counted deadlines end.

Weekends, the public holidays (loaded by the migration from the holidays library) and the days the
government swapped off do not count; a Saturday worked in exchange does. Deadlines counted in days
end at 24:00 of their last day — 00:00 of the next, local time — and move to the end of the next
working day when the last day is a day off (Civil Code 2015 Art. 148; Criminal Procedure Code
2015 Art. 134). Deadlines counted in hours end at the exact hour.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from core.clocks import Span, reminder_time
from core.models import CalendarDecision, Clock, Holiday, Unit
from core.working_days import (
    count_working_days,
    days_deadline,
    display_due,
    end_of_day,
    nth_working_day_after,
    working_days_deadline,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = datetime.UTC


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=VN)


def end_of(year: int, month: int, day: int) -> datetime.datetime:
    """24:00 local of that day."""
    return local(year, month, day) + datetime.timedelta(days=1)


# The cases, on the calendar the migration loads.


def test_five_working_days_from_monday_31_august_2026_end_on_9_september(calendar):
    # 31 Aug (swapped off, Saturday 22 Aug worked instead), 1 and 2 Sep (National Day) are off.
    due = Span(working_days=5).after(local(2026, 8, 31, 9, 0))

    assert due == end_of(2026, 9, 9)
    assert due.tzinfo is UTC
    assert due == datetime.datetime(2026, 9, 9, 17, 0, tzinfo=UTC)


def test_tet_2027_is_skipped(calendar):
    # Tết 2027: Saturday 6 February; off Thursday 4 to Wednesday 10 (the library's reading of
    # Art. 112 and the government's practice; the government's decision may move a day).
    assert Span(working_days=1).after(local(2027, 2, 3, 15, 0)) == end_of(2027, 2, 11)
    # Mon 1, Tue 2, Wed 3, then Tết, then Thu 11, Fri 12.
    assert Span(working_days=5).after(local(2027, 1, 29, 8, 0)) == end_of(2027, 2, 12)


def test_the_hung_kings_day_2027_is_skipped(calendar):
    # 10th of the third lunar month: Friday 16 April 2027.
    assert Span(working_days=1).after(local(2027, 4, 15, 10, 0)) == end_of(2027, 4, 19)


def test_a_make_up_saturday_counts(calendar):
    # The government swapped Monday 31 Aug 2026 for Saturday 22 Aug (from the library).
    assert Span(working_days=1).after(local(2026, 8, 21, 10, 0)) == end_of(2026, 8, 22)


def test_a_make_up_saturday_an_administrator_adds_counts(calendar):
    friday = local(2027, 3, 5, 10, 0)
    assert Span(working_days=1).after(friday) == end_of(2027, 3, 8)

    CalendarDecision.objects.create(
        date=datetime.date(2027, 3, 6), kind=CalendarDecision.Kind.WORKING_DAY, reason="Test"
    )

    assert Span(working_days=1).after(friday) == end_of(2027, 3, 6)
    assert count_working_days(datetime.date(2027, 3, 1), datetime.date(2027, 3, 7)) == 6


def test_a_day_swapped_off_is_skipped(calendar):
    CalendarDecision.objects.create(
        date=datetime.date(2027, 3, 8), kind=CalendarDecision.Kind.DAY_OFF, reason="Test"
    )

    assert Span(working_days=1).after(local(2027, 3, 5, 10, 0)) == end_of(2027, 3, 9)


def test_a_working_day_decision_wins_over_the_holiday_table(calendar):
    # Were the government to keep Thursday 4 Feb 2027 a working day, it counts.
    CalendarDecision.objects.create(
        date=datetime.date(2027, 2, 4), kind=CalendarDecision.Kind.WORKING_DAY, reason="Test"
    )

    assert Span(working_days=1).after(local(2027, 2, 3, 15, 0)) == end_of(2027, 2, 4)


# Where a day-counted deadline ends.


def test_working_days_end_at_24_00_of_the_last_day_whatever_the_start_time(calendar):
    assert Span(working_days=5).after(local(2026, 11, 26, 10, 0)) == end_of(2026, 12, 3)
    assert Span(working_days=5).after(local(2026, 11, 26, 0, 0)) == end_of(2026, 12, 3)
    assert Span(working_days=5).after(local(2026, 11, 26, 23, 59)) == end_of(2026, 12, 3)


def test_a_saturday_start_counts_five_working_days_from_monday(calendar):
    assert working_days_deadline(local(2026, 11, 28, 9, 15), 5) == end_of(2026, 12, 4)


def test_a_late_evening_start_counts_from_the_local_date(calendar):
    friday_late = datetime.datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # 23:30 in Vietnam

    assert working_days_deadline(friday_late, 1) == end_of(2026, 11, 30)


def test_an_early_morning_start_counts_from_the_local_date_not_the_utc_one(calendar):
    # 06:30 on Monday in Vietnam is still Sunday in UTC.
    monday_early = datetime.datetime(2026, 11, 29, 23, 30, tzinfo=UTC)

    assert working_days_deadline(monday_early, 1) == end_of(2026, 12, 1)  # Tuesday


def test_calendar_days_end_at_24_00_of_the_last_day(calendar):
    # 30 days after Tuesday 3 Nov 2026: Thursday 3 December, a working day.
    assert Span(days=30).after(local(2026, 11, 3, 14, 0)) == end_of(2026, 12, 3)


def test_calendar_days_ending_on_a_weekend_move_to_the_end_of_monday(calendar):
    # 4 days after Tuesday 1 Dec 2026 is Saturday 5 December.
    assert days_deadline(local(2026, 12, 1, 14, 0), 4) == end_of(2026, 12, 7)


def test_calendar_days_ending_in_tet_move_past_it(calendar):
    # 20 days after Saturday 16 Jan 2027 is Friday 5 Feb, Tết's eve; the next working day is
    # Thursday 11 Feb.
    assert Span(days=20).after(local(2027, 1, 16, 9, 0)) == end_of(2027, 2, 11)


def test_hours_end_at_the_exact_hour_even_over_a_holiday(calendar):
    eve = local(2027, 2, 5, 20, 0)
    assert Span(hours=12).after(eve) == local(2027, 2, 6, 8, 0)
    assert Span(hours=4).after(eve) == local(2027, 2, 6, 0, 0)


def test_a_clock_due_at_the_end_of_a_day_is_not_late_during_that_day(calendar):
    case_type = ContentType.objects.get_for_model(Unit)
    due = Span(working_days=1).after(local(2026, 11, 27, 10, 0))  # end of Monday 30 Nov
    clock = Clock(kind="test", subject_type=case_type, subject_id=1, due_at=due)

    assert not clock.is_overdue(now=local(2026, 11, 30, 23, 59))
    assert not clock.is_overdue(now=end_of(2026, 11, 30) - datetime.timedelta(microseconds=1))
    assert clock.is_overdue(now=end_of(2026, 11, 30))  # 24:00: the period is over
    clock.save()
    last_second = end_of(2026, 11, 30) - datetime.timedelta(seconds=1)
    assert not Clock.objects.due_by(last_second).filter(pk=clock.pk).exists()
    assert Clock.objects.due_by(end_of(2026, 11, 30)).filter(pk=clock.pk).exists()


def test_the_end_of_a_day_reads_as_24_00_of_that_day():
    assert end_of_day(datetime.date(2026, 9, 9)) == datetime.datetime(2026, 9, 9, 17, 0, tzinfo=UTC)
    assert display_due(end_of_day(datetime.date(2026, 9, 9))) == "09/09/2026 24:00"
    assert display_due(local(2026, 9, 9, 8, 30)) == "09/09/2026 08:30"


def test_a_span_is_counted_in_one_unit():
    with pytest.raises(ValueError):
        Span(hours=4, working_days=1)
    with pytest.raises(ValueError):
        Span(days=-1)


# The counting itself.


def test_a_holiday_run_longer_than_the_first_look_ahead_is_still_skipped(calendar):
    # Forty days off in a row: longer than the window the calendar is first read for.
    start = datetime.date(2027, 3, 1)
    Holiday.objects.bulk_create(
        [
            Holiday(date=start + datetime.timedelta(days=offset), name="Nghỉ")
            for offset in range(1, 41)
        ]
    )

    assert nth_working_day_after(start, 1) == datetime.date(2027, 4, 12)  # Monday after 10 Apr


def test_zero_working_days_is_the_day_itself_and_negative_is_refused(calendar):
    saturday = datetime.date(2026, 11, 28)
    assert nth_working_day_after(saturday, 0) == saturday
    with pytest.raises(ValueError):
        nth_working_day_after(saturday, -1)
    with pytest.raises(ValueError):
        days_deadline(local(2026, 11, 28), -1)


def test_a_week_has_five_working_days(calendar):
    monday, sunday = datetime.date(2026, 11, 23), datetime.date(2026, 11, 29)

    assert count_working_days(monday, sunday) == 5
    assert count_working_days(datetime.date(2026, 11, 28), sunday) == 0
    assert count_working_days(monday, monday) == 1


def test_holidays_are_not_counted(calendar):
    # Two weeks around Tết 2027: ten weekdays, five of them off.
    assert count_working_days(datetime.date(2027, 2, 1), datetime.date(2027, 2, 14)) == 5


def test_a_holiday_outside_the_range_changes_nothing(calendar):
    Holiday.objects.create(date=datetime.date(2026, 12, 1), name="Nghỉ")

    assert count_working_days(datetime.date(2026, 11, 23), datetime.date(2026, 11, 30)) == 6
    assert count_working_days(datetime.date(2026, 11, 23), datetime.date(2026, 12, 1)) == 6


def test_a_range_that_ends_before_it_starts_has_no_working_days(calendar):
    assert count_working_days(datetime.date(2026, 11, 27), datetime.date(2026, 11, 26)) == 0


@pytest.mark.django_db
def test_a_reminder_of_days_falling_on_a_day_off_comes_on_the_working_day_before():
    # The police's 20 days from 28 January 2026 run past Tết (14–22 February off): 75% of the
    # span falls on 17 February; the reminder comes at the opening of Friday 13 February.
    start = local(2026, 1, 28, 10)
    due = Span(days=20).after(start)
    assert due == end_of(2026, 2, 23)
    assert reminder_time(start, due) == local(2026, 2, 13, 7, 30)
    # Five working days from Monday 2 March: 75% falls on Saturday night; Friday it is.
    monday = local(2026, 3, 2, 9)
    assert reminder_time(monday, Span(working_days=5).after(monday)) == local(2026, 3, 6, 7, 30)
    # On a working day it stays at its share of the span (three days: Thursday, 02:15).
    due = Span(days=3).after(monday)
    assert reminder_time(monday, due) == monday + (due - monday) * 0.75 == local(2026, 3, 5, 2, 15)
    # Counted in hours, it comes at its hour, whatever the day (Saturday 14 February).
    assert reminder_time(local(2026, 2, 14, 10), local(2026, 2, 14, 22)) == local(2026, 2, 14, 19)
