"""The cases part of the home page: the work queues of the commune's officer and chair, the
provincial officer's overdue cases by commune, and the hotline's latest reports."""

import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import clocks
from cases.choices import Status
from cases.models import Case, EmergencyDeclaration
from cases.selectors import case_list, incoming_transfers
from core import deadlines
from core.clock_law import kind_label
from core.deadlines import NextDeadline, with_next_deadline
from core.models import Clock, Role, User
from core.navigation import Panel
from core.queues import SHOWN, Queue, QueueRow, first_rows, queue, queues_panel
from core.scope import Scope, scope_for
from core.timewords import time_ago
from core.typing import AuthenticatedHttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

DUE_SOON = datetime.timedelta(hours=48)
# The chair's decisions, each with its clock (DOMAIN §7).
DECISIONS = {
    clocks.PLAN_DECISION: _("Plan to approve or return"),
    clocks.SEPARATION_DECISION: _("Separation from the carer to decide"),
    clocks.CLOSURE_DECISION: _("Closure to decide"),
}


def open_cases(user: User, role: str) -> QuerySet:
    """The open cases of the units the user holds `role` for: the commune's own work, not the
    cases offered to it (their queue is the transfers) nor those seen through a grant. A plain
    prefix match on the case's unit path, which its pattern index serves (the case list's wider
    visibility is an OR the planner cannot drive from an index)."""
    return with_next_deadline(
        Case.objects.filter(scope_for(user).units_q("unit_path", role))
        .exclude(status="closed")
        .select_related("child", "commune"),
        with_kind=True,
    )


def overdue_cases(user: User, role: str) -> QuerySet:
    """The open cases of `open_cases` that are overdue, found from the clocks of the units."""
    paths = scope_for(user).unit_paths(role)
    return open_cases(user, role).filter(deadlines.overdue(Case, paths))


def case_row(case: "WithAnnotations[Case, NextDeadline]") -> QueueRow:
    text = f"{case.child.full_name} · {case.get_status_display()}"
    # Which deadline, where the queue read it (open_cases): the chair's decision on the case is
    # not the officer's own work.
    kind = getattr(case, "next_due_kind", None)
    return QueueRow(
        url=reverse("cases:detail", args=[case.pk]),
        title=case.code,
        text=f"{text} · {kind_label(kind)}" if kind else text,
        due_at=case.next_due_at,
    )


def list_url(**filters: str) -> str:
    return f"{reverse('cases:list')}?{urlencode(filters)}"


def overdue_queue(user: User) -> Queue:
    cases = overdue_cases(user, Role.COMMUNE_OFFICER).order_by("next_due_at", "id")
    return queue(
        "overdue",
        _("Overdue"),
        _("Nothing is overdue."),
        map(case_row, first_rows(cases)),
        more_url=list_url(overdue="yes"),
    )


def due_soon_queue(user: User) -> Queue:
    soon = timezone.now() + DUE_SOON
    cases = open_cases(user, Role.COMMUNE_OFFICER).filter(is_overdue=False, next_due_at__lte=soon)
    return queue(
        "due-soon",
        _("Due in the next 48 hours"),
        _("Nothing falls due in the next 48 hours."),
        map(case_row, first_rows(cases.order_by("next_due_at", "id"))),
    )


def emergencies_queue(user: User) -> Queue:
    """The commune's cases in an emergency, the longest first. An emergency runs no clock of its
    own (it ends once the child is safe, Decree 56/2017 Art. 26(3)), so without this queue one
    declared weeks ago would be in no other: its end starts the plan's 5 working days."""
    declared = EmergencyDeclaration.objects.filter(case=OuterRef("pk")).order_by("-created_at")
    cases = (
        Case.objects.filter(scope_for(user).units_q("unit_path", Role.COMMUNE_OFFICER))
        .filter(status=Status.EMERGENCY)
        .select_related("child")
        .annotate(declared_at=Subquery(declared.values("created_at")[:1]))
        .order_by("declared_at", "id")
    )
    return queue(
        "emergencies",
        _("In an emergency"),
        _("No case is in an emergency."),
        (
            QueueRow(
                url=reverse("cases:detail", args=[case.pk]) + "#todo",
                title=case.code,
                text=_("%(child)s · declared %(ago)s: end it once the child is safe")
                % {
                    "child": case.child.full_name,
                    "ago": time_ago(case.declared_at) if case.declared_at else "—",
                },
            )
            for case in cases[: SHOWN + 1]
        ),
        more_url=list_url(status=Status.EMERGENCY),
    )


def transfers_queue(user: User) -> Queue:
    transfers = incoming_transfers(user)[: SHOWN + 1]
    return queue(
        "transfers",
        _("Cases offered to your commune"),
        _("No case is offered to your commune."),
        (
            QueueRow(
                url=reverse("cases:detail", args=[t.case_id]),
                title=t.case.code,
                text=_("from %(commune)s") % {"commune": t.from_commune.name},
                due_at=None,
            )
            for t in transfers
        ),
    )


def decisions_queue(user: User, scope: Scope) -> Queue:
    """What waits for the chair's decision, by its clock: the earliest due first.

    The clocks are found through the commune's cases (their path index, then each case's
    clocks), not by their own copy of the path, which no index served then: PostgreSQL walked
    every open clock of the country in due order to find the commune's few, 3.9 s at 1,000,000
    cases against 5 ms from the cases (docs/performance.md)."""
    case_type = ContentType.objects.get_for_model(Case)
    cases = Case.objects.filter(pk=OuterRef("subject_id"))
    communes_cases = Case.objects.filter(scope.units_q("unit_path", Role.COMMUNE_CHAIR))
    waiting = (
        Clock.objects.open()
        .filter(
            subject_type=case_type,
            subject_id__in=communes_cases.values("pk"),
            kind__in=list(DECISIONS),
        )
        .annotate(
            code=Subquery(cases.values("code")[:1]),
            child=Subquery(cases.values("child__full_name")[:1]),
        )
        .order_by("due_at", "id")
    )
    return queue(
        "decisions",
        _("Awaiting your decision"),
        _("No decision is waiting for you."),
        (
            QueueRow(
                url=reverse("cases:detail", args=[clock.subject_id]) + "#todo",
                title=clock.code,
                text=f"{DECISIONS[clock.kind]} · {clock.child}",
                due_at=clock.due_at,
            )
            for clock in waiting[: SHOWN + 1]
        ),
        more_url=reverse("cases:queue"),
    )


def overdue_by_commune_queue(user: User) -> Queue:
    """The province's overdue cases counted by commune, the most behind first."""
    communes = (
        overdue_cases(user, Role.PROVINCIAL_OFFICER)
        .order_by()
        .values("commune__code", "commune__name")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "commune__name")
    )
    return queue(
        "overdue-by-commune",
        _("Overdue cases by commune"),
        _("No case of the province is overdue."),
        (
            QueueRow(
                url=list_url(commune=row["commune__code"], overdue="yes"),
                title=row["commune__name"],
                text=ngettext("%(n)d overdue case", "%(n)d overdue cases", row["overdue"])
                % {"n": row["overdue"]},
            )
            for row in communes[: SHOWN + 1]
        ),
        more_url=list_url(overdue="yes"),
    )


def recent_queue(user: User) -> Queue:
    # The hotline records reports for any commune: its latest are those it recorded.
    cases = case_list(user).exclude(status="closed").prefetch_related(None)
    cases = cases.order_by("-received_at", "-id")[: SHOWN + 1]
    return queue(
        "recent",
        _("Latest reports"),
        _("No open cases."),
        map(case_row, cases),
        more_url=reverse("cases:list"),
    )


def cases_panel(request: AuthenticatedHttpRequest, scope: Scope) -> Panel | None:
    user = request.user
    queues = []
    if scope.has_role(Role.COMMUNE_OFFICER):
        queues += [
            overdue_queue(user),
            due_soon_queue(user),
            emergencies_queue(user),
            transfers_queue(user),
        ]
    if scope.has_role(Role.COMMUNE_CHAIR):
        queues.append(decisions_queue(user, scope))
    if scope.has_role(Role.PROVINCIAL_OFFICER):
        queues.append(overdue_by_commune_queue(user))
    if scope.has_role(Role.HOTLINE_OPERATOR) and not queues:
        queues.append(recent_queue(user))
    if not queues:
        return None
    return queues_panel("cases-panel", _("Cases"), queues, order=20, link=reverse("cases:list"))
