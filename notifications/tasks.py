"""Celery tasks: thin, idempotent wrappers that take ids and re-read state."""

from celery import shared_task

from notifications import digest, services


@shared_task(name="notifications.tasks.deliver_notification", acks_late=True)
def deliver_notification(notification_id: int) -> str:
    return services.deliver(notification_id)


@shared_task(name="notifications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    return services.sweep_outbox()


@shared_task(name="notifications.tasks.sweep_clocks")
def sweep_clocks() -> int:
    return services.sweep_clocks()


@shared_task(name="notifications.tasks.send_daily_digests")
def send_daily_digests() -> int:
    return digest.send_daily_digests()
