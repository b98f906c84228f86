"""The outbox with a real Redis and a real Celery worker: delivered through the broker, nothing
lost when Redis is down or a worker is killed, and nothing delivered twice."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from notifications import delivery, sweeps
from notifications.models import Notification, Preference
from tests.cases.test_services_workflow import record
from tests.services.conftest import wait_until


@pytest.fixture
def officer_b_by_sms(committed_demo):
    officer = committed_demo["officer_b"]
    officer.phone = "0912345678"
    officer.save()
    Preference.objects.create(user=officer, in_app=True, email=False, sms=True)
    return officer


def sms_of(case_event_filter: dict) -> Notification:
    return Notification.objects.get(channel="sms", **case_event_filter)


def all_sent() -> bool:
    return not Notification.objects.exclude(status="sent").exists()


def test_an_event_is_delivered_through_redis_by_the_worker(
    committed_demo, officer_b_by_sms, worker
):
    assert connection.vendor == "postgresql"
    worker.start()

    record(committed_demo["hotline"], code="14329")  # commits: the outbox row goes to Redis

    wait_until(all_sent, timeout=30)
    sms = sms_of({"event": "case_received"})
    assert worker.deliveries(sms.pk) == 1
    assert Notification.objects.filter(recipient=officer_b_by_sms, status="sent").count() == 2


def test_with_redis_down_the_event_commits_and_the_sweep_delivers_each_once(
    committed_demo, officer_b_by_sms, worker
):
    worker.redis.stop()

    case = record(committed_demo["hotline"], code="14329")

    assert case.pk is not None  # the report is recorded although Redis is down
    pending = Notification.objects.filter(status="pending")
    assert pending.count() == 2

    worker.redis.start()
    worker.start()
    assert sweeps.sweep_outbox() == 2
    wait_until(all_sent, timeout=30)
    sms = sms_of({"event": "case_received"})
    assert worker.deliveries(sms.pk) == 1

    # A later sweep finds nothing left and sends nothing again.
    assert sweeps.sweep_outbox(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert worker.deliveries(sms.pk) == 1


def test_a_worker_killed_mid_delivery_delivers_after_restart_once(
    committed_demo, officer_b_by_sms, worker
):
    worker.start(sms_delay=30)
    record(committed_demo["hotline"], code="14329")
    sms = sms_of({"event": "case_received"})
    wait_until(lambda: worker.deliveries(sms.pk, started=True) == 1, timeout=30)

    worker.kill()  # SIGKILL in the middle of sending

    # Claimed before it was sent, its attempt counted: lost with the worker, not forgotten.
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("sending", 1)
    assert worker.deliveries(sms.pk) == 0

    worker.start(sms_delay=0)
    # The sweep, once the claim's lease has passed, gives the row back to the new worker.
    later = timezone.now() + delivery.SENDING_LEASE
    assert sweeps.sweep_outbox(now=later) >= 1
    wait_until(lambda: Notification.objects.get(pk=sms.pk).status == "sent", timeout=30)
    assert worker.deliveries(sms.pk) == 1
    sms.refresh_from_db()
    assert sms.attempts == 2
