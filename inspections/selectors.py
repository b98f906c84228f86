"""Every scoped read of inspections, for the services, the API and the web pages alike.

Who sees which inspection: its team, the lead agency's head, and the province's overseers
(core.roles.INSPECTION_OVERSEERS; inspections hold no child's data); everyone else sees none.
The registry of inspected subjects is the inspectors'; others learn of a subject only through an
inspection they can see.
"""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Agency, Clock, Role, Unit, UnitLevel, User
from core.roles import INSPECTION_OVERSEERS
from core.scope import scope_for, under_paths
from core.staff import province_of
from inspections import clocks
from inspections.models import (
    Finding,
    InspectedSubject,
    Inspection,
    InspectionEvent,
    Membership,
    Recommendation,
    Status,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class OpenClock(TypedDict):
    """What `with_clocks` sets on each recommendation."""

    due_at: datetime.datetime | None
    is_overdue: bool


class VisibleInspections(TypedDict):
    """What `subject_with_inspections` sets on the subject."""

    visible_inspections: list[Inspection]


# --- Inspections ---------------------------------------------------------------------------------


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    scope = scope_for(user)
    condition = scope.units_q("unit_path", *INSPECTION_OVERSEERS)
    if scope.has_role(Role.INSPECTOR):
        condition |= Q(Exists(Membership.objects.filter(inspection=OuterRef("pk"), user=user)))
    heads_of = scope.agency_ids(Role.AGENCY_HEAD)
    if heads_of:
        condition |= Q(lead_agency_id__in=heads_of)
    return Inspection.objects.filter(condition)


def inspection_list(
    user: User,
    *,
    kind: str | None = None,
    topic: str | None = None,
    status: str | None = None,
    lead_agency: int | None = None,
    year: int | None = None,
) -> QuerySet[Inspection]:
    inspections = inspections_visible_to(user).select_related("lead_agency")
    if kind:
        inspections = inspections.filter(kind=kind)
    if topic:
        inspections = inspections.filter(topic=topic)
    if status:
        inspections = inspections.filter(status=status)
    if lead_agency:
        inspections = inspections.filter(lead_agency_id=lead_agency)
    if year:
        inspections = inspections.filter(planned_start__year=year)
    return inspections.order_by("-planned_start", "-id")


def inspections_between(user: User, start: datetime.date, end: datetime.date) -> list[Inspection]:
    """The inspections planned to run on any day from `start` to `end`, not cancelled."""
    return list(
        inspection_list(user)
        .filter(planned_start__lte=end, planned_end__gte=start)
        .exclude(status=Status.CANCELLED)
        .order_by("planned_start", "id")
    )


def inspection_with_records(user: User, inspection_id: int) -> Inspection | None:
    return (
        inspections_visible_to(user)
        .select_related("lead_agency", "lead_agency__jurisdiction", "created_by")
        .prefetch_related(
            "member_agencies",
            "subjects__unit",
            Prefetch("team", queryset=Membership.objects.select_related("user")),
            Prefetch(
                "findings", queryset=Finding.objects.select_related("subject", "case", "author")
            ),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("finding", "author"),
            ),
        )
        .filter(pk=inspection_id)
        .first()
    )


def inspection_findings(inspection: Inspection) -> QuerySet[Finding]:
    """The violations found, oldest first, with what a list shows of each."""
    return inspection.findings.select_related("subject", "case", "author")


def inspection_events(inspection: Inspection) -> QuerySet[InspectionEvent]:
    return inspection.events.select_related("actor")


# --- The team ------------------------------------------------------------------------------------


def team_of(inspection: Inspection) -> list[Membership]:
    """The team: the rows already read when the caller prefetched them, else one query. The
    workflow asks who leads for each step it lists, so a page pays for it once."""
    return list(inspection.team.all())


def is_lead(user: User, inspection: Inspection) -> bool:
    return any(m.user_id == user.pk and m.role == Membership.Role.LEAD for m in team_of(inspection))


def is_member(user: User, inspection: Inspection) -> bool:
    return any(m.user_id == user.pk for m in team_of(inspection))


def team_users(inspection: Inspection, *roles: str) -> list[User]:
    """The active inspectors on the team (in `roles` if given): whom its events concern."""
    memberships = Membership.objects.filter(inspection=inspection, user__is_active=True)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return [m.user for m in memberships.select_related("user").order_by("pk")]


# --- Recommendations and their clocks ------------------------------------------------------------


def recommendations_visible_to(user: User) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(inspection__in=inspections_visible_to(user))


def with_clocks(
    recommendations: list[Recommendation],
) -> "list[WithAnnotations[Recommendation, OpenClock]]":
    """Sets each recommendation's open clock (`due_at`, `is_overdue`), in one query for all."""
    due: dict[int, datetime.datetime] = {}
    if recommendations:
        open_clocks = (
            Clock.objects.open()
            .filter(
                kind=clocks.RECOMMENDATION,
                subject_type=ContentType.objects.get_for_model(Recommendation),
                subject_id__in=[r.pk for r in recommendations],
            )
            .order_by("-due_at")
            .values_list("subject_id", "due_at")
        )
        due = dict(open_clocks)  # the earliest wins: it comes last
    now = timezone.now()
    # The same objects, which the loop gives their clock.
    with_clock = cast("list[WithAnnotations[Recommendation, OpenClock]]", recommendations)
    for recommendation in with_clock:
        recommendation.due_at = due.get(recommendation.pk)
        recommendation.is_overdue = bool(recommendation.due_at and recommendation.due_at <= now)
    return with_clock


def open_recommendation_clocks(inspection: Inspection) -> QuerySet[Clock]:
    """The clocks still running on the inspection's recommendations."""
    return Clock.objects.open().filter(
        kind=clocks.RECOMMENDATION,
        subject_type=ContentType.objects.get_for_model(Recommendation),
        subject_id__in=inspection.recommendations.values("pk"),
    )


# --- The registry of inspected subjects ----------------------------------------------------------


def subjects_visible_to(user: User) -> QuerySet[InspectedSubject]:
    """The registry for inspectors; for others, the subjects of inspections they can see. Each
    subject counts the inspections of it that the user can see."""
    visible = inspections_visible_to(user)
    subjects = InspectedSubject.objects.select_related("unit")
    if not scope_for(user).has_role(Role.INSPECTOR):
        subjects = subjects.filter(pk__in=visible.values("subjects"))
    counted = (
        visible.filter(subjects=OuterRef("pk"))
        .order_by()
        .values("subjects")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return subjects.annotate(inspection_count=Coalesce(Subquery(counted), Value(0)))


def subject_list(
    user: User, *, kind: str | None = None, unit: str | None = None, q: str | None = None
) -> QuerySet[InspectedSubject]:
    subjects = subjects_visible_to(user)
    if kind:
        subjects = subjects.filter(kind=kind)
    if unit:
        subjects = subjects.filter(unit__code=unit)
    if q:
        subjects = subjects.filter(name__icontains=q)
    return subjects.order_by("name", "id")


def subject_with_inspections(
    user: User, subject_id: int
) -> "WithAnnotations[InspectedSubject, VisibleInspections] | None":
    """The subject, if the user may see it, with the inspections of it they can see
    (`visible_inspections`, each with its findings)."""
    found = subjects_visible_to(user).filter(pk=subject_id).first()
    if found is None:
        return None
    # The same object, which the next line gives its inspections.
    subject = cast("WithAnnotations[InspectedSubject, VisibleInspections]", found)
    subject.visible_inspections = list(
        inspection_list(user).filter(subjects=subject).prefetch_related("findings")
    )
    return subject


def inspecting_provinces(user: User) -> set[str]:
    """The paths of the provinces the user's inspecting agencies work in."""
    agency_ids = scope_for(user).agency_ids(Role.INSPECTOR)
    agencies = Agency.objects.filter(pk__in=agency_ids).select_related("jurisdiction")
    return {province_path(agency.jurisdiction) for agency in agencies}


def team_agencies(provinces: set[str]) -> QuerySet[Agency]:
    """The agencies that may join an inspection's team: today's, of the lead's province."""
    return Agency.objects.current().filter(under_paths("jurisdiction__path", provinces))


def team_inspectors(provinces: set[str]) -> QuerySet[User]:
    """The inspectors who may be on a team: active, inspecting for an agency of the lead's
    province (one membership must hold both)."""
    return User.objects.filter(
        under_paths("memberships__agency__jurisdiction__path", provinces),
        memberships__role=Role.INSPECTOR,
        is_active=True,
    ).distinct()


def subject_units(user: User) -> QuerySet[Unit]:
    """Where a new subject may be: the provinces of the user's inspecting agencies and their
    communes, as valid today."""
    condition = under_paths("path", inspecting_provinces(user))
    return (
        Unit.objects.valid_on(timezone.localdate())
        .filter(condition, level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE])
        .order_by("path")
    )


def registry_subjects(provinces: Iterable[str]) -> QuerySet[InspectedSubject]:
    """The registry's subjects in these provinces (paths), by name: the ones a team may name."""
    return (
        InspectedSubject.objects.filter(under_paths("unit__path", provinces))
        .select_related("unit")
        .order_by("name", "pk")
    )


def inspection_province(inspection: Inspection) -> str:
    """The lead agency's province: where the team works, its subjects and its findings' children."""
    return province_path(inspection.lead_agency.jurisdiction)


def finding_communes(inspection: Inspection) -> QuerySet[Unit]:
    """Where a child found at risk may live: the communes of the lead agency's province."""
    return Unit.objects.valid_on(timezone.localdate()).filter(
        level=UnitLevel.COMMUNE, path__startswith=inspection_province(inspection)
    )


def province_path(unit: Unit) -> str:
    """`2025/37/14428/` → `2025/37/`: the province a unit lies in."""
    return province_of(unit.path)


def lead_agency_heads(inspection: Inspection) -> list[User]:
    """The active heads of the agency that leads the inspection: it concludes in their name."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.AGENCY_HEAD,
            memberships__agency_id=inspection.lead_agency_id,
        ).distinct()
    )
