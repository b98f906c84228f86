"""The clock sweep in batches: a constant number of queries per batch, every due clock taken once
however the batches cut them, a failing clock that does not hold the others back, and the next
call on the sweep kept with each clock (started, swept, rescheduled, a new escalation chain)."""

import datetime
import logging
from dataclasses import replace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import clocks as case_clocks
from core import clocks as core_clocks
from core.clocks import registered_kind
from core.models import Clock, PolicySettings
from notifications.escalation import key_of
from notifications.models import Notification
from notifications.sweeps import sweep_clocks
from referrals import clocks as referral_clocks
from tests.cases.test_services_workflow import record
from tests.referrals.helpers import refer

LATE = datetime.timedelta(hours=13)


def overdue_cases(demo, count: int) -> list:
    """`count` cases past their 12-hour clock in two communes, each with a referral to the
    police past its acceptance clock: two kinds of record, several agencies' and communes'
    people to tell."""
    cases = []
    for n in range(count):
        officer, code = (demo["officer_a"], "14428") if n % 2 else (demo["officer_b"], "14329")
        case = record(officer, code, received_at=timezone.now() - LATE)
        cases.append(case)
        if n % 2:
            refer(demo, case, "police_report")
    return cases


def sweep_queries(now: datetime.datetime, **options) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        handled = sweep_clocks(now=now, **options)
    return handled, len(queries)


def test_a_batch_costs_the_same_queries_for_few_or_many_due_deadlines(demo):
    now = timezone.now() + datetime.timedelta(days=2)
    overdue_cases(demo, 2)
    few, few_queries = sweep_queries(now)
    overdue_cases(demo, 10)
    many, many_queries = sweep_queries(now + datetime.timedelta(minutes=1))
    assert few < many
    assert few_queries == many_queries


def test_a_batch_reads_its_records_with_the_relations_their_kind_names_and_no_others(demo):
    """A case's deadlines name the case alone; a referral's name its case too. Django's
    `select_related()` with no names would follow every foreign key of the case."""
    overdue_cases(demo, 2)
    now = timezone.now() + datetime.timedelta(days=2)
    with CaptureQueriesContext(connection) as queries:
        sweep_clocks(now=now)
    reads = {
        table: [
            query["sql"]
            for query in queries
            if query["sql"].startswith("SELECT")
            and f'FROM "{table}"' in query["sql"]
            and '"id" IN (' in query["sql"]
        ]
        for table in ("cases_case", "referrals_referral")
    }
    assert len(reads["cases_case"]) == 1 and "JOIN" not in reads["cases_case"][0]
    assert len(reads["referrals_referral"]) == 1
    joined = reads["referrals_referral"][0].split("JOIN")[1:]
    assert [join.split()[0] for join in joined] == ['"cases_case"']


def test_every_due_deadline_is_taken_once_however_the_batches_cut_them(demo):
    overdue_cases(demo, 5)
    now = timezone.now() + datetime.timedelta(days=2)
    due = Clock.objects.needing_action(now).count()
    handled, queries = sweep_queries(now, batch_size=2)
    _, one_batch = sweep_queries(now)  # nothing left: one empty batch
    assert due == 5 + 2 and handled >= due  # five cases' clocks, two referrals'
    assert Clock.objects.needing_action(now).count() == 0
    breached = Notification.objects.filter(event="clock_breached", channel="in_app")
    assert breached.values("key").distinct().count() == due
    # Four full batches and an empty one, each of the same few queries.
    assert queries <= 5 * 12 and one_batch <= 4


def test_a_batch_writes_its_notices_pending_and_skips_one_already_written(demo, settings):
    """The batch's notices go in with one statement (from one JSON document on PostgreSQL): each
    row as `notify` would write it, and a row whose event already reached its person on its
    channel left as it was, as the outbox's unique key wants, the others still written."""
    case = overdue_cases(demo, 1)[0]
    clock = Clock.objects.for_object(case).get(kind=case_clocks.INITIAL_ASSESSMENT)
    officer = demo["officer_b"]
    earlier = Notification.objects.create(
        key=key_of(clock, "breached"), recipient=officer, channel="in_app", event="earlier"
    )
    now = timezone.now() + datetime.timedelta(days=2)
    before = timezone.now()

    sweep_clocks(now=now)

    mine = Notification.objects.filter(key__startswith=f"clock:{clock.pk}:")
    assert mine.get(recipient=officer, channel="in_app", key=earlier.key).event == "earlier"
    written = mine.exclude(pk=earlier.pk)
    escalated = written.get(recipient=demo["chair_b"], channel="in_app")
    assert escalated.event == "clock_escalated"
    assert escalated.params == {
        "code": case.code,
        "deadline": case_clocks.INITIAL_ASSESSMENT,
        "due": escalated.params["due"],
    }
    assert escalated.params["due"]  # the deadline as people read it
    assert escalated.link == f"/cases/{case.pk}/"
    assert escalated.status == Notification.Status.PENDING and escalated.attempts == 0
    assert escalated.last_error == "" and escalated.sent_at is None
    requeue = datetime.timedelta(seconds=settings.CHECHO_OUTBOX_REQUEUE_SECONDS)
    assert before <= escalated.created_at <= timezone.now()
    assert escalated.next_attempt_at == escalated.created_at + requeue
    # The officer's email (every demo user has an address) was still written.
    assert written.filter(recipient=officer, channel="email", key=earlier.key).exists()


def test_a_clock_that_cannot_be_advanced_does_not_hold_the_others_back(demo, monkeypatch, caplog):
    cases = overdue_cases(demo, 3)
    broken = cases[1]
    kind = registered_kind(case_clocks.INITIAL_ASSESSMENT)
    assert kind is not None

    def code(case):
        if case.pk == broken.pk:
            raise RuntimeError("unreadable record")
        return case.code

    monkeypatch.setitem(core_clocks._kinds, kind.kind, replace(kind, code=code))

    now = timezone.now() + datetime.timedelta(days=2)
    with caplog.at_level(logging.ERROR, logger="notifications.sweeps"):
        sweep_clocks(now=now)
    stuck = Clock.objects.needing_action(now)
    assert [clock.subject_id for clock in stuck] == [broken.pk]
    told = Notification.objects.filter(params__deadline=case_clocks.INITIAL_ASSESSMENT)
    codes = set(told.values_list("params__code", flat=True))
    assert broken.code not in codes
    assert {case.code for case in cases if case != broken} <= codes
    assert "could not be advanced" in caplog.text


def test_a_clock_knows_its_next_call_from_start_to_end(demo):
    case = record(demo["officer_a"], received_at=timezone.now())
    clock = Clock.objects.for_object(case).get(kind=case_clocks.INITIAL_ASSESSMENT)
    assert clock.next_action_at == clock.remind_at  # 9 hours in

    sweep_clocks(now=clock.remind_at + datetime.timedelta(minutes=1))
    clock.refresh_from_db()
    assert clock.next_action_at == clock.due_at  # the breach, told to the chair at once

    sweep_clocks(now=clock.due_at + datetime.timedelta(minutes=1))
    clock.refresh_from_db()
    assert clock.next_action_at == clock.due_at + datetime.timedelta(hours=24)

    sweep_clocks(now=clock.due_at + datetime.timedelta(hours=25))
    clock.refresh_from_db()
    assert (clock.escalation_level, clock.next_action_at) == (2, None)  # the chain is done


def test_an_extension_moves_the_next_call(demo):
    from referrals import services

    case = record(demo["officer_a"])
    referral = refer(demo, case, "police_report")
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    clock = Clock.objects.for_object(referral).get(
        kind=referral_clocks.complete_kind("police_report")
    )
    sweep_clocks(now=clock.due_at + datetime.timedelta(minutes=1))
    referral.refresh_from_db()
    assert referral.accepted_at is not None
    services.referral_extend(
        actor=demo["police"],
        referral_id=referral.pk,
        due_at=referral.accepted_at + datetime.timedelta(days=50),
        reason="Phức tạp",
    )
    clock.refresh_from_db()
    assert clock.next_action_at == clock.remind_at
    assert clock.remind_at < clock.due_at


def test_a_new_escalation_chain_moves_every_open_clocks_next_call(demo):
    case = record(demo["officer_a"], received_at=timezone.now() - LATE)
    clock = Clock.objects.for_object(case).get(kind=case_clocks.INITIAL_ASSESSMENT)
    sweep_clocks(now=clock.due_at + datetime.timedelta(minutes=1))
    clock.refresh_from_db()
    assert clock.next_action_at == clock.due_at + datetime.timedelta(hours=24)

    PolicySettings.objects.create(
        escalation_chain=[["commune_chair", 0], ["provincial_officer", 2]]
    )
    clock.refresh_from_db()
    assert clock.next_action_at == clock.due_at + datetime.timedelta(hours=2)
    sweep_clocks(now=clock.due_at + datetime.timedelta(hours=2, minutes=1))
    escalated = Notification.objects.filter(event="clock_escalated", channel="in_app")
    assert sorted(escalated.values_list("recipient__username", flat=True)) == [
        "chair_a",
        "province",
    ]


@pytest.mark.parametrize("chain", [[["commune_chair", 0]], [["commune_chair", 6]]])
def test_a_chain_saved_unchanged_leaves_the_clocks_alone(demo, chain):
    record(demo["officer_a"], received_at=timezone.now() - LATE)
    PolicySettings.objects.create(escalation_chain=chain)
    policy = PolicySettings.objects.get()
    policy.grant_days = 10
    with CaptureQueriesContext(connection) as queries:
        policy.save()
    assert not [query for query in queries if "core_clock" in query["sql"]]
