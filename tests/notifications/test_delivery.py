"""Delivery: once per event, recipient and channel; retried with back-off; never lost."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from notifications import delivery, outbox, sweeps
from notifications.models import Notification, Preference
from tests.cases.test_services_workflow import record


@pytest.fixture
def emailed(demo):
    officer = demo["officer_b"]
    Preference.objects.create(user=officer, email=True, sms=True)
    officer.phone = "0912345678"
    officer.save()
    return officer


def test_an_event_is_delivered_on_every_chosen_channel_once(demo, committed, emailed, sms):
    case = committed(record, demo["hotline"], code="14329")
    rows = Notification.objects.filter(recipient=emailed)
    assert set(rows.values_list("channel", "status")) == {
        ("in_app", "sent"),
        ("email", "sent"),
        ("sms", "sent"),
    }
    assert len(mail.outbox) == 1 and len(sms.sent) == 1
    assert case.code in mail.outbox[0].body and case.code in sms.sent[0]["text"]

    for row in rows:  # a second delivery of the same row sends nothing more
        assert delivery.deliver(row.pk) == "skipped"
    assert len(mail.outbox) == 1 and len(sms.sent) == 1


def test_the_same_event_queued_twice_is_one_row(demo):
    for _ in range(2):
        outbox.notify(
            key="k:1",
            recipients=[demo["officer_a"]],
            event="case_received",
            params={"code": "37-2026-000001"},
        )
    assert Notification.objects.filter(key="k:1").count() == 2  # in the app and by email


def test_texts_carry_the_case_code_and_never_the_childs_name(demo, committed, emailed, sms):
    case = committed(record, demo["hotline"], code="14329")
    child = case.child.full_name
    for row in Notification.objects.all():
        for language in ("vi", "en"):
            from notifications import texts

            text = texts.render(row.event, row.params, language)
            assert case.code in text and child not in text
    message = mail.outbox[0]
    assert child not in message.body and child not in message.subject
    assert child not in json.dumps(sms.sent, ensure_ascii=False)


def test_a_failing_channel_is_retried_with_back_off_then_marked_failed(
    demo, settings, sms, emailed
):
    settings.CHECHO_NOTIFICATION_MAX_ATTEMPTS = 3
    sms.fail = True
    outbox.notify(key="k:2", recipients=[emailed], event="case_received", params={"code": "X"})
    row = Notification.objects.get(key="k:2", channel="sms")

    assert delivery.deliver(row.pk) == "retry"
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 1
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(seconds=25)
    assert "gateway down" in row.last_error

    assert delivery.deliver(row.pk) == "retry"
    assert delivery.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)
    assert delivery.deliver(row.pk) == "skipped"


def test_back_off_doubles_and_is_capped(demo):
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert delivery.backoff(20) == datetime.timedelta(minutes=30)


def test_with_the_broker_down_the_event_commits_and_the_sweep_delivers_later(
    demo, committed, monkeypatch
):
    from notifications import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(tasks.deliver_notifications, "delay", broker_down)
    case = committed(record, demo["hotline"], code="14329")  # the report is recorded anyway
    row = Notification.objects.get(event="case_received", channel="in_app")
    assert row.status == "pending" and row.next_attempt_at <= timezone.now()
    assert case.pk

    monkeypatch.undo()
    assert sweeps.sweep_outbox() == 2  # in the app and by email
    row.refresh_from_db()
    assert row.status == "sent"
    assert sweeps.sweep_outbox() == 0


def test_the_sweep_leaves_rows_that_are_queued_and_not_yet_late(demo):
    outbox.notify(
        key="k:3", recipients=[demo["officer_a"]], event="case_received", params={"code": "X"}
    )
    assert sweeps.sweep_outbox() == 0  # queued a moment ago: a worker has it
    later = timezone.now() + datetime.timedelta(minutes=10)
    assert sweeps.sweep_outbox(now=later) == 2  # in the app and by email


def test_the_pending_outbox_is_found_in_one_query(demo, django_assert_num_queries):
    for n in range(30):
        outbox.notify(
            key=f"k:{n}",
            recipients=[demo["officer_a"]],
            event="case_received",
            params={"code": "X"},
        )
    from notifications.models import Notification as N

    with django_assert_num_queries(1):
        rows = list(
            N.objects.filter(
                status="pending", next_attempt_at__lte=timezone.now() + datetime.timedelta(hours=1)
            )[:1000]
        )
    assert len(rows) == 60  # in the app and by email


def test_an_in_app_row_is_delivered_in_one_statement(demo, django_assert_num_queries):
    row = Notification.objects.create(
        key="k:in-app", recipient=demo["officer_a"], channel="in_app", event="case_received"
    )

    with django_assert_num_queries(1):
        assert delivery.deliver(row.pk) == "sent"

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1) and row.sent_at is not None
    assert delivery.deliver(row.pk) == "skipped"  # once
    row.refresh_from_db()
    assert row.attempts == 1


def pending_rows(demo, count: int, channel: str = "in_app") -> list[int]:
    users = [demo["officer_a"]]  # in the app and by email (the demo's preferences)
    for n in range(count):
        outbox.notify(key=f"chunk:{n}", recipients=users, event="case_received", params={"code": n})
    return list(
        Notification.objects.filter(key__startswith="chunk:", channel=channel)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def test_in_app_rows_go_a_chunk_per_message_and_each_email_alone(demo, monkeypatch):
    in_app = pending_rows(demo, outbox.DELIVERY_CHUNK * 2 + 3)
    emails = pending_rows(demo, outbox.DELIVERY_CHUNK * 2 + 3, channel="email")
    assert emails  # the demo officer chose email too
    published: list[list[int]] = []
    monkeypatch.setattr(delivery.deliver_notifications, "delay", published.append)

    outbox.enqueue([(pk, "in_app") for pk in in_app] + [(pk, "email") for pk in emails])

    chunks = [len(chunk) for chunk in published]
    assert chunks == [outbox.DELIVERY_CHUNK] * 2 + [3] + [1] * len(emails)
    assert [pk for chunk in published for pk in chunk] == in_app + emails


def test_the_outbox_sweep_and_an_event_hand_their_rows_over_by_channel(demo, monkeypatch):
    published: list[list[int]] = []
    monkeypatch.setattr(delivery.deliver_notifications, "delay", published.append)
    outbox.notify(key="k:3", recipients=[demo["officer_a"]], event="case_received", params={})
    rows = dict(Notification.objects.filter(key="k:3").values_list("channel", "pk"))

    outbox.enqueue_pending("k:3")
    Notification.objects.update(next_attempt_at=timezone.now())
    sweeps.sweep_outbox()

    assert published == [[rows["in_app"]], [rows["email"]]] * 2


def test_a_row_that_fails_in_a_chunk_stays_pending_and_the_others_are_delivered(demo, monkeypatch):
    first, broken, last = pending_rows(demo, 3)
    deliver = delivery.deliver

    def database_fails_on_one(notification_id):
        if notification_id == broken:
            raise RuntimeError("connection lost")
        return deliver(notification_id)

    monkeypatch.setattr(delivery, "deliver", database_fails_on_one)

    assert delivery.deliver_notifications([first, broken, last]) == ["sent", "error", "sent"]
    statuses = dict(
        Notification.objects.filter(pk__in=[first, broken, last]).values_list("pk", "status")
    )
    assert statuses == {first: "sent", broken: "pending", last: "sent"}


def test_with_the_broker_lost_midway_the_rows_not_handed_over_are_left_to_the_sweep(
    demo, monkeypatch
):
    ids = pending_rows(demo, outbox.DELIVERY_CHUNK + 2)
    later = timezone.now() + datetime.timedelta(hours=1)
    Notification.objects.update(next_attempt_at=later)
    published: list[list[int]] = []

    def broker_lost_after_one(chunk):
        if published:
            raise ConnectionRefusedError("redis is down")
        published.append(chunk)

    monkeypatch.setattr(delivery.deliver_notifications, "delay", broker_lost_after_one)
    outbox.enqueue([(pk, "in_app") for pk in ids])

    handed, left = ids[: outbox.DELIVERY_CHUNK], ids[outbox.DELIVERY_CHUNK :]
    assert published == [handed]
    due = Notification.objects.filter(next_attempt_at__lte=timezone.now())
    assert set(due.values_list("pk", flat=True)) == set(left)


def test_a_message_is_claimed_before_it_is_sent_and_keeps_one_identifier(
    demo, emailed, monkeypatch
):
    """Sent between two transactions: the row says SENDING, its attempt counted, while the mail
    server answers; each attempt carries the same Message-ID."""
    outbox.notify(key="k:5", recipients=[emailed], event="case_received", params={"code": "X"})
    row = Notification.objects.get(key="k:5", channel="email")
    seen = []
    send = delivery.send

    def watched(notification):
        seen.append(Notification.objects.values_list("status", "attempts").get(pk=row.pk))
        send(notification)

    monkeypatch.setattr(delivery, "send", watched)

    assert delivery.deliver(row.pk) == "sent"

    assert seen == [("sending", 1)]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)
    assert mail.outbox[-1].extra_headers["Message-ID"].startswith(f"<notification.{row.pk}@")


def test_a_message_whose_outcome_was_lost_goes_again_only_once_its_claim_is_given_back(
    demo, emailed, monkeypatch, settings
):
    """The e-mail left, then the worker lost its database before marking it sent: the row stays
    claimed, a second delivery sends nothing, the sweep gives it back after the lease, counted;
    a claim lost every time gives up at the last attempt."""
    settings.CHECHO_NOTIFICATION_MAX_ATTEMPTS = 2
    outbox.notify(key="k:6", recipients=[emailed], event="case_received", params={"code": "X"})
    row = Notification.objects.get(key="k:6", channel="email")
    sent_before = len(mail.outbox)

    def connection_lost(notification):
        raise ConnectionError("server closed the connection unexpectedly")

    monkeypatch.setattr(delivery, "settle", connection_lost)
    with pytest.raises(ConnectionError):
        delivery.deliver(row.pk)
    monkeypatch.undo()
    assert len(mail.outbox) == sent_before + 1
    assert delivery.deliver(row.pk) == "skipped"  # the message queued again meanwhile
    assert len(mail.outbox) == sent_before + 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sending", 1)

    after_the_lease = timezone.now() + delivery.SENDING_LEASE + datetime.timedelta(minutes=1)
    monkeypatch.setattr(delivery, "settle", connection_lost)
    sweeps.sweep_outbox(now=after_the_lease)  # given back, queued, claimed again, lost (logged)
    monkeypatch.undo()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sending", 2)

    sweeps.sweep_outbox(now=after_the_lease + delivery.SENDING_LEASE * 2)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)
    assert row.last_error == "lost while being sent"
    assert len(mail.outbox) == sent_before + 2
