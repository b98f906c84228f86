"""How many notifications one Celery worker delivers per second through Redis."""

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from core import health
from core.benchmarks import register_benchmark
from core.models import User
from core.tasks import noop
from notifications.models import Notification, Preference
from notifications.outbox import notify

RECIPIENT = "benchmark-recipient"
QUEUE = "celery"  # Celery's default queue: the list in Redis its worker reads


def start_worker(log: Path, redis_url: str) -> subprocess.Popen:
    env = {**os.environ, "REDIS_URL": redis_url}
    if connection.vendor == "postgresql":  # the database this process uses (a test's, too)
        database = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{quote(database['USER'])}:{quote(database['PASSWORD'] or '')}@"
            f"{database['HOST']}:{database['PORT']}/{quote(database['NAME'])}"
        )
    else:
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


@dataclass
class DeliveryRates:
    count: int
    queued_seconds: float  # the producer: rows written and tasks published
    notifications_per_second: float  # the worker draining the queued deliveries
    noops_per_second: float  # the same worker draining as many tasks that do nothing

    @property
    def share(self) -> float:
        return self.notifications_per_second / self.noops_per_second


def delivery_rates(count: int = 1000, *, purge: bool = False) -> DeliveryRates:
    """Queue `count` in-app notifications and then `count` no-op tasks with no worker running,
    start one solo worker and time it draining each: the same queue, the same worker, the work of
    the task the only difference. Each side is timed from inside its first and last task (the
    rows' sent_at; Redis's clock for the no-ops), so starting the worker and publishing are not
    counted in either. With `purge`, the tasks already queued on the broker are thrown away
    first (the scale benchmark's broker, which its sweep filled)."""
    redis_url = settings.REDIS_URL
    if not redis_url:
        raise RuntimeError("Set REDIS_URL: this measures delivery through a real broker.")
    if count < 2:
        raise ValueError("Time at least two tasks: a rate is measured between the first and last.")
    user, _created = User.objects.get_or_create(username=RECIPIENT, defaults={"is_active": True})
    Preference.objects.update_or_create(user=user, defaults={"email": False, "sms": False})
    Notification.objects.filter(recipient=user).delete()
    client = health.redis_client(redis_url)
    if waiting := client.llen(QUEUE):  # the worker would drain these first
        if not purge:
            raise RuntimeError(
                f"{waiting} tasks already wait in {redis_url}: use a broker of its own."
            )
        client.delete(QUEUE)
    run = time.time_ns()
    first, last = f"checho-benchmark-noop:{run}:first", f"checho-benchmark-noop:{run}:last"

    started = time.perf_counter()
    with transaction.atomic():  # the tasks are published when this commits
        for n in range(count):
            notify(
                key=f"benchmark:{n}", recipients=[user], event="daily_digest", params={"count": n}
            )
    queued = time.perf_counter() - started
    noop.delay(first)
    for _ in range(count - 2):
        noop.delay()
    noop.delay(last)

    log = Path(tempfile.mkdtemp()) / "worker.log"
    worker = start_worker(log, redis_url)
    try:
        wait_for(lambda: client.get(last) is not None, timeout=max(120, count / 5))
        sent = Notification.objects.filter(recipient=user, status=Notification.Status.SENT)
        span = sent.aggregate(first=Min("sent_at"), last=Max("sent_at"))
        if sent.count() != count:
            raise RuntimeError(f"{sent.count()} of {count} notifications sent; see {log}")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        Notification.objects.filter(recipient=user).delete()
    delivering = (span["last"] - span["first"]).total_seconds()
    noops = float(client.get(last) or 0) - float(client.get(first) or 0)
    return DeliveryRates(count, queued, (count - 1) / delivering, (count - 1) / noops)


@register_benchmark("notifications", "notifications delivered per second through Redis, one worker")
def deliveries_per_second(*, count: int | None = None) -> list[str]:
    rates = delivery_rates(count or 1000)
    return [
        f"database: {connection.vendor}; broker: {settings.REDIS_URL}; worker: 1 (solo pool)",
        f"{rates.count} notifications written and queued in {rates.queued_seconds:.2f} s "
        f"({timezone.now():%Y-%m-%d %H:%M})",
        f"delivered: {rates.notifications_per_second:.0f} notifications per second",
        f"baseline: {rates.noops_per_second:.0f} no-op tasks per second through the same worker; "
        f"notifications at {rates.share:.0%} of it",
    ]
