"""The periodic sweeps (run every minute by celery beat through tasks.py): queue again the outbox
rows that are still pending, and advance the clocks whose reminder or escalation is due."""

import datetime
import logging

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core.clocks import chain_for, save_progress
from core.models import Clock
from core.policy import escalation_chain
from core.staff import remember_units, remembered_staff
from notifications.deadlines import deadlines_of
from notifications.escalation import advance
from notifications.models import Notification
from notifications.outbox import enqueue, remembered_preferences, written_together

logger = logging.getLogger(__name__)


def sweep_outbox(*, now: datetime.datetime | None = None, limit: int = 1000) -> int:
    """Queue again every pending row whose time has come: never queued because the broker was
    down, lost with a worker, or waiting for its next retry."""
    now = now or timezone.now()
    requeue_at = now + datetime.timedelta(seconds=settings.CHECHO_OUTBOX_REQUEUE_SECONDS)
    with transaction.atomic():
        # Claims whose worker was lost while sending (notifications.delivery.claim), given back
        # with their attempt counted.
        Notification.objects.filter(
            status=Notification.Status.SENDING, next_attempt_at__lte=now
        ).update(status=Notification.Status.PENDING)
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", "channel")[:limit]
        )
        Notification.objects.filter(pk__in=[pk for pk, _channel in rows]).update(
            next_attempt_at=requeue_at
        )
    enqueue(rows)
    return len(rows)


def clocks_due(now: datetime.datetime) -> models.QuerySet[Clock]:
    """Open clocks whose reminder or next escalation is due: one range of a partial index."""
    return Clock.objects.needing_action(now)


# Large enough that a backlog costs few round trips, small enough that a batch's transaction
# holds its locks for well under a second.
BATCH_SIZE = 500


def sweep_clocks(*, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Remind owners before a clock falls due; when it is breached, alert up the chain, each
    step once per clock. The due clocks are taken in batches, in the order they fell due; each
    batch is one transaction of a constant number of queries (locked with one query, records,
    owners and preferences read with one query each, notices written with one insert, clocks
    moved on with one update), in which a person hears once of all that fell due on one code.

    A batch that fails is taken again clock by clock, so one clock that cannot be advanced
    (logged) does not hold the others back; the next sweep tries it again."""
    now = now or timezone.now()
    chain: list[tuple[str, int]] | None = None  # read once, when something is due
    handled = 0
    after: tuple[datetime.datetime, int] | None = None
    with remembered_staff(), remembered_preferences():
        while True:
            ids: list[int] = []
            try:
                with transaction.atomic():
                    batch = locked_due(now, after, batch_size)
                    ids = [clock.pk for clock in batch]
                    if batch:
                        after = (batch[-1].next_action_at, batch[-1].pk)  # type: ignore[assignment]
                        chain = chain if chain is not None else escalation_chain()
                        handled += advance_clocks(batch, now, chain)
            except Exception:
                if not ids:
                    raise
                logger.exception("A batch of %d deadlines failed; taken one by one", len(ids))
                handled += advance_one_by_one(ids, now, chain or escalation_chain())
            if len(ids) < batch_size:
                return handled


def locked_due(
    now: datetime.datetime, after: tuple[datetime.datetime, int] | None, limit: int
) -> list[Clock]:
    """The next due clocks after `after`, locked; a clock another sweep holds is skipped."""
    due = clocks_due(now)
    if after is not None:
        moment, pk = after
        due = due.filter(next_action_at__gte=moment).filter(
            Q(next_action_at__gt=moment) | Q(pk__gt=pk)
        )
    return list(due.select_for_update(skip_locked=True).order_by("next_action_at", "pk")[:limit])


def advance_clocks(
    clocks: list[Clock], now: datetime.datetime, chain: list[tuple[str, int]]
) -> int:
    deadlines = deadlines_of(clocks)
    remember_units(clock.unit_path for clock in clocks)  # the chain's people, for escalations
    steps = 0
    with written_together():
        for clock in sorted(clocks, key=lambda clock: (clock.due_at, clock.pk)):
            deadline = deadlines.get(clock.pk)
            if deadline is None:
                # No app registers its kind any more, or its record is gone: nobody to tell.
                clock.next_action_at = None
                continue
            steps += advance(clock, deadline, now, chain)
            clock.next_action_at = clock.next_action(chain_for(clock.kind, chain), now)
    save_progress(clocks)
    return steps


def advance_one_by_one(ids: list[int], now: datetime.datetime, chain: list[tuple[str, int]]) -> int:
    handled = 0
    for clock_id in ids:
        try:
            with transaction.atomic():
                clock = clocks_due(now).select_for_update(skip_locked=True).filter(pk=clock_id)
                handled += advance_clocks(list(clock), now, chain)
        except Exception:
            logger.exception(
                "Deadline %d could not be advanced; the next sweep tries again", clock_id
            )
    return handled
