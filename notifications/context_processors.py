from typing import Any

from django.http import HttpRequest

from notifications.inbox import BELL_COUNTS_TO, unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = unread_count(user, at_most=BELL_COUNTS_TO)
    if unread > BELL_COUNTS_TO:
        return {"unread_notifications": f"{BELL_COUNTS_TO}+"}
    return {"unread_notifications": unread}
