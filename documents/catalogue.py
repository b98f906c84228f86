"""Which official documents a case has, who may read each (the case page's sections: the same
need-to-know rules), and how each is built from its record."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cases import sections
from cases.models import (
    Case,
    ClosureAssessment,
    InitialAssessment,
    Plan,
    PlanDecision,
    SeparationDecision,
)
from core.models import User
from documents import decisions, records, summary
from documents.official import OfficialDocument

Builder = Callable[[Any, User, frozenset[str]], OfficialDocument]


@dataclass(frozen=True)
class Kind:
    key: str
    stem: str  # the file's name: "<case code>-<stem>-<record>.pdf"
    title: str  # the document's name, Vietnamese as on paper
    # The case page section whose readers may read it, with the child's (None: any reader).
    section: str | None
    records: Callable[[Case], QuerySet[Any]]  # the case's records that are documents
    build: Builder
    # The same records, listed from the case's relations: on the case page they are prefetched
    # (cases.selectors.case_with_records), so listing the documents reads nothing more.
    listed: Callable[[Case], list[Any]]
    # The sections the paper holds beyond its own when printed in full, as the officer prints
    # it to sign: a signed scan is read only by readers of them all (`scan_sections`).
    also_on_paper: frozenset[str] = frozenset()


def plan_decisions(case: Case) -> QuerySet[PlanDecision]:
    return PlanDecision.objects.filter(case=case, approved=True).select_related("plan", "author")


def listed_plan_decisions(case: Case) -> list[PlanDecision]:
    return by_id(d for plan in case.plans.all() for d in plan.decisions.all() if d.approved)


# Decided and approved: a separation revoked since stays a document; one refused is not.
SEPARATIONS_ISSUED = (SeparationDecision.Outcome.APPROVED, SeparationDecision.Outcome.REVOKED)


def separations(case: Case) -> QuerySet[SeparationDecision]:
    return SeparationDecision.objects.filter(case=case, outcome__in=SEPARATIONS_ISSUED)


def listed_separations(case: Case) -> list[SeparationDecision]:
    return by_id(s for s in case.separationdecisions.all() if s.outcome in SEPARATIONS_ISSUED)


def by_id(records: Iterable[Any]) -> list[Any]:
    return sorted(records, key=lambda record: record.pk)


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            "summary",
            "tom-tat-ho-so",
            "Tóm tắt hồ sơ",
            None,
            lambda case: Case.objects.filter(pk=case.pk),
            lambda case, reader, shown: summary.case_summary(case, reader, shown),
            lambda case: [case],
        ),
        Kind(
            "form01",
            "mau-01",
            "Mẫu số 01 — Báo cáo tiếp nhận thông tin trẻ em",
            sections.REPORT,
            lambda case: Case.objects.filter(pk=case.pk).select_related("recorded_by", "child"),
            lambda case, reader, shown: records.report(case, shown),
            lambda case: [case],
            # documents/records.py: report() writes each of them for its readers.
            frozenset({sections.CONCERN, sections.MEDICAL, sections.CARERS, sections.REPORTER}),
        ),
        Kind(
            "form02",
            "mau-02",
            "Mẫu số 02 — Đánh giá nguy cơ ban đầu",
            sections.ASSESSMENTS,
            lambda case: InitialAssessment.objects.filter(case=case).select_related("author"),
            lambda assessment, reader, shown: records.initial_assessment(assessment),
            lambda case: by_id(case.initialassessments.all()),
        ),
        Kind(
            "form03",
            "mau-03",
            "Mẫu số 03 — Thu thập thông tin, đánh giá nguy cơ cụ thể",
            sections.PLAN,
            lambda case: Plan.objects.filter(case=case).select_related("author"),
            lambda plan, reader, shown: records.detailed_assessment(plan),
            lambda case: by_id(case.plans.all()),
        ),
        Kind(
            "form04",
            "mau-04",
            "Mẫu số 04 — Kế hoạch hỗ trợ, can thiệp",
            sections.PLAN,
            lambda case: Plan.objects.filter(case=case).select_related("author"),
            lambda plan, reader, shown: records.plan_document(plan),
            lambda case: by_id(case.plans.all()),
        ),
        Kind(
            "form05",
            "mau-05",
            "Mẫu số 05 — Quyết định phê duyệt kế hoạch hỗ trợ, can thiệp",
            sections.PLAN,
            plan_decisions,
            lambda decision, reader, shown: decisions.plan_approval(decision),
            listed_plan_decisions,
        ),
        Kind(
            "form07",
            "mau-07",
            "Mẫu số 07 — Quyết định tạm thời cách ly trẻ em",
            sections.ASSESSMENTS,
            separations,
            lambda decision, reader, shown: decisions.separation(decision),
            listed_separations,
        ),
        Kind(
            "form06",
            "mau-06",
            "Mẫu số 06 — Rà soát, đánh giá tình trạng của trẻ em",
            sections.CLOSURE,
            lambda case: ClosureAssessment.objects.filter(case=case).select_related("author"),
            lambda closure, reader, shown: records.closure_assessment(closure),
            lambda case: by_id(case.closureassessments.all()),
        ),
    )
}


def readable(kind: Kind, shown: frozenset[str]) -> bool:
    """The summary writes only what its reader may read; every form names the child (name, date
    of birth, sex), so it is also for readers of the child's section alone."""
    return kind.section is None or {kind.section, sections.CHILD} <= shown


def issued(case: Case, shown: frozenset[str]) -> list[tuple[Kind, Any]]:
    """(kind, record) for each document of the case this reader may read."""
    return [
        (kind, record)
        for kind in KINDS.values()
        if readable(kind, shown)
        for record in kind.listed(case)
    ]


def record_of(
    case: Case, shown: frozenset[str], key: str, record_id: int
) -> tuple[Kind, Any] | None:
    kind = KINDS.get(key)
    if kind is None or not readable(kind, shown):
        return None
    record = kind.records(case).filter(pk=record_id).first()
    return (kind, record) if record is not None else None


def signable(case: Case) -> list[tuple[str, str]]:
    """Every official document of the case a signed scan may be attached to (the officer who
    attaches it reads every section). The summary is not signed."""
    return [
        (f"{kind.key}-{record.pk}", signable_label(kind.title, record))
        for kind in KINDS.values()
        if kind.key != "summary"
        for record in kind.listed(case)
    ]


def signable_label(title: str, record: Any) -> str:
    """The document as the officer knows it: its decision's number when it has one, and when it
    was recorded (a record's id meant nothing to the officer choosing the paper signed)."""
    number = getattr(record, "decision_number", "")
    when = getattr(record, "created_at", None) or getattr(record, "received_at", None)
    parts = [title, number, timezone.localtime(when).strftime("%d/%m/%Y %H:%M") if when else ""]
    return " · ".join(part for part in parts if part)


def scan_sections(signs: str) -> frozenset[str] | None:
    """The sections a reader of the signed scan of this document ("form01-14") must read: the
    whole paper's. None for a key that names no document kind."""
    kind = KINDS.get(signs.rpartition("-")[0])
    if kind is None or kind.section is None:
        return None
    return frozenset({sections.CHILD, kind.section}) | kind.also_on_paper
