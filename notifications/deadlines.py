"""A clock with the record it runs on, and what its kind (registered in core by the app that
starts it) says of it: who owns it, the code a notification names, and the link."""

from collections import defaultdict
from collections.abc import Callable
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


def subjects_of(model: type[models.Model], related: tuple[str, ...]) -> models.QuerySet:
    """The records of a kind, with the relations it names and no others: `select_related()`
    with no names follows every foreign key (a case's child, commune, recorder…), which made
    reading a batch's cases four times slower than the cases alone."""
    records = model._default_manager.order_by()  # read by key: the model's order is no use
    return records.select_related(*related) if related else records


def deadlines_of(clocks: list[Clock]) -> dict[int, Deadline]:
    """The deadline of each clock of a sweep's batch: the records of one model read with one
    query (with what their codes and links read), and their owners remembered with one query per
    kind that can read them in bulk; not one query per clock."""
    kinds = {clock.kind: registered_kind(clock.kind) for clock in clocks}
    wanted: dict[tuple[type[models.Model], tuple[str, ...]], set[int]] = defaultdict(set)
    for clock in clocks:
        kind = kinds[clock.kind]
        if kind is not None:
            wanted[(kind.model, kind.related)].add(clock.subject_id)
    subjects = {
        (model, related): subjects_of(model, related).in_bulk(list(ids))
        for (model, related), ids in wanted.items()
    }
    deadlines: dict[int, Deadline] = {}
    for clock in clocks:
        kind = kinds[clock.kind]
        subject = subjects[(kind.model, kind.related)].get(clock.subject_id) if kind else None
        if kind is not None and subject is not None:
            deadlines[clock.pk] = Deadline(clock=clock, subject=subject, kind=kind)
    # Kinds that share the function (a referral's) share its query.
    to_remember: dict[Callable[[list[Any]], None], list[models.Model]] = defaultdict(list)
    for deadline in deadlines.values():
        if deadline.kind.remember_owners is not None:
            to_remember[deadline.kind.remember_owners].append(deadline.subject)
    for remember, records in to_remember.items():
        remember(records)
    return deadlines
