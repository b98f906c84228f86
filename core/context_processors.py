from typing import Any

from django.http import HttpRequest

from core.navigation import nav_items_for
from core.scope import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = scope_for(user)
    return {"nav_items": nav_items_for(scope), "user_roles": scope.roles}
