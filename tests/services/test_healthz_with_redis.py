import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import User
from core.tasks import beat_heartbeat
from notifications.models import Notification
from tests.services.conftest import wait_until


def test_it_answers_200_with_postgresql_and_a_real_redis(client, db, settings, redis_server):
    assert connection.vendor == "postgresql"
    settings.REDIS_URL = redis_server.url

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "broker": "ok",
        # A fresh Redis has no heartbeat yet: reported, and 200 all the same.
        "beat": "never",
        "beat_seconds_ago": None,
        "outbox_oldest_seconds": 0,
        "outbox_failed_last_day": 0,
        "degraded": ["beat"],
    }


def test_it_answers_503_naming_the_broker_once_redis_stops(client, db, settings, redis_server):
    settings.REDIS_URL = redis_server.url
    redis_server.stop()

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["database"], body["broker"], body["down"]) == ("ok", "down", ["broker"])
    assert body["beat"] is None  # not read from a Redis that is gone


def test_the_heartbeat_a_worker_runs_is_what_healthz_reads(client, db, worker):
    worker.start()
    assert client.get("/healthz?strict").status_code == 503  # no heartbeat yet

    beat_heartbeat.delay()  # what beat sends every minute, through the broker to the worker

    wait_until(lambda: client.get("/healthz").json()["beat"] == "ok", timeout=30)
    response = client.get("/healthz?strict")
    assert response.status_code == 200
    assert response.json()["beat_seconds_ago"] <= 30


def test_the_outbox_age_on_postgresql_reads_the_pending_age_index(client, db, settings):
    settings.REDIS_URL = None
    recipient = User.objects.create_user("recipient", password="x")
    created = timezone.now() - datetime.timedelta(minutes=11)
    Notification.objects.create(
        key="test:1",
        recipient=recipient,
        channel="sms",
        event="case_received",
        created_at=created,
        next_attempt_at=created,
    )

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/healthz").json()

    assert 659 <= body["outbox_oldest_seconds"] <= 662
    assert body["degraded"] == ["outbox_oldest_seconds"]
    [outbox_query] = [
        q["sql"]
        for q in queries
        if "notifications_notification" in q["sql"] and "MIN(" in q["sql"].upper()
    ]
    # The plan a busy outbox gets: many rows already sent, a backlog pending, statistics up to
    # date. With a backlog the oldest row is the first entry of the age index; the retry index
    # (notification_pending_idx) would have to read every pending row.
    sent = timezone.now() - datetime.timedelta(days=1)
    Notification.objects.bulk_create(
        Notification(
            key=f"{status}:{n}",
            recipient=recipient,
            channel="sms",
            event="case_received",
            status=status,
            created_at=at,
            next_attempt_at=at,
        )
        for status, count, first in [("sent", 5000, sent), ("pending", 2000, created)]
        for n, at in ((n, first + datetime.timedelta(seconds=n)) for n in range(1, count))
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_notification")
        cursor.execute(f"EXPLAIN {outbox_query}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notification_pending_age_idx" in plan, plan  # the oldest pending row, not a scan
