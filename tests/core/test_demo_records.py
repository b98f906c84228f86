"""The demo's invented records tell one story in time: each step dated when it happened, the
deadlines swept as they fell due, and the schedule `make demo` runs beside the server keeps
sweeping while the demo is open."""

import datetime
import logging
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from cases.models import Case
from core import demo
from core.management.commands.run_schedule import run, schedule_entries
from core.models import AuditEvent, Clock
from core.policy import escalation_chain
from notifications.escalation import key_of
from notifications.models import Notification

SECOND = datetime.timedelta(seconds=1)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[datetime.datetime]:
    """The demo with its records, seeded once for this module in a transaction rolled back at
    its end (seeding takes seconds; each test still runs in a savepoint of its own). Gives when
    the seed ran."""
    with django_db_blocker.unblock(), transaction.atomic():
        seeded_at = timezone.now()
        demo.seed_demo()
        yield seeded_at
        transaction.set_rollback(True)


@pytest.fixture
def seeded_at(seeded: datetime.datetime, db: None) -> datetime.datetime:
    return seeded


def test_each_case_is_recorded_soon_after_its_report_and_then_moves_over_days(seeded_at):
    cases = Case.objects.prefetch_related("events").order_by("code")
    assert len(cases) == 30
    spans = []
    for case in cases:
        events = list(case.events.all())
        created = events[0]
        assert created.action == "create"
        assert case.received_at <= created.at <= case.received_at + 2 * HOUR
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[-1].at < seeded_at
        spans.append(events[-1].at - created.at)
    # Not all written in the seed's second: months between the first report and the last step,
    # and cases whose own steps took weeks.
    first = min(case.received_at for case in cases)
    assert seeded_at - first > datetime.timedelta(days=60)
    assert max(spans) > datetime.timedelta(days=20)
    assert sum(span > HOUR for span in spans) >= 15


def test_the_codes_follow_the_order_the_reports_were_recorded_in(seeded_at):
    recorded = [case.events.get(action="create").at for case in Case.objects.order_by("code")]

    assert recorded == sorted(recorded)


def test_each_history_row_has_its_audit_row_at_the_same_moment(seeded_at):
    case = Case.objects.filter(status="closed", events__action="close").first()
    assert case is not None
    audited = {
        (row.action, row.at)
        for row in AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
    }

    for event in case.events.all():
        assert any(
            action == f"case.{event.action}" and abs(at - event.at) < SECOND
            for action, at in audited
        ), event


def test_notifications_are_dated_with_the_step_that_raised_them(seeded_at):
    case = Case.objects.filter(events__action="submit_plan").first()
    assert case is not None
    submitted = case.events.get(action="submit_plan").at
    told = Notification.objects.filter(event="plan_submitted", params__code=case.code)

    assert told.exists()
    for notification in told:
        assert abs(notification.created_at - submitted) < SECOND


def test_the_audit_chain_holds_after_seeding(seeded_at, capsys):
    call_command("verify_audit")

    assert "the chain holds" in capsys.readouterr().out


def expected_moment(clock: Clock, key: str, chain: list[tuple[str, int]]) -> datetime.datetime:
    """When the sweep was due to write the notification with this key (notifications.escalation)."""
    step = key.split(":")[3:]  # clock:<id>:<due>:<step>
    if step == ["remind"]:
        assert clock.remind_at is not None
        return clock.remind_at
    if step == ["breached"]:
        return clock.due_at
    return clock.due_at + datetime.timedelta(hours=chain[int(step[1])][1])


def test_deadlines_that_fell_due_before_the_seed_were_swept_at_that_moment(seeded_at):
    chain = escalation_chain()
    # Overdue for longer than the whole chain: every step of it has been taken, each when due.
    overdue = Clock.objects.open().filter(
        due_at__lte=seeded_at - datetime.timedelta(hours=chain[-1][1] + 1)
    )
    assert overdue.count() >= 5
    told = 0
    for clock in overdue:
        assert clock.escalation_level == len(chain)
        assert clock.breached_at == clock.due_at
        for notification in Notification.objects.filter(key__startswith=f"clock:{clock.pk}:"):
            moment = expected_moment(clock, notification.key, chain)
            assert moment <= notification.created_at < moment + 10 * SECOND, notification.key
            told += 1
    assert told >= 10


def test_the_schedule_reminds_of_a_demo_deadline_when_it_comes_due(seeded_at):
    # A deadline of the demo still ahead: its reminder is for the schedule that runs with it.
    clock = (
        Clock.objects.open()
        .filter(reminded_at__isnull=True, remind_at__gt=timezone.now())
        .order_by("remind_at")
        .first()
    )
    assert clock is not None
    reminder = Notification.objects.filter(key=key_of(clock, "remind"))
    call_command("run_schedule", "--once")
    assert not reminder.exists()

    assert clock.remind_at is not None
    with demo.travel(clock.remind_at + datetime.timedelta(minutes=1)):
        call_command("run_schedule", "--once")

    assert reminder.filter(event="clock_reminder").exists()
    clock.refresh_from_db()
    assert clock.reminded_at is not None


def test_the_schedule_escalates_a_demo_deadline_once_it_is_overdue(seeded_at):
    # A case's: the commune's chair and the province are there to be told.
    clock = (
        Clock.objects.open()
        .filter(due_at__gt=timezone.now(), kind__startswith="case_")
        .order_by("due_at")
        .first()
    )
    assert clock is not None
    chain = escalation_chain()

    with demo.travel(clock.due_at + datetime.timedelta(hours=chain[-1][1], minutes=1)):
        call_command("run_schedule", "--once")

    clock.refresh_from_db()
    assert clock.escalation_level == len(chain)
    assert Notification.objects.filter(key=key_of(clock, "breached")).exists()
    for level in range(len(chain)):
        assert Notification.objects.filter(key=key_of(clock, f"escalate:{level}")).exists()


def test_a_busy_database_is_logged_and_left_for_the_next_tick(seeded_at, monkeypatch, caplog):
    (sweep,) = [entry for entry in schedule_entries() if entry.name == "sweep-clocks"]
    calls = []

    def locked() -> int:
        calls.append(1)
        raise OperationalError("database is locked")

    monkeypatch.setattr(sweep, "task", "test.locked")
    monkeypatch.setitem(demo.celery_app.tasks, "test.locked", locked)

    with caplog.at_level(logging.WARNING, logger="core.schedule"):
        assert run(sweep) is False

    assert calls == [1]
    assert "the database is busy (database is locked); again at the next tick" in caplog.text


def test_once_fails_loudly_when_a_task_failed(seeded_at, monkeypatch):
    def broken() -> int:
        raise OperationalError("database is locked")

    monkeypatch.setitem(demo.celery_app.tasks, "notifications.tasks.sweep_clocks", broken)

    with pytest.raises(CommandError, match="sweep-clocks"):
        call_command("run_schedule", "--once")


def test_the_schedule_leaves_the_work_to_celery_beat_when_there_is_redis(seeded_at, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/9"

    with pytest.raises(CommandError, match="celery -A core beat"):
        call_command("run_schedule", "--once")
