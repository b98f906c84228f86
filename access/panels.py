"""Home-page panels: the province's emergency accesses to review, and the cases opened to me."""

from django.utils import timezone

from access.rules import live_accesses
from access.services import accesses_to_review
from core.models import Role
from core.navigation import Panel
from core.scope import Scope
from core.typing import AuthenticatedHttpRequest


def review_panel(request: AuthenticatedHttpRequest, scope: Scope) -> Panel | None:
    if not scope.has_role(Role.PROVINCIAL_OFFICER):
        return None
    waiting = list(accesses_to_review(request.user)[:6])
    return Panel(
        "access/panels/reviews.html", {"waiting": waiting[:5], "more": len(waiting) > 5}, order=25
    )


def opened_to_me_panel(request: AuthenticatedHttpRequest, scope: Scope) -> Panel | None:
    accesses = list(live_accesses().filter(user=request.user).order_by("ends_at")[:20])
    if not accesses:
        return None
    return Panel(
        "access/panels/opened.html", {"accesses": accesses, "now": timezone.now()}, order=15
    )
