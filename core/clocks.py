"""Starting, meeting and stopping clocks, with spans from law, policy defaults or the sysadmin."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import Clock, ClockPolicy
from core.working_days import add_working_days


@dataclass(frozen=True)
class Span:
    hours: int = 0
    days: int = 0
    working_days: int = 0

    def after(self, start: datetime.datetime) -> datetime.datetime:
        moment = start + datetime.timedelta(hours=self.hours, days=self.days)
        return add_working_days(moment, self.working_days) if self.working_days else moment


# Each app registers the spans of its clocks here: kind → (default span, legal basis).
DEFAULT_SPANS: dict[str, Span] = {}


def register_clock(kind: str, span: Span) -> None:
    DEFAULT_SPANS[kind] = span


def span_of(kind: str) -> Span:
    policy = ClockPolicy.objects.filter(kind=kind).first()
    if policy is not None:
        return Span(hours=policy.hours, days=policy.days, working_days=policy.working_days)
    return DEFAULT_SPANS[kind]


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
