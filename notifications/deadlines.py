"""A clock with the record it runs on, and what its kind (registered in core by the app that
starts it) says of it: who owns it, the code a notification names, and the link."""

from dataclasses import dataclass
from typing import Any

from django.db import models

from core.clocks import ClockKind, registered_kind
from core.models import Clock, User


@dataclass(frozen=True)
class Deadline:
    clock: Clock
    subject: models.Model
    kind: ClockKind[Any]

    def owners(self) -> list[User]:
        """Who must act before the clock runs out."""
        return self.kind.owners(self.clock, self.subject)

    def code(self) -> str:
        return self.kind.code(self.subject)

    def link(self) -> str:
        return self.kind.link(self.subject)


def deadline_of(clock: Clock) -> Deadline | None:
    """None when no app registers the kind any more or its record is gone: nobody to tell."""
    kind = registered_kind(clock.kind)
    if kind is None:
        return None
    subject = kind.model._default_manager.filter(pk=clock.subject_id).first()
    return Deadline(clock=clock, subject=subject, kind=kind) if subject is not None else None


def deadlines_of(clocks: list[Clock]) -> dict[int, Deadline]:
    """The deadline of each clock, their records read with one query per kind (a sweep's
    batch), not one per clock."""
    by_kind: dict[str, list[Clock]] = {}
    for clock in clocks:
        by_kind.setdefault(clock.kind, []).append(clock)
    deadlines: dict[int, Deadline] = {}
    for name, of_kind in by_kind.items():
        kind = registered_kind(name)
        if kind is None:
            continue
        subjects = kind.model._default_manager.in_bulk([clock.subject_id for clock in of_kind])
        for clock in of_kind:
            subject = subjects.get(clock.subject_id)
            if subject is not None:
                deadlines[clock.pk] = Deadline(clock=clock, subject=subject, kind=kind)
    return deadlines
