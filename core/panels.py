"""The home-page panels of the foundation: the user's roles and the configuration summary."""

from django.utils import timezone

from core.models import Agency, Holiday, Role, RoleMembership, Unit, UnitLevel, User
from core.navigation import Panel
from core.scope import Scope
from core.typing import AuthenticatedHttpRequest


def roles_panel(request: AuthenticatedHttpRequest, scope: Scope) -> Panel:
    memberships = (
        RoleMembership.objects.filter(user=request.user)
        .select_related("unit", "agency__jurisdiction")
        .prefetch_related("agency__kinds")
        .order_by("role")
    )
    return Panel("core/panels/roles.html", {"memberships": memberships}, order=900)


def configuration_panel(request: AuthenticatedHttpRequest, scope: Scope) -> Panel | None:
    if not scope.has_role(Role.SYSADMIN):
        return None
    today = timezone.localdate()
    context = {
        "units_today": Unit.objects.valid_on(today).count(),
        "communes_today": Unit.objects.valid_on(today).filter(level=UnitLevel.COMMUNE).count(),
        "agencies": Agency.objects.filter(is_active=True).valid_on(today).count(),
        "users": User.objects.filter(is_active=True).count(),
        "next_holidays": Holiday.objects.filter(date__gte=today)[:5],
    }
    return Panel("core/panels/configuration.html", context, order=10)
