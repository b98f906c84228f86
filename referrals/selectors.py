"""Reads of referrals: the receiving agency's inbox and the sending commune's outbox."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core.models import Clock, User
from core.roles import AGENCY_WORKERS, CASE_HANDLERS
from core.scope import scope_for
from referrals.models import LIVE_STATES, Referral

AGENCY_ROLES = AGENCY_WORKERS


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Incoming for the agency's staff (whatever the state), outgoing for the case's commune and
    its supervisors."""
    scope = scope_for(user)
    condition = scope.units_q("unit_path", *CASE_HANDLERS)
    agencies = scope.agency_ids(*AGENCY_ROLES)
    if agencies:
        condition |= Q(agency_id__in=agencies)
    return Referral.objects.filter(condition)


def open_clocks_of_referrals() -> QuerySet[Clock]:
    return Clock.objects.open().filter(
        subject_type=ContentType.objects.get_for_model(Referral), subject_id=OuterRef("pk")
    )


def referral_list(
    user: User,
    *,
    direction: str | None = None,
    status: str | None = None,
    service: str | None = None,
    overdue: bool | None = None,
    case_id: int | None = None,
) -> QuerySet[Referral]:
    scope = scope_for(user)
    clocks = open_clocks_of_referrals()
    referrals = (
        referrals_visible_to(user)
        .select_related("case", "case__child", "case__commune", "agency", "agency__kind")
        .annotate(
            next_due_at=Subquery(clocks.order_by("due_at").values("due_at")[:1]),
            is_overdue=Exists(clocks.filter(due_at__lte=timezone.now())),
        )
    )
    if direction == "incoming":
        referrals = referrals.filter(agency_id__in=scope.agency_ids(*AGENCY_ROLES))
    elif direction == "outgoing":
        referrals = referrals.filter(scope.units_q("unit_path", *CASE_HANDLERS))
    if status:
        referrals = referrals.filter(status=status)
    if service:
        referrals = referrals.filter(service=service)
    if overdue is not None:
        referrals = referrals.filter(is_overdue=overdue)
    if case_id is not None:
        referrals = referrals.filter(case_id=case_id)
    return referrals.order_by("-sent_at", "-id")


def agency_inbox(user: User) -> dict[str, QuerySet[Referral]]:
    incoming = referral_list(user, direction="incoming")
    return {
        "pending": incoming.filter(status="pending").order_by("sent_at"),
        "in_progress": incoming.filter(status="accepted").order_by("sent_at"),
        "finished": incoming.exclude(status__in=LIVE_STATES)[:50],
    }
