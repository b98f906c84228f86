"""Delivery on PostgreSQL: one worker's lock never holds another back, and the row is found by
its key whatever the planner believes about the outbox."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from core.models import User
from notifications import outbox
from notifications.benchmark import RECIPIENT, delivery_rates
from notifications.delivery import (
    IN_APP_SENT,
    deliver,
    deliver_notification,
    locked_for_delivery,
)
from notifications.models import Notification


def held_in_another_connection(sql: str, params: list, work):
    """Run `work()` while another connection holds the row locks `sql` takes; return its result."""
    locked, release = threading.Event(), threading.Event()

    def holder() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        return work()
    finally:
        release.set()
        thread.join(timeout=30)


def pending(recipient: User, channel: str, key: str) -> Notification:
    return Notification.objects.create(
        key=key, recipient=recipient, channel=channel, event="case_received", params={"code": "X"}
    )


def test_a_row_is_delivered_while_another_worker_holds_its_recipient(committed_demo):
    assert connection.vendor == "postgresql"
    officer = committed_demo["officer_a"]
    officer.email = "officer@example.org"
    officer.save()
    email, in_app = pending(officer, "email", "k:email"), pending(officer, "in_app", "k:app")

    outcomes = held_in_another_connection(
        "SELECT id FROM core_user WHERE id = %s FOR UPDATE",
        [officer.pk],
        lambda: [deliver(email.pk), deliver(in_app.pk)],
    )

    assert outcomes == ["sent", "sent"]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_row_another_worker_holds_is_skipped_and_stays_pending(committed_demo):
    officer = committed_demo["officer_a"]
    rows = [pending(officer, "in_app", "k:app"), pending(officer, "sms", "k:sms")]

    for row in rows:
        outcome = held_in_another_connection(
            "SELECT id FROM notifications_notification WHERE id = %s FOR UPDATE",
            [row.pk],
            lambda row=row: deliver(row.pk),
        )
        assert outcome == "skipped"
        row.refresh_from_db()
        assert (row.status, row.attempts, row.sent_at) == ("pending", 0, None)


def test_the_row_is_found_by_its_key_when_statistics_say_nothing_is_pending(committed_demo):
    # Statistics taken when the outbox was empty, then a backlog: the planner believes no row is
    # pending, which once made the status index look cheaper than the key (10 ms a delivery).
    officer = committed_demo["officer_a"]
    Notification.objects.update(status="sent")
    Notification.objects.bulk_create(
        Notification(
            key=f"s:{n}", recipient=officer, channel="in_app", event="case_received", status="sent"
        )
        for n in range(20000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_notification")
    Notification.objects.bulk_create(
        Notification(key=f"k:{n}", recipient=officer, channel="in_app", event="case_received")
        for n in range(3000)
    )
    row = Notification.objects.order_by("-pk").first()
    assert row is not None
    with transaction.atomic():  # FOR UPDATE is compiled only inside one
        sql, params = locked_for_delivery(row.pk).query.sql_with_params()
    # What the outbox reads back: the rows of a key to queue, a row to fold a notice into.
    with CaptureQueriesContext(connection) as outbox_reads:
        outbox.fold_into(row.pk, outbox.Notice("case_received", {"code": "Y"}, ""), "")
        outbox.enqueue_pending(row.key)
    [fold, rows_of_key] = [
        query["sql"] for query in outbox_reads.captured_queries if query["sql"].startswith("SELECT")
    ][:2]
    with connection.cursor() as cursor:
        plans = []
        in_app = [row.pk, True, "sent", None, "pending", "in_app"]
        for statement, values in [
            (sql, params),
            (IN_APP_SENT, in_app),
            (fold, None),
            (rows_of_key, None),
        ]:
            cursor.execute("EXPLAIN " + statement, values)
            plans.append("\n".join(line for (line,) in cursor.fetchall()))

    for plan in plans[:3]:
        assert "notifications_notification_pkey" in plan, plan
    assert "notification_once" in plans[3], plans[3]
    for plan in plans:
        for index in ("notification_status_idx", "notification_pending_idx", "_age_idx"):
            assert index not in plan, plan


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_marking_an_in_app_row_leaves_the_session_durable(committed_demo):
    # The mark's own commit may skip the wait for the disk (notifications/delivery.py); the
    # setting is the transaction's, so the connection's next transaction waits again.
    row = pending(committed_demo["officer_a"], "in_app", "k:app")
    assert connection.get_autocommit() and synchronous_commit() == "on"

    assert deliver(row.pk) == "sent"

    assert synchronous_commit() == "on"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)


def test_a_mark_inside_a_callers_transaction_keeps_its_commit_durable(committed_demo):
    # Inside a transaction the setting would hold for everything the caller writes in it.
    row = pending(committed_demo["officer_a"], "in_app", "k:app")

    with transaction.atomic():
        assert deliver(row.pk) == "sent"
        assert synchronous_commit() == "on"


def test_the_delivery_benchmark_times_one_worker_on_both_sides(committed_demo, broker):
    rates = delivery_rates(40)

    assert rates.count == 40 and rates.notifications_per_second > 0 and rates.noops_per_second > 0
    assert not Notification.objects.filter(recipient__username=RECIPIENT).exists()  # cleaned up
    with pytest.raises(RuntimeError, match="already wait"):
        deliver_notification.delay(0)  # a task left on the broker: the next run refuses
        delivery_rates(10)
