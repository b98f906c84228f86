"""The in-app inbox: a user's notifications, the unread count on the bell, marking one or all
read."""

from django.db.models import QuerySet
from django.utils import timezone

from core.errors import NotFound
from core.models import User
from notifications.models import Channel, Notification


def inbox_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP).order_by(
        "-created_at", "-id"
    )


# The bell beside every page counts this far, then shows "99+": someone who never opens their
# notices holds thousands unread after a few years, and counting them all, on every page they
# open, would cost what they hold. The inbox itself counts them all, to say how many it marks.
BELL_COUNTS_TO = 99


def unread_count(user: User, *, at_most: int | None = None) -> int:
    """The user's unread in-app notices; with `at_most`, counted no further than one beyond it.
    In no order: the first unread found in the index of the unread rows, not the newest (the
    list's order would walk through every notice read, newest first, to find them)."""
    unread = inbox_of(user).filter(read_at__isnull=True).order_by()
    if at_most is not None:
        unread = unread[: at_most + 1]
    return unread.count()


def mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own in-app notifications read; anyone else's is NotFound."""
    notification = inbox_of(user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    """Mark every unread in-app notification of the user read, in one statement; how many."""
    return inbox_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())
