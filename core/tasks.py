"""Core's Celery tasks: the beat heartbeat behind /healthz's "beat"."""

from celery import shared_task
from django.conf import settings

from core import health


@shared_task(name="core.tasks.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Record that the minute schedule ran. Beat sends it and a worker runs it, so a fresh mark
    says the scheduler, the broker and a worker all work: what the outbox and deadline sweeps,
    sent the same way, need.

    The mark goes to Redis, which every web process can read (the default cache is per process)
    and which beat needs anyway; in Redis's own time, so hosts' clocks do not have to agree."""
    if settings.REDIS_URL is None:
        return  # tasks run in process: no beat, nothing for /healthz to watch
    client = health.redis_client(settings.REDIS_URL)
    seconds, _microseconds = client.time()
    client.set(health.BEAT_HEARTBEAT_KEY, seconds)


@shared_task(name="core.tasks.noop", ignore_result=True)
def noop(mark: str = "") -> None:
    """Nothing: the baseline a worker's throughput is measured against (`benchmark
    notifications`). The first and last of a run leave `mark` in Redis with Redis's time, so
    the benchmark times the worker from the first to the last."""
    if mark and settings.REDIS_URL:
        client = health.redis_client(settings.REDIS_URL)
        seconds, microseconds = client.time()
        client.set(mark, seconds + microseconds / 1_000_000, ex=600)
