"""Who sees which inspection: its team, the lead agency's head, and the province's officers and
managers (inspections hold no child's data); everyone else sees none."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from core.models import Role, User
from core.scope import scope_for
from inspections.models import Finding, Inspection, Membership, Recommendation

OVERSEERS = (Role.PROVINCIAL_OFFICER, Role.MANAGER)


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    scope = scope_for(user)
    condition = scope.units_q("unit_path", *OVERSEERS)
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


def is_lead(user: User, inspection: Inspection) -> bool:
    return Membership.objects.filter(
        inspection=inspection, user=user, role=Membership.Role.LEAD
    ).exists()


def is_member(user: User, inspection: Inspection) -> bool:
    return Membership.objects.filter(inspection=inspection, user=user).exists()
