"""The referrals part of the home page: for the commune's officer, the referrals an agency has
not accepted or has declined; for an agency, what to accept, what to complete by its deadline,
and for its head what nobody is assigned to yet."""

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Role, User
from core.navigation import Panel
from core.queues import Queue, QueueRow, first_rows, queue, queues_panel
from core.roles import AGENCY_WORKERS
from core.scope import Scope
from core.typing import AuthenticatedHttpRequest
from referrals.models import LIVE_STATES, Referral, Status
from referrals.selectors import ReferralRow, referral_list

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def rows(
    referrals: "QuerySet[WithAnnotations[Referral, ReferralRow]]", *, with_agency: bool
) -> list[QueueRow]:
    # The list's own rows, without what it prefetches for the referral pages.
    return [
        QueueRow(
            url=reverse("referrals:detail", args=[r.pk]),
            title=f"{r.case.code} · {r.get_service_display()}",
            text=r.agency.name if with_agency and r.agency else r.case.commune.name,
            badge=r.get_status_display() if r.status == Status.DECLINED else "",
            due_at=r.next_due_at,
        )
        for r in first_rows(referrals.prefetch_related(None))
    ]


def outgoing_queue(user: User) -> Queue:
    """Declined (to refer again or have waived) first, then those waiting for acceptance by
    their deadline. A declined service already referred again is no longer work."""
    referred_again = Referral.objects.filter(
        case_id=OuterRef("case_id"), service=OuterRef("service"), status__in=LIVE_STATES
    )
    waiting = (
        referral_list(user, direction="outgoing")
        .alias(referred_again=Exists(referred_again))
        .filter(Q(status=Status.PENDING) | Q(status=Status.DECLINED, referred_again=False))
    )
    return queue(
        "referrals-waiting",
        _("Referrals declined or awaiting acceptance"),
        _("Every referral has been accepted."),
        # "declined" sorts before "pending": what the officer must act on comes first.
        rows(waiting.order_by("status", "next_due_at", "id"), with_agency=True),
        more_url=reverse("referrals:inbox"),
    )


def agency_queues(user: User, scope: Scope) -> list[Queue]:
    incoming = referral_list(user, direction="incoming")
    pending = incoming.filter(status=Status.PENDING).order_by("next_due_at", "id")
    accepted = incoming.filter(status=Status.ACCEPTED).order_by("next_due_at", "id")
    queues = [
        queue(
            "to-accept",
            _("New referrals to accept"),
            _("No new referral."),
            rows(pending, with_agency=False),
            more_url=reverse("referrals:inbox"),
        ),
        queue(
            "in-progress",
            _("Accepted, by deadline"),
            _("No referral in progress."),
            rows(accepted, with_agency=False),
            more_url=reverse("referrals:inbox"),
        ),
    ]
    if scope.has_role(Role.AGENCY_HEAD):
        unassigned = incoming.filter(status__in=LIVE_STATES, assigned_to__isnull=True)
        queues.append(
            queue(
                "unassigned",
                _("Not yet assigned to anyone"),
                _("Every live referral has someone assigned."),
                rows(unassigned.order_by("next_due_at", "id"), with_agency=False),
                more_url=reverse("referrals:inbox"),
            )
        )
    return queues


def referrals_panel(request: AuthenticatedHttpRequest, scope: Scope) -> Panel | None:
    queues = []
    if scope.has_role(Role.COMMUNE_OFFICER):
        queues.append(outgoing_queue(request.user))
    if scope.has_role(*AGENCY_WORKERS):
        queues += agency_queues(request.user, scope)
    if not queues:
        return None
    return queues_panel(
        "referrals-panel", _("Referrals"), queues, order=30, link=reverse("referrals:inbox")
    )
