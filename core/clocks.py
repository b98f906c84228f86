"""Kinds of clocks, and starting, meeting and stopping them, with spans from law, policy defaults
or the sysadmin.

Each app registers every kind of clock it starts once, from its `AppConfig.ready()`: what the
deadline is called, its default span, the record it runs on, who owns it, and the code and link a
notification names. Core and the notifications then handle any clock through this registry,
without knowing the apps built on core.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise

from core.models import Clock, ClockPolicy, User
from core.working_days import add_working_days


@dataclass(frozen=True)
class Span:
    hours: int = 0
    days: int = 0
    working_days: int = 0

    def after(self, start: datetime.datetime) -> datetime.datetime:
        moment = start + datetime.timedelta(hours=self.hours, days=self.days)
        return add_working_days(moment, self.working_days) if self.working_days else moment


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


_kinds: dict[str, ClockKind[Any]] = {}


def register_clock_kind(clock_kind: ClockKind[Any]) -> None:
    """Register a kind once; the same definition again (ready() run twice) changes nothing."""
    known = _kinds.get(clock_kind.kind)
    if known is not None and known != clock_kind:
        raise ImproperlyConfigured(f"The clock kind {clock_kind.kind!r} is registered twice.")
    _kinds[clock_kind.kind] = clock_kind


def registered_kind(kind: str) -> ClockKind[Any] | None:
    """The registered kind; None for a kind no app registers (any more)."""
    return _kinds.get(kind)


def clock_label(kind: str) -> str:
    """What the deadline is called, in the active language; an unknown kind reads as its code."""
    registered = _kinds.get(kind)
    return str(registered.label) if registered is not None else kind


def span_of(kind: str) -> Span:
    policy = ClockPolicy.objects.filter(kind=kind).first()
    if policy is not None:
        return Span(hours=policy.hours, days=policy.days, working_days=policy.working_days)
    return _kinds[kind].span


def start_clock(
    *,
    kind: str,
    subject: models.Model,
    start: datetime.datetime | None = None,
    unit_path: str = "",
    due_at: datetime.datetime | None = None,
) -> Clock:
    start = start or timezone.now()
    due_at = due_at or span_of(kind).after(start)
    return Clock.objects.create(
        kind=kind,
        subject=subject,
        unit_path=unit_path,
        started_at=start,
        due_at=due_at,
        remind_at=reminder_time(start, due_at),
    )


def reminder_time(start: datetime.datetime, due_at: datetime.datetime) -> datetime.datetime:
    return start + (due_at - start) * settings.CHECHO_REMINDER_FRACTION


def reschedule_clock(clock: Clock, due_at: datetime.datetime) -> None:
    """A new due time (an extension allowed by law): remind and escalate afresh."""
    Clock.objects.filter(pk=clock.pk).update(
        due_at=due_at,
        remind_at=reminder_time(timezone.now(), due_at),
        reminded_at=None,
        breached_at=None,
        escalation_level=0,
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
