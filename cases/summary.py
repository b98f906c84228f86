"""The case page's header: who the child is, where the case stands, and what is due next."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from cases import sections
from cases.models import Case, CaseEvent
from cases.workflow import separation_in_force
from core.models import Role, User
from core.staff import staff_of_unit
from core.typing import StrOrPromise


@dataclass(frozen=True)
class CaseSummary:
    age: int | None
    officer: User | None
    placement: str
    separated: bool
    next_due_at: datetime.datetime | None
    next_due_what: StrOrPromise = ""

    @property
    def overdue(self) -> bool:
        return self.next_due_at is not None and self.next_due_at <= timezone.now()


def responsible_officer(case: Case) -> User | None:
    """The commune officer who last took a step on the case; else the commune's first officer.
    The case has no assignee field: the commune's officers share its work (DOMAIN §2)."""
    officers = staff_of_unit(case.unit_path, Role.COMMUNE_OFFICER)
    last = (
        CaseEvent.objects.filter(case=case, actor__in=officers)
        .order_by("-at")
        .values_list("actor_id", flat=True)
        .first()
    )
    by_id = {officer.pk: officer for officer in officers}
    if last in by_id:
        return by_id[last]
    return min(officers, key=lambda officer: officer.pk, default=None)


def case_summary(
    case: Case, deadlines: list[tuple[datetime.datetime, StrOrPromise]], shown: frozenset[str]
) -> CaseSummary:
    """`deadlines`: those running on the case and on the work of its to-do (a referral an agency
    has not accepted yet), each with what it is; the header names the earliest. The header says
    no more than the sections this user may read (need to know): where the child is placed
    belongs to the report, to the separation decisions and to the child's whereabouts (the
    carers' section, as in the API)."""
    separation = (
        separation_in_force(case) if shown & {sections.ASSESSMENTS, sections.CARERS} else None
    )
    where = case.child_location if sections.REPORT in shown else ""
    next_due_at, next_due_what = min(deadlines, key=lambda pair: pair[0], default=(None, ""))
    return CaseSummary(
        age=case.child.age_on(timezone.localdate()) if sections.CHILD in shown else None,
        officer=responsible_officer(case),
        placement=(separation.placement if separation else "") or where,
        separated=separation is not None,
        next_due_at=next_due_at,
        next_due_what=next_due_what,
    )
