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
from django.core.mail import DNS_NAME, EmailMessage
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
        EmailMessage(
            texts.subject(text, language),
            f"{text}\n\n{url}".strip(),
            settings.DEFAULT_FROM_EMAIL,
            [notification.recipient.email],
            # The same identifier each attempt: a mail server or client that received an
            # attempt whose result was lost can tell the next one is the same message.
            headers={"Message-ID": f"<notification.{notification.pk}@{DNS_NAME}>"},
        ).send()
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
    """Deliver one row, once. Returns what happened: sent, retry, failed or skipped.

    An e-mail or a text message is sent outside any transaction, between two short ones: the
    row is first claimed (SENDING, its attempt counted, committed), then sent, then settled.
    Sent inside the transaction that marked it, a commit lost after the message left (the
    database's connection dropped, the worker killed) left the row pending with its attempt
    uncounted, to be sent again without end; and the row stayed locked, the connection idle in
    its transaction, for as long as the mail server took to answer. A claim whose worker is lost
    is given back by the outbox sweep after SENDING_LEASE, its attempt counted, so a message goes
    at most CHECHO_NOTIFICATION_MAX_ATTEMPTS times."""
    if mark_in_app_sent(notification_id):
        return "sent"  # most rows: one statement, nothing to send
    notification = claim(notification_id)
    if notification is None:
        return "skipped"  # already delivered or given up, or another worker holds it
    try:
        send(notification)
    except Exception as error:
        return settle_failure(notification, error)
    settle(notification).update(status=Notification.Status.SENT, sent_at=timezone.now())
    return "sent"


# Longer than any channel takes to answer (EMAIL_TIMEOUT, the SMS gateway's): a claim older than
# this lost its worker, and the outbox sweep gives the row back (notifications.sweeps).
SENDING_LEASE = datetime.timedelta(minutes=10)


def claim(notification_id: int) -> Notification | None:
    """Take a pending row for this worker, its attempt counted, in a transaction of its own."""
    with transaction.atomic():
        notification = locked_for_delivery(notification_id).first()
        if notification is None or notification.status != Notification.Status.PENDING:
            return None
        if notification.attempts >= settings.CHECHO_NOTIFICATION_MAX_ATTEMPTS:
            # Its last attempts were claimed and never settled: lost with their workers.
            notification.status = Notification.Status.FAILED
            notification.last_error = notification.last_error or "lost while being sent"
            notification.save(update_fields=["status", "last_error"])
            logger.error("Notification %s failed for good: lost while being sent", notification.pk)
            return None
        notification.attempts += 1
        notification.status = Notification.Status.SENDING
        notification.next_attempt_at = timezone.now() + SENDING_LEASE
        notification.save(update_fields=["attempts", "status", "next_attempt_at"])
    return notification


def settle(notification: Notification) -> QuerySet[Notification]:
    """The row as this worker claimed it: unchanged unless its claim was given back meanwhile."""
    return Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.SENDING, attempts=notification.attempts
    )


def settle_failure(notification: Notification, error: Exception) -> str:
    last_error = f"{type(error).__name__}: {error}"[:1000]
    if notification.attempts >= settings.CHECHO_NOTIFICATION_MAX_ATTEMPTS:
        settle(notification).update(status=Notification.Status.FAILED, last_error=last_error)
        logger.error("Notification %s failed for good: %s", notification.pk, error)
        return "failed"
    settle(notification).update(
        status=Notification.Status.PENDING,
        last_error=last_error,
        next_attempt_at=timezone.now() + backoff(notification.attempts),
    )
    return "retry"


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
