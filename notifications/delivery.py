"""Delivering one outbox row on its channel, once, retried with back-off until it gives up.

`deliver_notifications` is the Celery task that runs `deliver` on a worker for a few rows, one
after the other (`deliver_notification`, for one row, still serves messages queued before it).
Both are declared here, beside what they run, rather than in tasks.py: the outbox must queue
them, and tasks.py sits above the outbox (its sweeps write and queue rows), so a task declared
there could only be reached by importing back. Their names say "notifications.tasks" so messages
already queued in Redis still find them after an upgrade; tasks.py lists them with the others.
"""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from notifications import texts
from notifications.models import Channel, Notification, Preference
from notifications.sms import sms_backend

logger = logging.getLogger(__name__)
MAX_BACKOFF = datetime.timedelta(minutes=30)


def backoff(attempts: int) -> datetime.timedelta:
    return min(MAX_BACKOFF, datetime.timedelta(seconds=30 * 2 ** (attempts - 1)))


def send(notification: Notification) -> None:
    """Send one row on its channel, in its recipient's language; raise when the channel fails.
    In the application the row itself is the notification: nothing to send or to render."""
    if notification.channel == Channel.IN_APP:
        return  # marked sent by mark_in_app_sent; here only when that raced with another worker
    language = getattr(
        Preference.objects.filter(user_id=notification.recipient_id).first(), "language", "vi"
    )
    text = texts.render(notification.event, notification.params, language)
    url = f"{settings.CHECHO_SITE_URL.rstrip('/')}{notification.link}" if notification.link else ""
    if notification.channel == Channel.EMAIL:
        send_mail(
            texts.subject(text, language),
            f"{text}\n\n{url}".strip(),
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
        )
    elif notification.channel == Channel.SMS:
        sms_backend().send(
            phone=notification.recipient.phone,
            text=f"{text} {url}".strip(),
            reference=str(notification.pk),
        )


def locked_for_delivery(notification_id: int) -> QuerySet[Notification]:
    """The row, locked unless another worker holds it, with its recipient (not locked).

    Found by its key alone: with a status condition the planner may read the status index when
    its statistics lag behind a backlog of pending rows (10 ms a delivery instead of 0.1). Only
    the row is locked: locking its recipient too would make a second worker skip every row for
    the same person while the first delivers one."""
    return (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .filter(pk=notification_id)
    )


# An in-app row needs nothing sent: marking it is the delivery, in one statement. The row is found
# by its key and locked first (skipping it when another worker holds it), and its state checked
# on what was locked, so that no status condition can lead the planner to a status index.
#
# Run on its own (a worker's autocommit), the statement's commit does not wait for the WAL to
# reach the disk (`synchronous_commit` off for this transaction only): half of what the delivery
# costs. What a crash can lose is the mark of the last fraction of a second, never the row, which
# was committed durably when it was written and is in the inbox whatever its status; the outbox
# sweep finds it pending and marks it again. Inside a caller's transaction the setting would hold
# for all of the caller's work, so there the commit stays synchronous.
IN_APP_SENT = """
WITH target AS MATERIALIZED (
    SELECT id, status, channel FROM notifications_notification WHERE id = %s
    FOR UPDATE SKIP LOCKED
), unflushed AS MATERIALIZED (
    SELECT CASE WHEN %s THEN set_config('synchronous_commit', 'off', true) END
)
UPDATE notifications_notification AS n
SET status = %s, sent_at = %s, attempts = n.attempts + 1
FROM target, unflushed
WHERE n.id = target.id AND target.status = %s AND target.channel = %s
RETURNING n.id
"""


def mark_in_app_sent(notification_id: int) -> bool:
    """Mark a pending in-app row sent, if it is one and no other worker holds it."""
    if connection.vendor != "postgresql":  # no row locks to skip, no such planner
        return bool(
            Notification.objects.filter(
                pk=notification_id, status=Notification.Status.PENDING, channel=Channel.IN_APP
            ).update(
                status=Notification.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
            )
        )
    with connection.cursor() as cursor:
        cursor.execute(
            IN_APP_SENT,
            [
                notification_id,
                not connection.in_atomic_block,  # the statement is the whole transaction
                Notification.Status.SENT,
                timezone.now(),
                Notification.Status.PENDING,
                Channel.IN_APP,
            ],
        )
        return cursor.fetchone() is not None


def deliver(notification_id: int) -> str:
    """Deliver one row, once. Returns what happened: sent, retry, failed or skipped."""
    if mark_in_app_sent(notification_id):
        return "sent"  # most rows: one statement, nothing to send
    with transaction.atomic():
        notification = locked_for_delivery(notification_id).first()
        if notification is None or notification.status != Notification.Status.PENDING:
            return "skipped"  # already delivered or given up, or another worker holds it
        notification.attempts += 1
        try:
            send(notification)
        except Exception as error:
            notification.last_error = f"{type(error).__name__}: {error}"[:1000]
            if notification.attempts >= settings.CHECHO_NOTIFICATION_MAX_ATTEMPTS:
                notification.status = Notification.Status.FAILED
                logger.error("Notification %s failed for good: %s", notification.pk, error)
            else:
                notification.next_attempt_at = timezone.now() + backoff(notification.attempts)
            notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return "failed" if notification.status == Notification.Status.FAILED else "retry"
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.save(update_fields=["attempts", "status", "sent_at"])
        return "sent"


@shared_task(name="notifications.tasks.deliver_notification", acks_late=True)
def deliver_notification(notification_id: int) -> str:
    return deliver(notification_id)


@shared_task(name="notifications.tasks.deliver_notifications", acks_late=True)
def deliver_notifications(notification_ids: list[int]) -> list[str]:
    """Deliver each row in turn. A row that cannot be delivered (the database failed under it)
    is logged and left pending, the others still go: the outbox sweep queues it again. The
    message is acknowledged once all are done, so a worker lost on the way leaves the message to
    another, which skips the rows already sent."""
    outcomes = []
    for notification_id in notification_ids:
        try:
            outcomes.append(deliver(notification_id))
        except Exception:
            logger.exception(
                "Notification %s not delivered; the outbox sweep retries", notification_id
            )
            outcomes.append("error")
    return outcomes
