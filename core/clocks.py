"""Kinds of clocks, and starting, meeting and stopping them, with spans from law, policy defaults
or the sysadmin.

Law and policy apart (DOMAIN §7): a kind registered with a `legal_basis` is fixed by law and no
ClockPolicy row may change it; the others are policy defaults an administrator may change. Spans
counted in hours end at the exact hour; spans counted in days or working days end at 24:00 of
their last day (core/working_days.py).

Each app registers every kind of clock it starts once, from its `AppConfig.ready()`: what the
deadline is called, its default span, the record it runs on, who owns it, and the code and link a
notification names. Core and the notifications then handle any clock through this registry,
without knowing the apps built on core.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.utils import timezone
from django.utils.functional import Promise

from core.clock_law import fix_in_law, legal_basis, name_kind
from core.errors import Conflict
from core.models import Clock, ClockPolicy, User
from core.policy import escalation_chain, reminder_fraction
from core.working_days import (
    calendar_between,
    days_deadline,
    local_date,
    local_zone,
    working_days_deadline,
)


@dataclass(frozen=True)
class Span:
    """A deadline's length in one unit: hours, calendar days or working days."""

    hours: int = 0
    days: int = 0
    working_days: int = 0

    def __post_init__(self) -> None:
        values = (self.hours, self.days, self.working_days)
        if any(value < 0 for value in values) or sum(1 for value in values if value) > 1:
            raise ValueError(f"A span is counted in one unit, not negative: {self!r}")

    def after(self, start: datetime.datetime) -> datetime.datetime:
        """When the deadline ends: the exact hour for hours; 24:00 of the last day for days and
        working days, a plain-days deadline moving to the next working day when its last day is
        a day off (Civil Code 2015 Art. 148; Criminal Procedure Code 2015 Art. 134)."""
        if self.working_days:
            return working_days_deadline(start, self.working_days)
        if self.days:
            return days_deadline(start, self.days)
        return start + datetime.timedelta(hours=self.hours)


Subject = TypeVar("Subject", bound=models.Model)


@dataclass(frozen=True)
class ClockKind(Generic[Subject]):
    """One kind of deadline, as the app that starts it describes it."""

    kind: str
    # Lazily translated: it is rendered in the reader's language, long after registration.
    label: str | Promise
    # The law's span or a policy default; a sysadmin's ClockPolicy row overrides it.
    span: Span
    # The record the clock runs on (Clock.subject).
    model: type[Subject]
    # Who must act before it runs out: reminded before, told of the breach after.
    owners: Callable[[Clock, Subject], list[User]]
    # The code a notification names (never a child's name) and the page it links to.
    code: Callable[[Subject], str]
    link: Callable[[Subject], str]
    # The law that fixes the span ("Decree 56 Art. 26"); empty for a policy default. A kind fixed
    # by law has no ClockPolicy row: the admin refuses one and span_of ignores it.
    legal_basis: str | Promise = ""
    # For a sweep's batch: the relations `code` and `link` read (select_related), and a function
    # reading the owners of many records at once, so that the batch costs the same few queries
    # whatever its size (core.staff.remember_units, remember_agencies).
    related: tuple[str, ...] = ()
    remember_owners: Callable[[list[Subject]], None] | None = None
    # A period that ends by itself rather than a deadline to act (a separation's period): at
    # its due time the sweep meets the clock and tells its owners this event (a notification
    # event, notifications/texts.py); nothing is breached, nobody above them is alerted.
    end_event: str = ""

    @property
    def is_law(self) -> bool:
        return bool(self.legal_basis)


_kinds: dict[str, ClockKind[Any]] = {}


def register_clock_kind(clock_kind: ClockKind[Any]) -> None:
    """Register a kind once; the same definition again (ready() run twice) changes nothing."""
    known = _kinds.get(clock_kind.kind)
    if known is not None and known != clock_kind:
        raise ImproperlyConfigured(f"The clock kind {clock_kind.kind!r} is registered twice.")
    _kinds[clock_kind.kind] = clock_kind
    name_kind(clock_kind.kind, clock_kind.label)
    if clock_kind.legal_basis:
        fix_in_law(clock_kind.kind, clock_kind.legal_basis)


def registered_kinds() -> list[ClockKind[Any]]:
    return sorted(_kinds.values(), key=lambda known: known.kind)


def registered_kind(kind: str) -> ClockKind[Any] | None:
    """The registered kind; None for a kind no app registers (any more)."""
    return _kinds.get(kind)


def clock_label(kind: str) -> str:
    """What the deadline is called, in the active language; an unknown kind reads as its code."""
    registered = _kinds.get(kind)
    return str(registered.label) if registered is not None else kind


def span_of(kind: str) -> Span:
    """The administrator's span for a policy kind, else the registered one; a kind fixed by law
    always has its registered span, whatever the table holds."""
    if legal_basis(kind) is None:
        policy = ClockPolicy.objects.filter(kind=kind).first()
        if policy is not None:
            return Span(hours=policy.hours, days=policy.days, working_days=policy.working_days)
    return _kinds[kind].span


def start_clock(
    *,
    kind: str,
    subject: models.Model,
    unit_path: str,
    start: datetime.datetime | None = None,
    due_at: datetime.datetime | None = None,
) -> Clock:
    """Start a clock of `kind` on `subject`. `unit_path` is the subject's: the lists find a
    reader's overdue records by their open clocks' path (core.deadlines.late_keys), so a clock
    without it would leave its record never overdue to anyone."""
    start = start or timezone.now()
    due_at = due_at or span_of(kind).after(start)
    clock = Clock(
        kind=kind,
        subject=subject,
        unit_path=unit_path,
        started_at=start,
        due_at=due_at,
        remind_at=reminder_time(start, due_at),
    )
    clock.next_action_at = first_action(clock)
    clock.save()
    return clock


def first_action(clock: Clock) -> datetime.datetime | None:
    """A new or rescheduled clock's first call on the sweep: its reminder, which comes before it
    is due (the chain is read only for a clock reminded at the very end of its span)."""
    if clock.remind_at is not None and clock.remind_at < clock.due_at:
        return clock.remind_at
    return clock.next_action(chain_for(clock.kind, escalation_chain()))


# The one step of a clock that ends by itself: at its due time, for its owners alone.
AT_ITS_END: list[tuple[str, int]] = [("", 0)]


def chain_for(kind: str, chain: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The steps the sweep takes once a clock of `kind` is due: the escalation `chain`, or for
    a period that ends by itself, its end."""
    registered = _kinds.get(kind)
    return AT_ITS_END if registered is not None and registered.end_event else chain


# When a reminder moved off a day off comes: the opening of the office.
OFFICE_OPENS = datetime.time(7, 30)


def reminder_time(start: datetime.datetime, due_at: datetime.datetime) -> datetime.datetime:
    """At the policy's share of the span (default 75%, CHECHO_REMINDER_FRACTION). A deadline
    counted in days (it ends at 24:00) is reminded on a working day: a reminder falling on a day
    off comes at the opening of the last working day before it, when that is after the start —
    one in the middle of Tết reached no one (the police's 20 days). A deadline counted in hours
    is reminded at its hour, whatever the day."""
    at = start + (due_at - start) * reminder_fraction()
    if timezone.localtime(due_at).time() != datetime.time(0):
        return at
    first, day = local_date(start), local_date(at)
    calendar = calendar_between(first, day)
    while day >= first and not calendar.is_working_day(day):
        day -= datetime.timedelta(days=1)
    if day == local_date(at):
        return at
    opening = datetime.datetime.combine(day, OFFICE_OPENS, tzinfo=local_zone())
    return opening if day >= first and opening > start else at


def reschedule_clock(clock: Clock, due_at: datetime.datetime) -> None:
    """A new due time (an extension allowed by law): remind and escalate afresh.

    Only while the clock runs: the caller read it without a lock, and the sweep may have met it
    meanwhile (a separation ends by itself at its due time). Rewriting a met clock would leave
    the extended period with no clock to end it, so that race is refused (409) and retried."""
    clock.due_at = due_at
    clock.remind_at = reminder_time(timezone.now(), due_at)
    clock.reminded_at = clock.breached_at = None
    clock.escalation_level = 0
    clock.next_action_at = first_action(clock)
    rescheduled = (
        Clock.objects.open()
        .filter(pk=clock.pk)
        .update(
            due_at=clock.due_at,
            remind_at=clock.remind_at,
            reminded_at=None,
            breached_at=None,
            escalation_level=0,
            next_action_at=clock.next_action_at,
        )
    )
    if not rescheduled:
        raise Conflict


def save_progress(clocks: list[Clock]) -> None:
    """Write a sweep's progress on many clocks (reminded, breached, escalated, ended, next call)
    with one statement. On PostgreSQL, from arrays: Django's bulk_update builds a CASE per field
    and clock, which costs more to build than the rest of the sweep's work."""
    fields = ["reminded_at", "breached_at", "escalation_level", "met_at", "next_action_at"]
    if connection.vendor != "postgresql":
        Clock.objects.bulk_update(clocks, fields)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_clock SET reminded_at = v.reminded_at, breached_at = v.breached_at, "
            "escalation_level = v.level, met_at = v.met_at, next_action_at = v.next "
            "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[], %s::int[], "
            "%s::timestamptz[], %s::timestamptz[]) "
            "AS v(id, reminded_at, breached_at, level, met_at, next) "
            "WHERE core_clock.id = v.id",
            [[getattr(clock, field) for clock in clocks] for field in ["pk", *fields]],
        )


def meet_clocks(
    *, subject: models.Model, kinds: list[str], at: datetime.datetime | None = None
) -> int:
    """Mark the open clocks of these kinds met; a clock met late keeps its breach time."""
    at = at or timezone.now()
    clocks = Clock.objects.for_object(subject).open().filter(kind__in=kinds)
    return clocks.filter(due_at__lt=at, breached_at__isnull=True).update(
        met_at=at, breached_at=models.F("due_at")
    ) + clocks.update(met_at=at)


def stop_clocks(*, subject: models.Model, kinds: list[str] | None = None) -> int:
    """Stop open clocks that no longer apply (the record was dismissed, cancelled…)."""
    clocks = Clock.objects.for_object(subject).open()
    if kinds is not None:
        clocks = clocks.filter(kind__in=kinds)
    return clocks.update(stopped_at=timezone.now())


def open_clocks(subject: models.Model) -> list[Clock]:
    return list(Clock.objects.for_object(subject).open().order_by("due_at"))
