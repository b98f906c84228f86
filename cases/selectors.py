"""Reads of cases, always scoped to what the user may see (DOMAIN §3)."""

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.lookups import Contains
from django.utils import timezone

from cases import clocks as case_clocks
from cases.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseNote,
    CaseReview,
    CaseTransfer,
    Child,
    ClosureAssessment,
    EmergencyDeclaration,
    EmergencyEnd,
    InitialAssessment,
    Plan,
    PlanDecision,
    PlanMeasure,
    PlanRefusal,
    SeparationDecision,
    SeparationExtension,
)
from cases.visibility import case_visibility, listed_cases
from core import deadlines
from core.deadlines import NextDeadline, with_next_deadline
from core.estimates import planned_rows
from core.models import Agency, Clock, Role, Unit, UnitLevel, User
from core.scope import scope_for, under_paths
from core.staff import path_prefixes, province_of
from core.text import fold

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def cases_visible_to(user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_visibility(user, scope_for(user)))


def case_list(
    user: User,
    *,
    status: str | None = None,
    commune: str | None = None,
    situation: str | None = None,
    abuse_form: str | None = None,
    overdue: bool | None = None,
    q: str | None = None,
) -> "QuerySet[WithAnnotations[Case, NextDeadline]]":
    """The cases a user may see, filtered, with the next deadline; one query however many rows.
    A list's page reads its ids from here and its rows with `rows.case_rows`."""
    listed = listed_cases(user, scope_for(user))
    cases: QuerySet[WithAnnotations[Case, NextDeadline]] = with_next_deadline(
        Case.objects.filter(listed.condition()).select_related("child")
    )
    if status:
        cases = cases.filter(status=status)
    if commune:
        cases = cases.filter(commune__code=commune)
    if situation:
        cases = cases.filter(situation=situation)
    if abuse_form:
        cases = cases.filter(abuse_form_rows__form=abuse_form)
    if overdue:
        cases = cases.filter(deadlines.overdue(Case, listed.paths, listed.elsewhere))
    elif overdue is not None:
        cases = cases.filter(deadlines.on_time(Case, listed.paths, listed.elsewhere))
    if q:
        cases = cases.filter(named(q, over_communes=bool(above_communes(listed.paths))))
    return cases.order_by("-received_at", "-id")


# A search over many communes reads the children named first when they are at most NAMED_BY_KEY,
# hashes them when the planner expects at most NAMED_HASHED_AT_MOST, and past that reads each
# case's child by its key (`named`).
NAMED_BY_KEY = 1000
NAMED_HASHED_AT_MOST = 50_000
# pg_trgm's trigrams: a needle shorter than this has none.
TRIGRAM = 3


def named(q: str, *, over_communes: bool) -> Q:
    """The cases whose code or child's name holds `q`. Codes are upper case and digits: a plain
    LIKE, which the code's trigram index serves as the folded name's serves the name
    (PostgreSQL, cases/migrations/0011).

    Over a commune's few hundred cases, each case's child is read by its key. Over many
    communes' (a province's tens of thousands), joined, PostgreSQL read every child of the
    country (556 ms at 1,000,000 cases). The children named are found from the name's index
    instead: when they are few (a full name), read here once and their cases found by key
    beside the code's matches, both from indexes. A common name names more: up to
    `NAMED_HASHED_AT_MOST` (the planner's estimate), they are read into a hash as the province's
    cases are read in order. Past it (one common word, in a country of a million cases, names
    111,000 children: hashing them took 95 ms for a page and 124 for its count), each case's
    child is read by its key instead: a page reads the children of the cases it passes until it
    is full, a count its province's (docs/performance.md). So is a needle of one or two
    letters, which no trigram index can look up."""
    folded = fold(q)
    code = Q(code__contains=q.strip().upper())
    if not over_communes:
        return code | Q(child__search_name__contains=folded)
    # Shorter, the needle holds no trigram to look up: the trigram indexes would be read whole
    # (the planner expects 100 codes to match `%N%` and reads a million), so each case is tested.
    if len(folded) >= TRIGRAM:
        children = (
            Child.objects.filter(search_name__contains=folded)
            .order_by()
            .values_list("pk", flat=True)
        )
        few = list(children[: NAMED_BY_KEY + 1])
        if len(few) <= NAMED_BY_KEY:
            return code | Q(child_id__in=few)
        if (planned_rows(children) or 0) <= NAMED_HASHED_AT_MOST:
            return code | Q(child__in=children)
    # A scalar subquery: the planner can neither join nor hash it, nor look the code up by its
    # index beside it, and reads the province's cases in order from theirs.
    name = Subquery(Child.objects.filter(pk=OuterRef("child_id")).values("search_name")[:1])
    return code | Q(Contains(name, folded))


def case_events(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "id")


def case_notes(case: Case) -> QuerySet[CaseNote]:
    """The case's notes, newest first."""
    return case.casenotes.select_related("author").order_by("-created_at", "-id")


def with_people(model: type[models.Model], related: str, *joined: str) -> Prefetch:
    """The case's `related` records with their author (and the other rows `joined` names) in
    the same query: a prefetch through `__author` would read the authors with another."""
    return Prefetch(related, queryset=model._default_manager.select_related("author", *joined))


def case_with_records(user: User, case_id: int) -> Case | None:
    """One visible case with everything its page shows, or None: one query per kind of record
    the case has, whatever their number. Not its notes: the page and the API read them a page at
    a time (`case_notes`)."""
    return (
        cases_visible_to(user)
        .select_related("child", "child__residence", "commune", "recorded_by", "duplicate_of")
        .prefetch_related(
            "abuse_form_rows",
            with_people(InitialAssessment, "initialassessments"),
            with_people(EmergencyDeclaration, "emergencydeclarations", "separation__decided_by"),
            with_people(EmergencyEnd, "emergencyends"),
            Prefetch(
                "plans",
                queryset=Plan.objects.prefetch_related(
                    Prefetch(
                        "measures",
                        queryset=PlanMeasure.objects.select_related("responsible_agency"),
                    ),
                    with_people(PlanDecision, "decisions"),
                    with_people(PlanRefusal, "refusals"),
                    with_people(CaseReview, "reviews"),
                ).select_related("author"),
            ),
            Prefetch(
                "separationdecisions",
                queryset=SeparationDecision.objects.select_related(
                    "author", "decided_by", "revoked_by"
                ).prefetch_related(with_people(SeparationExtension, "extensions")),
            ),
            Prefetch(
                "closureassessments",
                queryset=ClosureAssessment.objects.select_related(
                    "author", "decided_by"
                ).prefetch_related("work_decisions"),
            ),
            with_people(CaseTransfer, "casetransfers", "to_commune", "from_commune", "decided_by"),
            with_people(CaseAttachment, "caseattachments"),
        )
        .filter(pk=case_id)
        .first()
    )


def possible_duplicates(
    viewer: User, *, full_name: str, birth_year: int | None, commune: Unit
) -> QuerySet[Child]:
    """Children already known in the commune with a similar name and the same birth year.

    Only the commune's own officers are shown them: the hotline records for every commune and
    must not learn the names of children known elsewhere; the commune checks when it takes over.
    """
    if not scope_for(viewer).acts_for_unit(commune.path, Role.COMMUNE_OFFICER):
        return Child.objects.none()
    words = fold(full_name).split()
    if not words or birth_year is None:
        return Child.objects.none()
    similar = Q(search_name=" ".join(words))
    if len(words) > 1:
        # Same family and given name, whatever the middle: "Nguyen Lan" ~ "Nguyen Thi Lan".
        similar |= Q(search_name__startswith=f"{words[0]} ", search_name__endswith=f" {words[-1]}")
    return Child.objects.filter(similar, residence=commune, birth_year=birth_year).order_by(
        "full_name"
    )[:10]


def decision_due(kind: str) -> Subquery:
    """The due time of the case's open clock of this kind: the chair's deadline for a record
    awaiting the decision (DOMAIN §7), read in the record's own query."""
    return Subquery(
        Clock.objects.open()
        .filter(
            subject_type=ContentType.objects.get_for_model(Case),
            subject_id=OuterRef("case_id"),
            kind=kind,
        )
        .order_by("due_at")
        .values("due_at")[:1]
    )


def chair_queue(user: User) -> dict[str, QuerySet]:
    """What waits for a commune chair: plans, separations and closures to decide, each with the
    deadline of its decision, the earliest first."""
    scope = scope_for(user)
    in_scope = scope.units_q("case__unit_path", Role.COMMUNE_CHAIR)
    return {
        "plans": Plan.objects.filter(
            in_scope, outcome=Plan.Outcome.SUBMITTED, case__status="plan_review"
        )
        .select_related("case", "case__child", "author")
        .annotate(due_at=decision_due(case_clocks.PLAN_DECISION))
        .order_by(F("due_at").asc(nulls_last=True), "created_at"),
        "separations": SeparationDecision.objects.filter(
            in_scope, outcome=SeparationDecision.Outcome.PENDING
        )
        .select_related("case", "case__child", "author")
        .annotate(due_at=decision_due(case_clocks.SEPARATION_DECISION))
        .order_by(F("due_at").asc(nulls_last=True), "created_at"),
        "closures": ClosureAssessment.objects.filter(
            in_scope, outcome=ClosureAssessment.Outcome.PROPOSED, case__status="closure_review"
        )
        .select_related("case", "case__child", "author")
        .annotate(due_at=decision_due(case_clocks.CLOSURE_DECISION))
        .order_by(F("due_at").asc(nulls_last=True), "created_at"),
    }


def incoming_transfers(user: User) -> QuerySet[CaseTransfer]:
    scope = scope_for(user)
    return (
        CaseTransfer.objects.filter(
            scope.units_q("to_unit_path", Role.COMMUNE_OFFICER),
            outcome=CaseTransfer.Outcome.PENDING,
        )
        .select_related("case", "from_commune", "author")
        .order_by("created_at")
    )


# A commune's path has three steps: its structure, its province, itself ("2025/37/14428/").
COMMUNE_DEPTH = 3


def above_communes(paths: tuple[str, ...]) -> list[str]:
    """Those of `paths` that hold many communes (a province's)."""
    return [path for path in paths if len(path_prefixes(path)) < COMMUNE_DEPTH]


def list_communes(paths: tuple[str, ...]) -> QuerySet[Unit] | None:
    """The communes a case list over the units of `paths` (`visibility.listed_unit_paths`) can
    be narrowed to, or None when it holds one commune's cases (a commune's staff): those under a
    province it supervises, including those that have since ended (merged), whose open cases a
    province's home still counts."""
    above = above_communes(paths)
    if not above:
        return None
    return Unit.objects.filter(under_paths("path", above), level=UnitLevel.COMMUNE).order_by(
        "name", "code"
    )


def intake_communes(user: User) -> QuerySet[Unit]:
    """The communes valid today this user may record a report for (officer or hotline)."""
    scope = scope_for(user)
    paths = list(scope.unit_paths(Role.COMMUNE_OFFICER))
    hotline = scope.agency_ids(Role.HOTLINE_OPERATOR)
    if hotline:
        paths += Agency.objects.filter(pk__in=hotline, is_active=True).values_list(
            "jurisdiction__path", flat=True
        )
    if not paths:
        return Unit.objects.none()
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return (
        Unit.objects.valid_on(timezone.localdate())
        .filter(under, level=UnitLevel.COMMUNE)
        .order_by("name")
    )


def transfer_communes(case: Case) -> QuerySet[Unit]:
    """Communes of the case's province valid today, except the case's own."""
    province = province_of(case.unit_path)
    return (
        Unit.objects.valid_on(timezone.localdate())
        .filter(level=UnitLevel.COMMUNE, path__startswith=province)
        .exclude(pk=case.commune_id)
        .order_by("name")
    )
