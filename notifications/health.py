"""/healthz's "outbox_oldest_seconds": how long the oldest undelivered notification has waited;
and "outbox_failed_last_day": how many were given up in the last day.

Undelivered means pending: not yet sent and not given up. Normally a row is delivered seconds
after its event commits, so age is what shows a stuck pipeline: no worker, the broker lost, a
gateway refusing every message. A channel down for longer than the retries last (about an hour)
turns its messages into failed rows, which leave the backlog: counted apart, so that monitoring
sees an outage the age no longer shows.
"""

import datetime

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from core.health import CheckResult, register_health_check
from notifications.models import Notification

# Past this the outbox is "degraded". A row lost with a killed worker is queued again only after
# CHECHO_OUTBOX_REQUEUE_SECONDS and the next minute's sweep, so the threshold stays two minutes
# beyond that: recovery working as designed is not flagged, a pipeline stalled for ten is.
OUTBOX_LATE_AFTER_SECONDS = 600


def outbox_late_after_seconds() -> int:
    return max(OUTBOX_LATE_AFTER_SECONDS, settings.CHECHO_OUTBOX_REQUEUE_SECONDS + 120)


def outbox_oldest_seconds() -> CheckResult:
    # One query: the first entry of the partial index notification_pending_age_idx (created_at
    # of the pending rows), so it costs the same whatever the backlog and the history of sent
    # rows. 0 when nothing waits.
    oldest = Notification.objects.filter(status=Notification.Status.PENDING).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    if oldest is None:
        return CheckResult(True, 0)
    age = max(0, int((timezone.now() - oldest).total_seconds()))
    return CheckResult(age <= outbox_late_after_seconds(), age)


def outbox_failed_last_day() -> CheckResult:
    # Failed rows are few: the status index, then the day.
    since = timezone.now() - datetime.timedelta(days=1)
    failed = Notification.objects.filter(
        status=Notification.Status.FAILED, created_at__gte=since
    ).count()
    return CheckResult(failed == 0, failed)


register_health_check("outbox_oldest_seconds", outbox_oldest_seconds)
register_health_check("outbox_failed_last_day", outbox_failed_last_day)
