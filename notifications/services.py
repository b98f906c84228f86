"""Writing the outbox, delivering it, and the sweeps that make sure nothing is lost."""

import datetime
import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import Clock, User
from notifications import texts
from notifications.models import Channel, Notification, Preference
from notifications.sms import sms_backend

logger = logging.getLogger(__name__)
MAX_BACKOFF = datetime.timedelta(minutes=30)


# --- Writing the outbox --------------------------------------------------------------------------


def channels_for(user: User, preferences: dict[int, Preference]) -> list[str]:
    preference = preferences.get(user.pk) or Preference(user=user)
    usable = {Channel.IN_APP: True, Channel.EMAIL: bool(user.email), Channel.SMS: bool(user.phone)}
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


def enqueue(ids: list[int]) -> None:
    """Hand each row to a worker; if the broker is down, leave it for the sweep."""
    from notifications.tasks import deliver_notification

    for index, notification_id in enumerate(ids):
        try:
            deliver_notification.delay(notification_id)
        except Exception:  # the broker is unreachable: nothing is lost, the sweep retries
            logger.warning(
                "Broker unreachable; %d notifications left to the sweep", len(ids) - index
            )
            Notification.objects.filter(pk__in=ids[index:]).update(next_attempt_at=timezone.now())
            return


# --- Delivering ----------------------------------------------------------------------------------


def backoff(attempts: int) -> datetime.timedelta:
    return min(MAX_BACKOFF, datetime.timedelta(seconds=30 * 2 ** (attempts - 1)))


def send(notification: Notification) -> None:
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
    # In the application, the row itself is the notification: nothing to send.


def deliver(notification_id: int) -> str:
    """Deliver one row, once. Returns what happened: sent, retry, failed or skipped."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("recipient")
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
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
            notification.save()
            return "failed" if notification.status == Notification.Status.FAILED else "retry"
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        notification.save()
        return "sent"


# --- The sweeps ----------------------------------------------------------------------------------


def sweep_outbox(*, now: datetime.datetime | None = None, limit: int = 1000) -> int:
    """Queue again every pending row whose time has come: never queued because the broker was
    down, lost with a worker, or waiting for its next retry."""
    now = now or timezone.now()
    requeue_at = now + datetime.timedelta(seconds=settings.CHECHO_OUTBOX_REQUEUE_SECONDS)
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=ids).update(next_attempt_at=requeue_at)
    enqueue(ids)
    return len(ids)


def clocks_due(now: datetime.datetime):
    """Open clocks whose reminder or next escalation is due: one query on indexed columns."""
    due = Q(remind_at__lte=now, reminded_at__isnull=True, due_at__gt=now)
    for level, (_role, hours) in enumerate(settings.CHECHO_ESCALATION_CHAIN):
        due |= Q(escalation_level=level, due_at__lte=now - datetime.timedelta(hours=hours))
    return Clock.objects.open().filter(due)


def sweep_clocks(*, now: datetime.datetime | None = None) -> int:
    """Remind owners before a clock falls due; when it is breached, alert up the chain, each
    step once per clock."""
    from notifications.escalation import advance_clock

    now = now or timezone.now()
    handled = 0
    for clock_id in clocks_due(now).values_list("pk", flat=True):
        handled += advance_clock(clock_id, now)
    return handled


def mark_read(*, user: User, notification_id: int) -> Notification:
    from core.errors import NotFound

    notification = Notification.objects.filter(
        pk=notification_id, recipient=user, channel=Channel.IN_APP
    ).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
