"""Working days in Vietnam's time: Saturdays, Sundays and the holiday table are days off.

Legal deadlines in working days (Decree 56 Art. 28: five working days for the plan) are
counted here, and only here.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from core.models import Holiday

SATURDAY = 5


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def holidays_between(first: datetime.date, last: datetime.date) -> set[datetime.date]:
    return set(Holiday.objects.filter(date__range=(first, last)).values_list("date", flat=True))


def is_working_day(day: datetime.date, holidays: set[datetime.date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """The same local time of day, `days` working days after `start`.

    A report received on Saturday morning has its five working days end on Friday morning:
    the weekend itself does not count.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    local = start.astimezone(local_zone())
    day = local.date()
    # Fetch holidays for a window that surely covers the answer; widen it in the rare case
    # (a long holiday run) that it does not.
    window = days * 2 + 30
    holidays = holidays_between(day, day + datetime.timedelta(days=window))
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if day > local.date() + datetime.timedelta(days=window):
            window *= 2
            holidays = holidays_between(local.date(), local.date() + datetime.timedelta(window))
        if is_working_day(day, holidays):
            remaining -= 1
    return datetime.datetime.combine(day, local.timetz()).astimezone(datetime.UTC)


def count_working_days(first: datetime.date, last: datetime.date) -> int:
    """Working days in the closed range [first, last]; 0 when last is before first."""
    if last < first:
        return 0
    holidays = holidays_between(first, last)
    total = (last - first).days + 1
    return sum(
        is_working_day(first + datetime.timedelta(days=offset), holidays) for offset in range(total)
    )


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(local_zone()).date()
