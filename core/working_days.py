"""Working days and the end of day-counted deadlines, in Vietnam's time.

A day is a working day unless it is a Saturday, a Sunday, a public holiday (the Holiday table,
Labour Code 2019 Art. 112) or a day the government swapped off; a day the government has worked
in exchange (a CalendarDecision "working day", usually a Saturday) is a working day whatever else
it is.

Deadlines counted in days end at 24:00 of their last day, that is 00:00 of the next day, local
time; when the last day is a day off they end at 24:00 of the next working day (Civil Code 2015
Art. 147(2), Art. 148(1), (5), (6); Criminal Procedure Code 2015 Art. 134). The day of the event
itself does not count. Deadlines counted in hours end at the exact hour (core/clocks.py).
Legal deadlines in working days (Decree 56 Art. 28: five working days for the plan) are counted
here, and only here.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from core.models import CalendarDecision, Holiday

SATURDAY = 5


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Calendar:
    """The days off and the days worked in exchange of a range of dates."""

    days_off: frozenset[datetime.date]
    worked: frozenset[datetime.date]

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.worked:
            return True
        return day.weekday() < SATURDAY and day not in self.days_off


def calendar_between(first: datetime.date, last: datetime.date) -> Calendar:
    """Two queries: the holidays, and the government's decisions, of [first, last]."""
    holidays = set(Holiday.objects.filter(date__range=(first, last)).values_list("date", flat=True))
    decisions = CalendarDecision.objects.filter(date__range=(first, last)).values_list(
        "date", "kind"
    )
    worked = {day for day, kind in decisions if kind == CalendarDecision.Kind.WORKING_DAY}
    swapped_off = {day for day, kind in decisions if kind == CalendarDecision.Kind.DAY_OFF}
    return Calendar(days_off=frozenset(holidays | swapped_off), worked=frozenset(worked))


def is_working_day(day: datetime.date) -> bool:
    return calendar_between(day, day).is_working_day(day)


def _first_working_day(day: datetime.date, *, skip: int) -> datetime.date:
    """With skip=0, `day` itself if it is a working day, else the next one; with skip=n, the n-th
    working day after `day`."""
    # Read the calendar for a window that surely covers the answer; widen it in the rare case
    # (a long run of days off) that it does not.
    window = skip * 2 + 30
    calendar = calendar_between(day, day + datetime.timedelta(days=window))
    current = day
    if skip == 0 and calendar.is_working_day(current):
        return current
    remaining = max(skip, 1)
    while True:
        current += datetime.timedelta(days=1)
        if current > day + datetime.timedelta(days=window):
            window *= 2
            calendar = calendar_between(day, day + datetime.timedelta(days=window))
        if calendar.is_working_day(current):
            remaining -= 1
            if remaining == 0:
                return current


def nth_working_day_after(day: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `day` (the day itself never counts); `day` for 0."""
    if days < 0:
        raise ValueError("days must not be negative")
    return day if days == 0 else _first_working_day(day, skip=days)


def working_day_on_or_after(day: datetime.date) -> datetime.date:
    return _first_working_day(day, skip=0)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """24:00 local time of `day` (00:00 of the next day), in UTC."""
    midnight = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time(0), tzinfo=local_zone()
    )
    return midnight.astimezone(datetime.UTC)


def working_days_deadline(start: datetime.datetime, days: int) -> datetime.datetime:
    """The end (24:00) of the `days`-th working day after the local date of `start`.

    A report received on Saturday morning has its five working days end at the end of Friday:
    the weekend itself does not count.
    """
    return end_of_day(nth_working_day_after(local_date(start), days))


def days_deadline(start: datetime.datetime, days: int) -> datetime.datetime:
    """The end (24:00) of the `days`-th calendar day after the local date of `start`, or of the
    next working day when that day is a day off."""
    if days < 0:
        raise ValueError("days must not be negative")
    last = local_date(start) + datetime.timedelta(days=days)
    return end_of_day(working_day_on_or_after(last))


def count_working_days(first: datetime.date, last: datetime.date) -> int:
    """Working days in the closed range [first, last]; 0 when last is before first."""
    if last < first:
        return 0
    calendar = calendar_between(first, last)
    total = (last - first).days + 1
    return sum(
        calendar.is_working_day(first + datetime.timedelta(days=offset)) for offset in range(total)
    )


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(local_zone()).date()


def last_day(due_at: datetime.datetime) -> datetime.date:
    """The last day of a limit that ends at 24:00: the day before the midnight it is stored as."""
    return local_date(due_at - datetime.timedelta(microseconds=1))


def display_due(moment: datetime.datetime) -> str:
    """A due time as people read it: the end of a day is "24:00" of that day, not "00:00" of the
    next, which reads as a day early."""
    local = moment.astimezone(local_zone())
    if local.time() == datetime.time(0):
        return f"{local.date() - datetime.timedelta(days=1):%d/%m/%Y} 24:00"
    return f"{local:%d/%m/%Y %H:%M}"
