"""Which official documents a case has, who may read each (the case page's sections: the same
need-to-know rules), and how each is built from its record."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q

from cases import sections
from cases.models import Case, PlanDecision, SeparationDecision
from documents import decisions
from documents.official import OfficialDocument


@dataclass(frozen=True)
class Kind:
    key: str
    title: str  # the decree's name of the form, Vietnamese as on paper
    section: str  # the case page section whose readers may read it
    model: type[Model]
    issued: Q  # which records are documents (a decision taken, not one waiting)
    build: Callable[[Any], OfficialDocument]


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            "form05",
            "Mẫu số 05 — Quyết định phê duyệt kế hoạch hỗ trợ, can thiệp",
            sections.PLAN,
            PlanDecision,
            Q(approved=True),
            decisions.plan_approval,
        ),
        Kind(
            "form07",
            "Mẫu số 07 — Quyết định tạm thời cách ly trẻ em",
            sections.ASSESSMENTS,
            SeparationDecision,
            Q(
                outcome__in=[
                    SeparationDecision.Outcome.APPROVED,
                    SeparationDecision.Outcome.REVOKED,
                ]
            ),
            decisions.separation,
        ),
    )
}


def issued(case: Case, shown: frozenset[str]) -> list[tuple[Kind, Any]]:
    """(kind, record) for each document of the case this reader may read, oldest first."""
    found = []
    for kind in KINDS.values():
        if kind.section in shown:
            records = kind.model._default_manager.filter(kind.issued, case=case).order_by("pk")
            found += [(kind, record) for record in records]
    return found


def record_of(
    case: Case, shown: frozenset[str], key: str, record_id: int
) -> tuple[Kind, Any] | None:
    kind = KINDS.get(key)
    if kind is None or kind.section not in shown:
        return None
    record = kind.model._default_manager.filter(kind.issued, case=case, pk=record_id).first()
    return (kind, record) if record is not None else None
