"""The inspector's home: the inspections of the team by their next step and date, and the
recommendations past their due date."""

from django.db.models import Case as Choose
from django.db.models import F, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Role
from core.navigation import Panel
from core.queues import SHOWN, QueueRow, queue, queues_panel
from core.scope import Scope
from core.typing import AuthenticatedHttpRequest
from inspections.models import RECOMMENDING_STATES, Recommendation, Status
from inspections.selectors import inspection_list, inspections_visible_to

# What each state waits for, and the date it is due by: the start for a planned inspection,
# the planned end for the rest.
NEXT_STEP = {
    Status.PLANNED: _("next: start the inspection"),
    Status.IN_PROGRESS: _("next: finish the fieldwork and report"),
    Status.REPORTING: _("next: issue the conclusion"),
    Status.CONCLUDED: _("next: follow up the recommendations"),
    Status.FOLLOW_UP: _("next: close when the recommendations are done"),
}


def inspections_panel(request: AuthenticatedHttpRequest, scope: Scope) -> Panel | None:
    if not scope.has_role(Role.INSPECTOR):
        return None
    user = request.user
    active = (
        inspection_list(user)
        .filter(status__in=list(NEXT_STEP))
        .annotate(
            next_date=Choose(
                When(status=Status.PLANNED, then=F("planned_start")), default=F("planned_end")
            )
        )
        .order_by("next_date", "id")
    )
    late = (
        Recommendation.objects.filter(
            inspection__in=inspections_visible_to(user),
            # A closed or cancelled inspection asks nothing more (its clocks are stopped).
            inspection__status__in=RECOMMENDING_STATES,
            status=Recommendation.Status.OPEN,
            due_date__lt=timezone.localdate(),
        )
        .select_related("inspection")
        .order_by("due_date", "id")
    )
    queues = [
        queue(
            "inspections-next",
            _("Inspections by next step"),
            _("No inspection under way."),
            (
                QueueRow(
                    url=reverse("inspections:detail", args=[i.pk]),
                    title=i.title,
                    text=NEXT_STEP[Status(i.status)],
                    due_on=i.next_date,
                )
                for i in active[: SHOWN + 1]
            ),
            more_url=reverse("inspections:list"),
        ),
        queue(
            "recommendations-overdue",
            _("Recommendations past their due date"),
            _("No recommendation is overdue."),
            (
                QueueRow(
                    url=reverse("inspections:detail", args=[r.inspection_id]) + "#recommendations",
                    title=r.inspection.title,
                    text=f"{r.responsible}: {r.action[:80]}",
                    due_on=r.due_date,
                )
                for r in late[: SHOWN + 1]
            ),
        ),
    ]
    return queues_panel("inspections-panel", _("Inspections"), queues, order=30)
