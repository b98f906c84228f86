"""How many notifications one Celery worker delivers per second through Redis."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core import health
from core.benchmarks import register_benchmark
from core.models import User
from core.tasks import noop
from notifications.models import Notification, Preference
from notifications.outbox import notify

RECIPIENT = "benchmark-recipient"


def start_worker(log: Path, redis_url: str) -> subprocess.Popen:
    env = {**os.environ, "REDIS_URL": redis_url}
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "core",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=str(settings.BASE_DIR),
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return process


def wait_for(condition, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up after {timeout:.0f} s")
        time.sleep(0.05)


@register_benchmark("notifications", "notifications delivered per second through Redis, one worker")
def deliveries_per_second(*, count: int | None = None) -> list[str]:
    count = count or 1000
    redis_url = settings.REDIS_URL
    if not redis_url:
        raise RuntimeError("Set REDIS_URL: this measures delivery through a real broker.")
    user, _created = User.objects.get_or_create(username=RECIPIENT, defaults={"is_active": True})
    Preference.objects.update_or_create(user=user, defaults={"email": False, "sms": False})
    Notification.objects.filter(recipient=user).delete()
    log = Path(tempfile.mkdtemp()) / "worker.log"
    worker = start_worker(log, redis_url)
    try:
        # A warm-up notification proves the worker is consuming before the clock starts.
        with transaction.atomic():
            notify(
                key="benchmark:warm-up",
                recipients=[user],
                event="daily_digest",
                params={"count": 0},
            )
        sent = Notification.objects.filter(recipient=user, status=Notification.Status.SENT)
        wait_for(lambda: sent.exists(), timeout=60)

        started = time.perf_counter()
        with transaction.atomic():
            for n in range(count):
                notify(
                    key=f"benchmark:{n}",
                    recipients=[user],
                    event="daily_digest",
                    params={"count": n},
                )
        wait_for(lambda: sent.count() == count + 1, timeout=max(120, count / 5))
        elapsed = time.perf_counter() - started
        baseline = noop_seconds(count, redis_url)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        Notification.objects.filter(recipient=user).delete()
    return [
        f"database: {connection.vendor}; broker: {settings.REDIS_URL}; worker: 1 (solo pool)",
        f"{count} notifications queued and delivered in {elapsed:.2f} s "
        f"({timezone.now():%Y-%m-%d %H:%M})",
        f"throughput: {count / elapsed:.0f} notifications per second",
        f"baseline: {count / baseline:.0f} no-op tasks per second through the same worker; "
        f"notifications at {baseline / elapsed:.0%} of it",
    ]


def noop_seconds(count: int, redis_url: str) -> float:
    """How long the worker takes to run `count` tasks that do nothing, the last one marking it."""
    mark = f"checho-benchmark-noop:{time.time_ns()}"
    client = health.redis_client(redis_url)
    started = time.perf_counter()
    for _ in range(count - 1):
        noop.delay()
    noop.delay(mark)
    wait_for(lambda: client.get(mark) is not None, timeout=max(120, count / 5))
    return time.perf_counter() - started
