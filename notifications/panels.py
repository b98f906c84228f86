from django.http import HttpRequest

from core.models import Role
from core.navigation import Panel
from core.scope import Scope
from notifications.models import Notification


def failed_notifications_panel(request: HttpRequest, scope: Scope) -> Panel | None:
    """The sysadmin sees deliveries given up after every retry, to fix an address or a gateway."""
    if not scope.has_role(Role.SYSADMIN):
        return None
    failed = Notification.objects.filter(status=Notification.Status.FAILED)
    return Panel(
        "notifications/panels/failed.html",
        {"count": failed.count(), "recent": list(failed.select_related("recipient")[:10])},
        order=15,
    )
