"""Input bounded at the edge (issue 13): the plausible window of every date and time a user
types, and the longest text a field takes. The web forms (`*/forms.py`) and the API's inputs
(`*/api/inputs.py`) use the same checks, so a value refused on one is refused on the other.

A window is a validator: a callable that raises Django's `ValidationError`, which a Django form
field and a DRF serializer field both take in `validators=[…]`. It runs once the field has parsed
the value, so a date the database or the time-zone conversion cannot hold (year 1, year 9999)
never reaches a service:

- `received_at` — when a report was received: from 2000 to now, give or take a clock's skew;
- `past_moment` — anything else that has happened (an examination, a meeting, the police's
  receipt of a report): the same window;
- `past_day` — a decision's date (a plan's, a separation's, the police's, a sanction's, an
  inspection's…): from 2000 to today;
- `planned_day`, `planned_moment` — a day or time planned ahead (an inspection's planned days, a
  recommendation's due date, a new time limit): from 2000 to ten years from now;
- `date_of_birth` — not in the future, not before 1900; whether it gives a child's age on the
  report's day is the rule of `cases/ages.py`, checked with the report's date.

Free text (a TextField) takes at most `FREE_TEXT_MAX_LENGTH` characters; a CharField takes its
model column's `max_length`.

The API's times are `DateTimeField`s of this module: DRF's own checks a naive time by converting
it to UTC, which overflows for the first hours of year 1 in a zone east of UTC (Vietnam's).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.typing import StrOrPromise

# No record of this product can be older than this (the oldest case files typed in are later).
EARLIEST_DAY = datetime.date(2000, 1, 1)
EARLIEST_BIRTH_DAY = datetime.date(1900, 1, 1)
# A report received "now" on a device whose clock runs a little ahead is still now.
CLOCK_SKEW = datetime.timedelta(minutes=5)
# How far ahead a plan or a time limit may reach.
YEARS_AHEAD = 10
# The longest free text (a TextField) a form or the API takes: about five typed pages.
FREE_TEXT_MAX_LENGTH = 10_000

TOO_EARLY = _("This cannot be before the year %(year)s: check the year.")
IN_THE_FUTURE = _("This cannot be in the future.")
TOO_FAR_AHEAD = _("This cannot be more than %(years)s years ahead: check the year.")


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (28 February for a 29 February that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class DayWindow:
    """A date from `earliest` to today, or to `years_ahead` years from today."""

    def __init__(
        self,
        *,
        earliest: datetime.date = EARLIEST_DAY,
        years_ahead: int = 0,
        future_message: StrOrPromise | None = None,
    ) -> None:
        self.earliest = earliest
        self.years_ahead = years_ahead
        self.future_message = future_message

    def latest(self) -> datetime.date:
        return years_after(timezone.localdate(), self.years_ahead)

    def __call__(self, value: datetime.date) -> None:
        if isinstance(value, datetime.datetime):  # a moment given where a day is asked
            value = value.date()
        if value < self.earliest:
            raise ValidationError(TOO_EARLY, code="too_early", params={"year": self.earliest.year})
        if value > self.latest():
            raise too_late(self.years_ahead, self.future_message)


class MomentWindow:
    """A time from the start of `earliest` to now (plus a clock's skew), or to `years_ahead`
    years from now."""

    def __init__(
        self,
        *,
        earliest: datetime.date = EARLIEST_DAY,
        years_ahead: int = 0,
        future_message: StrOrPromise | None = None,
    ) -> None:
        self.earliest = earliest
        self.years_ahead = years_ahead
        self.future_message = future_message

    def first(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.earliest, datetime.time.min))

    def latest(self) -> datetime.datetime:
        now = timezone.now()
        if self.years_ahead:
            return now + (years_after(now.date(), self.years_ahead) - now.date())
        return now + CLOCK_SKEW

    def __call__(self, value: datetime.datetime) -> None:
        if timezone.is_naive(value):
            # Comparing a naive time with aware bounds would raise; the field makes times aware,
            # so only a caller's own value lands here.
            value = value.replace(tzinfo=datetime.UTC)
        if value < self.first():
            raise ValidationError(TOO_EARLY, code="too_early", params={"year": self.earliest.year})
        if value > self.latest():
            raise too_late(self.years_ahead, self.future_message)


def too_late(years_ahead: int, message: StrOrPromise | None) -> ValidationError:
    if years_ahead:
        return ValidationError(
            message or TOO_FAR_AHEAD, code="too_far_ahead", params={"years": years_ahead}
        )
    return ValidationError(message or IN_THE_FUTURE, code="future")


received_at = MomentWindow(future_message=_("The report cannot be received in the future."))
past_moment = MomentWindow()
past_day = DayWindow()
planned_day = DayWindow(years_ahead=YEARS_AHEAD)
planned_moment = MomentWindow(years_ahead=YEARS_AHEAD)
date_of_birth = DayWindow(
    earliest=EARLIEST_BIRTH_DAY,
    future_message=_("The date of birth cannot be in the future."),
)


class DateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, refusing (400) a time it cannot convert to UTC instead of failing."""

    def enforce_timezone(self, value: datetime.datetime) -> datetime.datetime:
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")
