from django.db.models import QuerySet

from core.models import User
from notifications.models import Channel, Notification


def inbox_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP).order_by(
        "-created_at", "-id"
    )


def unread_count(user: User) -> int:
    return inbox_of(user).filter(read_at__isnull=True).count()
