"""The workflow kernel: each step of a legal procedure declared once, and the helpers every
service uses to run one.

A workflow (cases, referrals, inspections) is a table of `Step`s. A step says who may run it, in
which states, what else must hold (guards that give the reasons it is not possible now), and which
clocks it meets, starts and stops. Services run a step in one order, the same everywhere:

    the record is visible (else NotFound, answered by the selector before the kernel is asked)
    → the actor may run this step on it (else Forbidden)
    → the state allows it and every guard passes (else InvalidTransition)
    → the service writes the step's own record and changes the state (the FSM transition)
    → `finish` saves under the row lock (else Conflict), moves the clocks, and writes history,
      audit and the event in the same transaction.

`options` answers "what may this user do now, and why not the rest" with the very same checks,
so what a page or `…/transitions/` offers is exactly what the service accepts.
"""

import datetime
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from core.clocks import meet_clocks, start_clock, stop_clocks
from core.errors import Conflict, Forbidden, InvalidTransition
from core.models import User
from core.typing import StrOrPromise

logger = logging.getLogger(__name__)

Subject = TypeVar("Subject", bound=models.Model)
Text = StrOrPromise
# What stops a step that the state allows, in words for the user; empty when nothing does.
Guard = Callable[[Any], Iterable[Text]]
# A clock kind, fixed or chosen from the record (a referral's clocks depend on its service).
ClockRef = str | Callable[[Any], str]


class Actor(Protocol):
    """Who may run a step on a record: a role for the record's unit, the receiving agency…"""

    def allows(self, user: User, subject: Any) -> bool: ...

    def refusal(self) -> Text:
        """Why someone else may not, e.g. "needs the role: Commune officer"."""
        ...


@dataclass(frozen=True)
class ClockStart:
    """A clock the step starts; `since` gives its start when it is not the step's own time
    (the 5-working-day plan clock counts from the report, not from the assessment)."""

    kind: ClockRef
    since: Callable[[Any], datetime.datetime | None] | None = None


ALL_CLOCKS = ("*",)


@dataclass(frozen=True)
class Step:
    name: str
    who: Actor
    label: Text  # the step as a button or a form title: "Approve the plan (Form 05)"
    done: Text  # the step in the history, in the past tense: "Plan approved"
    confirmation: Text = ""  # told to the user who ran it: "The plan is approved."
    # The states the step runs from. Empty: those of the model's FSM transition `name`.
    states: Sequence[str] = ()
    guards: Sequence[Guard] = ()
    meets: Sequence[ClockRef] = ()
    starts: Sequence[ClockRef | ClockStart] = ()
    stops: Sequence[ClockRef] = ()  # ALL_CLOCKS: every open clock of the record
    law: Text = ""  # the legal basis, shown with the step and in the API schema

    def state_allows(self, subject: Any, state_field: str) -> bool:
        if self.states:
            return getattr(subject, state_field) in self.states
        return can_proceed(getattr(subject, self.name))


@dataclass(frozen=True)
class Option:
    """One step as a user sees it now: may they run it, and if not, why."""

    name: str
    label: str
    allowed: bool
    missing: list[str]


# Writes the history row and the audit row and publishes the event, all in the caller's
# transaction: (subject, actor, step name, the state before, details).
Recorder = Callable[[Any, User, str, str, dict[str, Any]], None]


@dataclass
class Workflow(Generic[Subject]):
    """The steps of one procedure over one model, in the order people meet them."""

    name: str
    steps: Sequence[Step]
    record: Recorder
    # "“%(step)s” is not possible while the case is “%(status)s”."
    state_refusal: Text
    # How a confirmation names the record, so that it says what happened to which: "37-2026-…".
    named: Callable[[Subject], str] = str
    state_field: str = "status"
    _by_name: dict[str, Step] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {step.name: step for step in self.steps}
        assert len(self._by_name) == len(self.steps), f"{self.name}: a step is declared twice"

    def __getitem__(self, name: str) -> Step:
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    @property
    def names(self) -> list[str]:
        return [step.name for step in self.steps]

    def confirm(self, step: Step, subject: Subject) -> str:
        """What the user who ran `step` is told: the record, and what happened to it."""
        return _("%(record)s: %(confirmation)s") % {
            "record": self.named(subject),
            "confirmation": step.confirmation,
        }

    # --- Asking -------------------------------------------------------------------------------

    def blockers(self, step: Step, subject: Subject) -> list[str]:
        """Why the record's state or its other rows do not allow the step now (empty: they do)."""
        if not step.state_allows(subject, self.state_field):
            return [self.state_message(step, subject)]
        return [str(reason) for guard in step.guards for reason in guard(subject)]

    def state_message(self, step: Step, subject: Subject) -> str:
        status = getattr(subject, f"get_{self.state_field}_display")()
        return str(self.state_refusal) % {"step": step.label, "status": status}

    def check(self, name: str, *, actor: User, subject: Subject) -> Step:
        """Refuse the step as the API and the web answer it: role (403) before state (409)."""
        step = self[name]
        if not step.who.allows(actor, subject):
            raise Forbidden(str(step.who.refusal()))
        reasons = self.blockers(step, subject)
        if reasons:
            raise InvalidTransition(" ".join(reasons))
        return step

    def options(self, *, actor: User, subject: Subject) -> list[Option]:
        """Each step with what stops it, in the order `check` refuses: the role, then the state,
        then the guards (asked only when nothing else stops the step)."""
        rows = []
        for step in self.steps:
            missing = [] if step.who.allows(actor, subject) else [str(step.who.refusal())]
            if not step.state_allows(subject, self.state_field):
                missing.append(self.state_message(step, subject))
            if not missing:
                missing = [str(reason) for guard in step.guards for reason in guard(subject)]
            rows.append(Option(step.name, str(step.label), not missing, missing))
        return rows

    # --- Doing --------------------------------------------------------------------------------

    def finish(
        self,
        name: str,
        *,
        actor: User,
        subject: Subject,
        from_status: str,
        details: dict[str, Any] | None = None,
        unit_path: str = "",
    ) -> Subject:
        """After the transition: save or lose the race, move the clocks, record it all."""
        step = self[name]
        save_or_conflict(subject)
        move_clocks(step, subject, unit_path=unit_path or getattr(subject, "unit_path", ""))
        self.record(subject, actor, name, from_status, details or {})
        logger.info(
            "%s %s #%s: %s → %s by user %s",
            self.name,
            name,
            subject.pk,
            from_status,
            getattr(subject, self.state_field),
            actor.pk,
        )
        return subject


def save_or_conflict(subject: models.Model) -> None:
    """Save a record changed under its row lock; a concurrent FSM change that won answers 409."""
    try:
        subject.save()
    except ConcurrentTransition:
        raise Conflict() from None


def kind_of(kind: ClockRef, subject: Any) -> str:
    return kind(subject) if callable(kind) else kind


def move_clocks(step: Step, subject: Any, *, unit_path: str) -> None:
    if step.meets:
        meet_clocks(subject=subject, kinds=[kind_of(k, subject) for k in step.meets])
    if tuple(step.stops) == ALL_CLOCKS:
        stop_clocks(subject=subject)
    elif step.stops:
        stop_clocks(subject=subject, kinds=[kind_of(k, subject) for k in step.stops])
    for start in step.starts:
        start = start if isinstance(start, ClockStart) else ClockStart(start)
        start_clock(
            kind=kind_of(start.kind, subject),
            subject=subject,
            start=start.since(subject) if start.since else None,
            unit_path=unit_path,
        )
