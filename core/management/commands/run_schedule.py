"""Run the beat schedule (settings.CELERY_BEAT_SCHEDULE) in this process, for a machine without
Redis: `make demo` starts it beside runserver, so deadlines remind and escalate while the demo
runs. With REDIS_URL, `celery -A core beat` and a worker do this instead.

Each task is called here, by the name the schedule gives it (core does not import the apps that
declare them): the clock sweep, the outbox sweep, the morning digest. On SQLite it shares the
database with runserver: every task writes in short transactions, and one that finds the
database busy past its timeout is logged and runs again at the next tick.
"""

import datetime
import logging
import signal
import threading
from dataclasses import dataclass
from typing import Any

from celery.schedules import BaseSchedule, schedule
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError, close_old_connections, connection

from core.celery import app as celery_app

logger = logging.getLogger("core.schedule")
# How long the loop sleeps at most between two looks at the schedule.
LONGEST_NAP = 60.0


@dataclass
class Entry:
    name: str
    task: str
    when: BaseSchedule
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] | None = None
    last_run_at: datetime.datetime | None = None

    @property
    def repeats(self) -> bool:
        """Every few seconds (not at an hour of the day, like the digest)."""
        return type(self.when) is schedule

    def describe(self) -> str:
        if self.repeats:
            return f"{self.name} every {self.when.seconds:g} s"  # type: ignore[attr-defined]
        return f"{self.name} at {self.when}"


def schedule_entries() -> list[Entry]:
    """The beat schedule's entries; their tasks are found as a worker finds them, in each app's
    tasks module (without the worker's second django.setup() and system checks)."""
    celery_app.autodiscover_tasks(force=True)
    entries = []
    beat: dict[str, dict[str, Any]] = settings.CELERY_BEAT_SCHEDULE
    for name, spec in beat.items():
        when = spec["schedule"]
        if not isinstance(when, BaseSchedule):
            when = schedule(run_every=datetime.timedelta(seconds=float(when)), app=celery_app)
        entries.append(
            Entry(name, spec["task"], when, tuple(spec.get("args", ())), spec.get("kwargs"))
        )
    return entries


def release_connections() -> None:
    """Let go of a connection gone stale or broken between ticks, as a worker does between tasks;
    never inside a transaction (a caller's: a test's)."""
    if not connection.in_atomic_block:
        close_old_connections()


def run(entry: Entry) -> bool:
    """Run one entry's task here; False when it failed (logged), to be tried at the next tick."""
    release_connections()
    try:
        result = celery_app.tasks[entry.task](*entry.args, **(entry.kwargs or {}))
    except OperationalError as error:
        # SQLite: runserver held the write lock past the timeout ("database is locked").
        logger.warning("%s: the database is busy (%s); again at the next tick", entry.name, error)
        return False
    except Exception:
        logger.exception("%s failed; again at the next tick", entry.name)
        return False
    finally:
        release_connections()
    if result:
        logger.info("%s: %s", entry.name, result)
    else:
        logger.debug("%s: nothing to do", entry.name)
    return True


class Command(BaseCommand):
    help = (
        "Run the periodic tasks of the beat schedule in this process, without Redis: the clock "
        "and outbox sweeps every minute, the morning digest. Stops on SIGTERM or Ctrl-C."
    )
    # runserver, started beside it, checks the project; the schedule need not wait for that.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the tasks that repeat every few seconds once, now, and stop "
            "(the daily ones wait for their hour).",
        )

    def handle(self, *args: Any, once: bool, verbosity: int, **options: Any) -> None:
        if settings.REDIS_URL:
            raise CommandError(
                "REDIS_URL is set: run `celery -A core beat` and a worker instead of this."
            )
        logger.setLevel({0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG))
        entries = schedule_entries()
        if once:
            failed = [entry.name for entry in entries if entry.repeats and not run(entry)]
            if failed:
                raise CommandError(f"Failed: {', '.join(failed)} (see the log above).")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda _signal, _frame: stop.set())
        logger.info(
            "Running the beat schedule in process: %s",
            ", ".join(entry.describe() for entry in entries),
        )
        now = celery_app.now()
        for entry in entries:
            # The sweeps run at once; the daily tasks wait for their next hour.
            entry.last_run_at = None if entry.repeats else now
        try:
            while not stop.is_set():
                stop.wait(self.tick(entries))
        except KeyboardInterrupt:
            pass
        logger.info("Stopped running the beat schedule.")

    def tick(self, entries: list[Entry]) -> float:
        """Run what is due; return how long to sleep until the next entry is."""
        nap = LONGEST_NAP
        for entry in entries:
            if entry.last_run_at is None:
                due, next_in = True, entry.when.remaining_estimate(celery_app.now()).total_seconds()
            else:
                due, next_in = entry.when.is_due(entry.last_run_at)
            if due:
                run(entry)
                # A failed run is tried again at the next tick, not at once.
                entry.last_run_at = celery_app.now()
            nap = min(nap, next_in)
        return max(nap, 1.0)
