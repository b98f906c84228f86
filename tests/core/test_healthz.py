"""`GET /healthz` answers 200 when the database and the broker answer, 503 naming what is down,
and reports the beat heartbeat and the outbox's oldest undelivered row ("degraded", not 503,
unless `?strict`)."""

import datetime
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError
from django.utils import timezone

from core import health
from core.celery import app
from core.models import User
from core.tasks import beat_heartbeat
from notifications.health import outbox_oldest_seconds
from notifications.models import Notification


def test_it_answers_200_without_a_broker_to_check(client, db, settings):
    settings.REDIS_URL = None  # tasks run in process

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "broker": "ok",
        "beat": "not used",  # no broker, no beat: nothing late about it
        "beat_seconds_ago": None,
        "outbox_oldest_seconds": 0,
        "outbox_failed_last_day": 0,
    }
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_naming_the_broker_when_redis_does_not_answer(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "down"
    assert body["down"] == ["broker"]
    # The heartbeat lives in Redis: not read again (and not waited on) once the broker is down.
    assert body["beat"] is None
    assert "degraded" not in body


def test_it_answers_503_naming_the_database_when_it_does_not_answer(
    client, db, settings, monkeypatch
):
    settings.REDIS_URL = None
    monkeypatch.setattr(health, "database_is_up", lambda: False)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "database": "down",
        "broker": "ok",
        "beat": "not used",
        "beat_seconds_ago": None,
        "outbox_oldest_seconds": None,  # not asked of a database that is down
        "outbox_failed_last_day": None,
        "down": ["database"],
    }


def test_it_names_both_when_both_are_down(client, db, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(health, "database_is_up", lambda: False)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["broker", "database"]


class BrokenConnection:
    def cursor(self):
        raise OperationalError("server closed the connection unexpectedly")


def test_the_database_check_reports_a_failing_connection_as_down(db, monkeypatch):
    assert health.database_is_up() is True

    monkeypatch.setattr(health, "connection", BrokenConnection())

    assert health.database_is_up() is False


def test_it_answers_only_get(client, db):
    assert client.post("/healthz").status_code == 405


def test_an_unparseable_broker_url_is_reported_down_not_an_error(client, db, settings):
    settings.REDIS_URL = "redis://:@:notaport/x"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


# --- The outbox ----------------------------------------------------------------------------------


@pytest.fixture
def waiting(db) -> Callable[..., Notification]:
    """A notification created `minutes` ago, in `status`."""
    recipient = User.objects.create_user("recipient", password="x")

    def make(minutes: float, status: str = Notification.Status.PENDING) -> Notification:
        created = timezone.now() - datetime.timedelta(minutes=minutes)
        return Notification.objects.create(
            key=f"test:{Notification.objects.count()}",
            recipient=recipient,
            channel="sms",
            event="case_received",
            status=status,
            created_at=created,
            next_attempt_at=created,
        )

    return make


@pytest.fixture
def no_broker(settings, db) -> None:
    settings.REDIS_URL = None


def test_the_age_of_the_oldest_undelivered_row_shows(client, no_broker, waiting):
    waiting(minutes=1)
    waiting(minutes=5)

    response = client.get("/healthz?strict")

    assert response.status_code == 200  # five minutes is within the threshold
    assert 299 <= response.json()["outbox_oldest_seconds"] <= 302
    assert "degraded" not in response.json()


def test_an_outbox_row_waiting_past_ten_minutes_is_degraded_and_503_when_strict(
    client, no_broker, waiting
):
    waiting(minutes=11)

    response = client.get("/healthz")
    strict = client.get("/healthz?strict")

    # The load balancer keeps the web process: it still serves users.
    assert response.status_code == 200
    body = response.json()
    assert 659 <= body["outbox_oldest_seconds"] <= 662
    assert body["degraded"] == ["outbox_oldest_seconds"]
    assert "down" not in body
    # A monitor that reads only the status code is told.
    assert strict.status_code == 503
    assert strict.json()["degraded"] == ["outbox_oldest_seconds"]


def test_sent_and_failed_rows_are_not_a_backlog_however_old(client, no_broker, waiting):
    waiting(minutes=60 * 24, status=Notification.Status.SENT)
    waiting(minutes=60 * 25, status=Notification.Status.FAILED)

    response = client.get("/healthz?strict")

    assert response.status_code == 200
    assert response.json()["outbox_oldest_seconds"] == 0


def test_messages_given_up_in_the_last_day_are_counted_and_degraded(client, no_broker, waiting):
    """A channel down longer than the retries last turns its messages into failed rows, which
    leave the backlog: counted apart, so monitoring still sees the outage."""
    waiting(minutes=60 * 25, status=Notification.Status.FAILED)  # before the last day
    assert client.get("/healthz?strict").json()["outbox_failed_last_day"] == 0

    waiting(minutes=90, status=Notification.Status.FAILED)
    strict = client.get("/healthz?strict")

    assert strict.status_code == 503
    assert strict.json()["outbox_failed_last_day"] == 1
    assert strict.json()["degraded"] == ["outbox_failed_last_day"]


def test_the_outbox_threshold_leaves_room_for_a_longer_requeue_delay(
    client, no_broker, waiting, settings
):
    # A row lost with a worker is queued again after this delay plus a sweep: not yet stuck.
    settings.CHECHO_OUTBOX_REQUEUE_SECONDS = 900
    waiting(minutes=16)
    assert client.get("/healthz?strict").status_code == 200

    waiting(minutes=18)
    assert client.get("/healthz?strict").json()["degraded"] == ["outbox_oldest_seconds"]


def test_the_outbox_check_is_one_query(waiting, django_assert_num_queries):
    waiting(minutes=3)
    waiting(minutes=1)

    with django_assert_num_queries(1):
        result = outbox_oldest_seconds()

    assert result.ok is True
    assert 179 <= result.value <= 182


# --- The beat heartbeat --------------------------------------------------------------------------


class FakeRedis:
    """What the heartbeat and /healthz ask of Redis, on a clock the test moves."""

    def __init__(self, now: int) -> None:
        self.now = now
        self.data: dict[str, bytes] = {}

    def ping(self) -> bool:
        return True

    def time(self) -> tuple[int, int]:
        return self.now, 0

    def set(self, key: str, value: Any) -> None:
        self.data[key] = str(value).encode()

    def get(self, key: str) -> bytes | None:
        return self.data.get(key)

    def pipeline(self, transaction: bool = True) -> "FakePipeline":
        return FakePipeline(self)


class FakePipeline:
    def __init__(self, redis: FakeRedis) -> None:
        self.redis = redis
        self.calls: list[Callable[[], Any]] = []

    def __enter__(self) -> "FakePipeline":
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def get(self, key: str) -> None:
        self.calls.append(lambda: self.redis.get(key))

    def time(self) -> None:
        self.calls.append(self.redis.time)

    def execute(self) -> list[Any]:
        return [call() for call in self.calls]


@pytest.fixture
def redis(settings, monkeypatch, db) -> Iterator[FakeRedis]:
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"  # never dialled: redis_client is the fake
    fake = FakeRedis(now=1_800_000_000)
    monkeypatch.setattr(health, "redis_client", lambda url: fake)
    yield fake


def test_beat_is_ok_within_three_minutes_of_the_heartbeat(client, redis):
    beat_heartbeat()
    redis.now += 180

    response = client.get("/healthz?strict")

    assert response.status_code == 200
    body = response.json()
    assert (body["beat"], body["beat_seconds_ago"]) == ("ok", 180)
    assert "degraded" not in body


def test_beat_is_late_past_three_minutes_without_a_heartbeat(client, redis):
    beat_heartbeat()
    redis.now += 181

    response = client.get("/healthz")
    strict = client.get("/healthz?strict")

    assert response.status_code == 200
    body = response.json()
    assert (body["beat"], body["beat_seconds_ago"]) == ("late", 181)
    assert body["degraded"] == ["beat"]
    assert strict.status_code == 503

    beat_heartbeat()  # beat is back

    assert client.get("/healthz?strict").json()["beat"] == "ok"


def test_beat_that_never_ran_is_degraded(client, redis):
    response = client.get("/healthz?strict")

    assert response.status_code == 503
    assert response.json()["beat"] == "never"
    assert response.json()["degraded"] == ["beat"]


def test_a_heartbeat_that_cannot_be_read_is_unknown_and_logged(client, redis, caplog):
    redis.data[health.BEAT_HEARTBEAT_KEY] = b"not a number"

    with caplog.at_level(logging.ERROR, logger="core.health"):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["beat"] == "unknown"
    assert response.json()["degraded"] == ["beat"]
    assert "beat heartbeat" in caplog.text


def test_beat_sends_the_heartbeat_every_minute_to_a_task_the_worker_knows(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks

    assert entry["task"] in app.tasks
    assert entry["schedule"] == 60.0
    # A stale heartbeat is dropped rather than run late: it would not prove beat is running.
    assert entry["options"]["expires"] <= health.BEAT_LATE_AFTER_SECONDS


# --- Registered checks ---------------------------------------------------------------------------


@pytest.fixture
def checks(monkeypatch) -> dict[str, health.HealthCheck]:
    """The registry, restored after the test."""
    registry = dict(health._checks)
    monkeypatch.setattr(health, "_checks", registry)
    return registry


def test_a_check_that_raises_is_degraded_not_an_error(client, no_broker, checks, caplog):
    def broken() -> health.CheckResult:
        raise RuntimeError("boom")

    health.register_health_check("broken", broken)

    with caplog.at_level(logging.ERROR, logger="core.health"):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broken"] is None
    assert response.json()["degraded"] == ["broken"]
    assert "Health check broken failed" in caplog.text


def test_checks_are_not_run_while_the_database_is_down(client, no_broker, checks, monkeypatch):
    called: list[str] = []

    def spy() -> health.CheckResult:
        called.append("spy")
        return health.CheckResult(True, 1)

    health.register_health_check("spy", spy)
    monkeypatch.setattr(health, "database_is_up", lambda: False)

    response = client.get("/healthz")

    assert response.json()["spy"] is None
    assert "degraded" not in response.json()
    assert called == []


def test_a_check_may_not_take_a_key_core_writes(checks):
    with pytest.raises(ValueError, match="database"):
        health.register_health_check("database", lambda: health.CheckResult(True, "ok"))


def test_the_notifications_app_registers_the_outbox_check_when_django_starts():
    # In a fresh interpreter: this module imports notifications.health itself, which registers.
    started = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from core import health; print(sorted(health._checks))",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "core.settings"},
        cwd=str(django_settings.BASE_DIR),
        capture_output=True,
        text=True,
        check=True,
    )
    assert started.stdout.strip() == "['outbox_failed_last_day', 'outbox_oldest_seconds']"
