"""The cases part of the home page: what waits for the user today."""

from django.utils import timezone

from cases.selectors import case_list, chair_queue, incoming_transfers
from core.models import Role
from core.navigation import Panel
from core.roles import CASE_HANDLERS
from core.scope import Scope
from core.typing import AuthenticatedHttpRequest


def cases_panel(request: AuthenticatedHttpRequest, scope: Scope) -> Panel | None:
    if not scope.has_role(*CASE_HANDLERS, Role.HOTLINE_OPERATOR):
        return None
    cases = case_list(request.user).exclude(status="closed")
    overdue = cases.filter(is_overdue=True)
    context = {
        "open_count": cases.count(),
        "overdue_count": overdue.count(),
        "overdue": list(overdue.order_by("next_due_at")[:10]),
        "recent": list(cases[:5]),
        "now": timezone.now(),
    }
    if scope.has_role(Role.COMMUNE_CHAIR):
        queue = chair_queue(request.user)
        context["plans_waiting"] = queue["plans"].count()
        context["separations_waiting"] = queue["separations"].count()
    if scope.has_role(Role.COMMUNE_OFFICER):
        context["transfers_waiting"] = incoming_transfers(request.user).count()
    return Panel("cases/panels/cases.html", context, order=20)
