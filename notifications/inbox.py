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


def unread_count(user: User) -> int:
    return inbox_of(user).filter(read_at__isnull=True).count()


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
