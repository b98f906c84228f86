from celery import shared_task

from access import services


@shared_task
def delete_expired_permissions() -> int:
    """Hourly: guardian's rows of accesses that have run out (the selectors already ignore them)."""
    return services.delete_expired_permissions()
