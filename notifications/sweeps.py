"""The periodic sweeps (run every minute by celery beat through tasks.py): queue again the outbox
rows that are still pending, and advance the clocks whose reminder or escalation is due."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core.models import Clock
from core.policy import escalation_chain
from core.staff import remembered_staff
from notifications.deadlines import deadlines_of
from notifications.escalation import advance_clock, topic_of
from notifications.models import Notification
from notifications.outbox import enqueue, one_notice_per_person, remembered_preferences


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


def clocks_due(now: datetime.datetime) -> models.QuerySet[Clock]:
    """Open clocks whose reminder or next escalation is due: one query on indexed columns."""
    due = Q(remind_at__lte=now, reminded_at__isnull=True, due_at__gt=now)
    for level, (_role, hours) in enumerate(escalation_chain()):
        due |= Q(escalation_level=level, due_at__lte=now - datetime.timedelta(hours=hours))
    return Clock.objects.open().filter(due)


def sweep_clocks(*, now: datetime.datetime | None = None) -> int:
    """Remind owners before a clock falls due; when it is breached, alert up the chain, each
    step once per clock. The deadlines of one code (a case's own and its referrals') advance in
    one transaction, the most overdue first: whoever several of them concern hears once
    (notifications/outbox.py), not once per deadline."""
    now = now or timezone.now()
    chain = escalation_chain()
    due = list(clocks_due(now).order_by("due_at", "pk"))
    deadlines = deadlines_of(due)
    topics: dict[str, list[int]] = defaultdict(list)
    for clock in due:
        deadline = deadlines.get(clock.pk)
        topics[topic_of(deadline) if deadline is not None else f"clock:{clock.pk}"].append(clock.pk)
    handled = 0
    # Who owns a commune's deadlines and how each wants to be told are read once per sweep.
    with remembered_staff(), remembered_preferences():
        for clock_ids in topics.values():
            with transaction.atomic(), one_notice_per_person():
                for clock_id in clock_ids:
                    handled += advance_clock(
                        clock_id, now, found=deadlines.get(clock_id), chain=chain
                    )
    return handled
