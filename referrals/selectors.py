"""Every scoped read of referrals: the receiving agency's inbox, the sending commune's outbox, one
referral, what of its case the agency may read, and who may be given it. The services, the API
and the web pages all read through here, so who sees what is decided in one place.

Need to know before acceptance (DOMAIN §6): until it accepts, the receiving agency reads a
referral's summary alone — the case's code and commune, the service, the urgency, the child's sex
and age, the deadline and the referral's own state. Each row of `referral_list` says in
`details_shown` whether its reader may read the rest (`DETAIL_FIELDS`); the API and the pages
both show a referral from that one annotation.
"""

from typing import TYPE_CHECKING

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from cases.models import Case
from cases.selectors import cases_visible_to
from core import deadlines
from core.deadlines import NextDeadline, with_next_deadline
from core.models import User
from core.roles import AGENCY_WORKERS, CASE_HANDLERS
from core.scope import Scope, scope_for, under_paths
from referrals.models import LIVE_STATES, Referral, Status

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# What a referral says beyond its summary: the sender's free text, which can carry the case's
# details (an approved plan's measure description becomes the reason of the referral it raises),
# the sender's reason for cancelling, and the ground for sharing ("the carer is the suspected
# abuser"). The receiving agency reads them once it has accepted the referral, not before.
DETAIL_FIELDS = ("reason", "cancel_reason", "consent_basis")


class ReferralRow(NextDeadline):
    """What `referral_list` adds to each referral: its next deadline and `details_shown`."""

    details_shown: bool


def outgoing_paths_and_incoming(scope: Scope) -> tuple[tuple[str, ...], Q | None]:
    """Whose referrals a user reads: the paths of the units whose cases it handles (outgoing),
    and the condition for those sent to its agencies (incoming), None without an agency."""
    agencies = scope.agency_ids(*AGENCY_WORKERS)
    incoming = Q(agency_id__in=agencies) if agencies else None
    return scope.unit_paths(*CASE_HANDLERS), incoming


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Incoming for the agency's staff (whatever the state), outgoing for the case's commune and
    its supervisors."""
    paths, incoming = outgoing_paths_and_incoming(scope_for(user))
    condition = under_paths("unit_path", paths, province_field="province_path")
    if incoming is not None:
        condition |= incoming
    return Referral.objects.filter(condition)


def visible_referral(user: User, referral_id: int) -> Referral | None:
    """One referral with its case, if this user may see it."""
    return referrals_visible_to(user).select_related("case").filter(pk=referral_id).first()


def details_shown(user: User) -> Q:
    """Who reads a referral beyond its summary: the case's commune and its supervisors always, the
    receiving agency once it has accepted (even when the referral was completed or cancelled
    since). A declined referral, or one cancelled while pending, stays a summary to the agency."""
    return scope_for(user).units_q("unit_path", *CASE_HANDLERS) | Q(accepted_at__isnull=False)


def referral_list(
    user: User,
    *,
    direction: str | None = None,
    status: str | None = None,
    service: str | None = None,
    overdue: bool | None = None,
    case_id: int | None = None,
) -> "QuerySet[WithAnnotations[Referral, ReferralRow]]":
    scope = scope_for(user)
    referrals: QuerySet[WithAnnotations[Referral, ReferralRow]] = with_next_deadline(
        referrals_visible_to(user)
        .select_related("case", "case__child", "case__commune", "agency", "outcome")
        .prefetch_related("extension_records")
        .annotate(details_shown=ExpressionWrapper(details_shown(user), output_field=BooleanField()))
    )
    if direction == "incoming":
        referrals = referrals.filter(agency_id__in=scope.agency_ids(*AGENCY_WORKERS))
    elif direction == "outgoing":
        referrals = referrals.filter(
            scope.units_q("unit_path", *CASE_HANDLERS, province_field="province_path")
        )
    if status:
        referrals = referrals.filter(status=status)
    if service:
        referrals = referrals.filter(service=service)
    if overdue:
        referrals = referrals.filter(
            deadlines.overdue(Referral, *outgoing_paths_and_incoming(scope))
        )
    elif overdue is not None:
        referrals = referrals.filter(
            deadlines.on_time(Referral, *outgoing_paths_and_incoming(scope))
        )
    if case_id is not None:
        referrals = referrals.filter(case_id=case_id)
    return referrals.order_by("-sent_at", "-id")


def agency_inbox(user: User) -> "dict[str, QuerySet[WithAnnotations[Referral, ReferralRow]]]":
    incoming = referral_list(user, direction="incoming")
    return {
        # Oldest first, the id telling apart those sent together: a total order, which a page
        # read from the end or after a cursor needs (core/pagination.py).
        "pending": incoming.filter(status="pending").order_by("sent_at", "id"),
        "in_progress": incoming.filter(status="accepted").order_by("sent_at", "id"),
        "finished": incoming.exclude(status__in=LIVE_STATES),
    }


def inbox_counts(user: User) -> dict[str, int]:
    """How many referrals each section of `agency_inbox` and `outgoing_open` holds, in one
    query."""
    scope = scope_for(user)
    incoming = Q(agency_id__in=scope.agency_ids(*AGENCY_WORKERS))
    outgoing = scope.units_q("unit_path", *CASE_HANDLERS, province_field="province_path")
    return referrals_visible_to(user).aggregate(
        pending=Count("pk", filter=incoming & Q(status=Status.PENDING)),
        in_progress=Count("pk", filter=incoming & Q(status=Status.ACCEPTED)),
        finished=Count("pk", filter=incoming & ~Q(status__in=LIVE_STATES)),
        outgoing=Count("pk", filter=outgoing & Q(status__in=[*LIVE_STATES, Status.DECLINED])),
    )


def outgoing_open(user: User) -> "QuerySet[WithAnnotations[Referral, ReferralRow]]":
    """What the user's commune sent and is still waiting on: live, or declined (to re-refer or
    have waived)."""
    return referral_list(user, direction="outgoing").filter(
        status__in=[*LIVE_STATES, Status.DECLINED]
    )


def referral_page(user: User, referral_id: int) -> "WithAnnotations[Referral, ReferralRow] | None":
    """One referral as its page and the API show it: its deadline, its outcome, and whether this
    user reads it beyond its summary."""
    return (
        referral_list(user).select_related("outcome", "assigned_to").filter(pk=referral_id).first()
    )


def permitted_case(user: User, referral: Referral) -> Case | None:
    """The referral's case if this user may read it (the agency once it accepted, DOMAIN §6)."""
    return (
        cases_visible_to(user)
        .select_related("child", "commune")
        .prefetch_related("abuse_form_rows")
        .filter(pk=referral.case_id)
        .first()
    )


def assignable_staff(referral: Referral) -> QuerySet[User]:
    """The active staff of the receiving agency: whom its head may give the referral to."""
    if referral.agency_id is None:  # a service waived without being sent
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            memberships__agency_id=referral.agency_id,
            memberships__role__in=AGENCY_WORKERS,
        )
        .distinct()
        .order_by("username")
    )
