"""Reminders before a clock falls due and escalations after, each once per clock."""

import datetime

from django.utils import timezone

from cases import clocks
from core.models import Clock
from notifications.models import Notification
from notifications.sweeps import clocks_due, sweep_clocks
from tests.cases.test_services_workflow import record


def sent(event: str, deadline: str | None = None) -> list[str]:
    rows = Notification.objects.filter(event=event, channel="in_app")
    if deadline:
        rows = rows.filter(params__deadline=deadline)
    return sorted(rows.values_list("recipient__username", flat=True))


def test_the_owner_is_reminded_at_three_quarters_of_the_span_once(demo):
    case = record(demo["officer_a"], received_at=timezone.now())
    clock = Clock.objects.for_object(case).get(kind=clocks.INITIAL_ASSESSMENT)
    assert clock.remind_at == clock.started_at + datetime.timedelta(hours=9)

    assert sweep_clocks(now=clock.started_at + datetime.timedelta(hours=8)) == 0
    at_nine = clock.started_at + datetime.timedelta(hours=9, minutes=1)
    assert sweep_clocks(now=at_nine) == 1
    assert sweep_clocks(now=at_nine + datetime.timedelta(minutes=5)) == 0
    assert sent("clock_reminder") == ["officer_a"]


def test_a_breach_alerts_the_chair_then_a_day_later_the_province_each_once(demo):
    case = record(demo["officer_a"], received_at=timezone.now() - datetime.timedelta(hours=13))
    clock = Clock.objects.for_object(case).get(kind=clocks.INITIAL_ASSESSMENT)
    now = timezone.now()

    sweep_clocks(now=now)
    sweep_clocks(now=now + datetime.timedelta(minutes=1))
    assert sent("clock_breached") == ["officer_a"]
    assert sent("clock_escalated") == ["chair_a"]
    clock.refresh_from_db()
    assert (clock.escalation_level, clock.breached_at) == (1, clock.due_at)

    a_day_later = clock.due_at + datetime.timedelta(hours=24, minutes=1)
    sweep_clocks(now=a_day_later)
    sweep_clocks(now=a_day_later + datetime.timedelta(hours=1))
    assert sent("clock_escalated") == ["chair_a", "province"]
    assert sent("clock_reminder") == []  # it was already late when first swept


def test_a_breach_the_commune_has_no_chair_to_hear_goes_to_the_province_at_once(demo, caplog):
    demo["chair_a"].is_active = False  # the post vacant: its holder's account ended
    demo["chair_a"].save(update_fields=["is_active"])
    case = record(demo["officer_a"], received_at=timezone.now() - datetime.timedelta(hours=13))
    clock = Clock.objects.for_object(case).get(kind=clocks.INITIAL_ASSESSMENT)

    sweep_clocks(now=timezone.now())

    assert sent("clock_breached") == ["officer_a"]
    assert sent("clock_escalated") == ["province"]  # not 24 hours later, for nobody before
    clock.refresh_from_db()
    assert clock.escalation_level == 2
    assert "Nobody holds commune_chair" in caplog.text


def test_a_met_clock_is_neither_reminded_nor_escalated(demo):
    from cases import services

    case = record(demo["officer_a"], received_at=timezone.now() - datetime.timedelta(hours=10))
    services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    sweep_clocks(now=timezone.now() + datetime.timedelta(days=3))
    initial = Notification.objects.filter(params__deadline=clocks.INITIAL_ASSESSMENT)
    assert not initial.exists()


def test_the_due_clocks_are_found_in_one_query_whatever_their_number(
    demo, django_assert_num_queries
):
    for _ in range(12):
        record(demo["officer_a"], received_at=timezone.now() - datetime.timedelta(hours=13))
    # One range of the next-action index, however many clocks.
    with django_assert_num_queries(1):
        due = list(clocks_due(timezone.now()))
    assert len(due) == 12


def test_an_extension_reminds_and_escalates_afresh(demo):
    from referrals import clocks as referral_clocks
    from referrals import services
    from tests.referrals.helpers import refer, sexual_abuse_case

    referral = refer(demo, sexual_abuse_case(demo), "police_report")
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    clock = Clock.objects.for_object(referral).get(
        kind=referral_clocks.complete_kind("police_report")
    )
    sweep_clocks(now=clock.due_at + datetime.timedelta(minutes=1))
    assert sent("clock_breached", deadline=clock.kind) == ["police"]
    referral.refresh_from_db()
    assert referral.accepted_at is not None
    services.referral_extend(
        actor=demo["police"],
        referral_id=referral.pk,
        due_at=referral.accepted_at + datetime.timedelta(days=50),
        reason="Phức tạp",
    )
    clock.refresh_from_db()
    assert (clock.escalation_level, clock.reminded_at, clock.breached_at) == (0, None, None)

    # The new limit's notices are sent, not taken by the outbox for the old limit's.
    assert clock.remind_at is not None
    sweep_clocks(now=clock.remind_at + datetime.timedelta(minutes=1))
    assert sent("clock_reminder", deadline=clock.kind) == ["police"]
    sweep_clocks(now=clock.due_at + datetime.timedelta(days=3))
    assert sent("clock_breached", deadline=clock.kind) == ["police", "police"]
    assert sent("clock_escalated", deadline=clock.kind) == ["chair_a", "province"]


def test_the_administrators_policy_sets_the_reminder_and_the_chain(demo):
    from core.models import PolicySettings

    PolicySettings.objects.create(
        reminder_percent=50,
        escalation_chain=[["commune_chair", 0], ["provincial_officer", 2]],
        small_count_threshold=5,
    )
    case = record(demo["officer_a"], received_at=timezone.now())
    clock = Clock.objects.for_object(case).get(kind=clocks.INITIAL_ASSESSMENT)
    assert clock.remind_at == clock.started_at + datetime.timedelta(hours=6)

    sweep_clocks(now=clock.due_at + datetime.timedelta(minutes=1))
    assert sent("clock_escalated") == ["chair_a"]
    # Two hours after the breach, not the default's 24: the sweep's query reads the same chain.
    sweep_clocks(now=clock.due_at + datetime.timedelta(hours=2, minutes=1))
    assert sent("clock_escalated") == ["chair_a", "province"]
