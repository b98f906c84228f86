"""Writing the outbox: `notify` adds rows in the caller's transaction; after the commit each row
is handed to the delivery task, and the sweep (sweeps.py) queues again whatever that missed.

Callers (subscribers, escalation, digest, admin) import this module; it imports only the models
and the delivery task below it, never what calls it.
"""

import datetime
import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from core.models import User
from notifications.delivery import deliver_notification
from notifications.models import Channel, Notification, Preference

logger = logging.getLogger(__name__)


def channels_for(user: User, preferences: dict[int, Preference]) -> list[str]:
    """The channels the user chose that can reach them (email needs an address, SMS a phone)."""
    preference = preferences.get(user.pk) or Preference(user=user)
    usable: dict[str, bool] = {
        Channel.IN_APP: True,
        Channel.EMAIL: bool(user.email),
        Channel.SMS: bool(user.phone),
    }
    return [channel for channel in preference.channels() if usable[channel]]


def notify(
    *, key: str, recipients: Iterable[User], event: str, params: dict, link: str = ""
) -> None:
    """Queue `event` for each recipient on each channel they chose, in the caller's transaction.

    The rows are delivered once the transaction commits; if it rolls back, they never existed.
    """
    recipients = list({user.pk: user for user in recipients}.values())
    if not recipients:
        return
    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=recipients)}
    # Until the worker has it, the sweep leaves the row alone; past this, it queues it again.
    requeue_at = timezone.now() + datetime.timedelta(seconds=settings.CHECHO_OUTBOX_REQUEUE_SECONDS)
    rows = [
        Notification(
            key=key,
            recipient=user,
            channel=channel,
            event=event,
            params=params,
            link=link,
            next_attempt_at=requeue_at,
        )
        for user in recipients
        for channel in channels_for(user, preferences)
    ]
    # Publishing the same event twice (a retried request) adds nothing: the key is unique.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(partial(enqueue_pending, key))


def enqueue_pending(key: str) -> None:
    ids = list(
        Notification.objects.filter(key=key, status=Notification.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    enqueue(ids)


def retry(*, actor: User, ids: Iterable[int]) -> list[int]:
    """Send the notifications not yet sent among `ids` again, now, as `actor` (the sysadmin in
    the admin) decided: an audit row names them."""
    with transaction.atomic():
        again = list(
            Notification.objects.filter(pk__in=list(ids))
            .exclude(status=Notification.Status.SENT)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=again).update(
            status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        audit(
            actor=actor,
            action="notification.retried",
            object_type="notifications.notification",
            details={"ids": again},
        )
        transaction.on_commit(partial(enqueue, again))
    return again


def enqueue(ids: list[int]) -> None:
    """Hand each row to a worker; if the broker is down, leave it for the sweep."""
    for index, notification_id in enumerate(ids):
        try:
            deliver_notification.delay(notification_id)
        except Exception:  # the broker is unreachable: nothing is lost, the sweep retries
            logger.warning(
                "Broker unreachable; %d notifications left to the sweep", len(ids) - index
            )
            Notification.objects.filter(pk__in=ids[index:]).update(next_attempt_at=timezone.now())
            return
