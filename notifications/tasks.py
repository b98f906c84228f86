"""Every Celery task of the notifications: thin, idempotent wrappers that take ids and re-read
state. The worker discovers the tasks through this module.

The task names are fixed: settings.CELERY_BEAT_SCHEDULE and messages already queued refer to them.
`deliver_notifications` and `deliver_notification` are declared in delivery.py, below the outbox
that queues them (see there); they are listed here so this module names every task.
"""

from celery import shared_task

from notifications import digest, sweeps
from notifications.delivery import deliver_notification, deliver_notifications

__all__ = [
    "deliver_notification",
    "deliver_notifications",
    "send_daily_digests",
    "sweep_clocks",
    "sweep_outbox",
]


@shared_task(name="notifications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    return sweeps.sweep_outbox()


@shared_task(name="notifications.tasks.sweep_clocks")
def sweep_clocks() -> int:
    return sweeps.sweep_clocks()


@shared_task(name="notifications.tasks.send_daily_digests")
def send_daily_digests() -> int:
    return digest.send_daily_digests()
