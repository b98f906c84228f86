"""The chair decides on a separation within 12 hours of receiving the information (Decree
56/2017 Art. 26(3), 32(2): "trong vòng 12 giờ từ khi nhận thông tin"), not of the officer's
proposal: a report received at 09:54 and a separation proposed on it at 20:54 leave the chair
until 21:54, not until 08:54 the next day."""

import datetime
from typing import Any

import time_machine
from django.utils import timezone

from cases import clocks, services
from cases.models import Case
from core.models import Clock
from notifications.models import Notification
from notifications.sweeps import sweep_clocks
from tests.cases.factories import advance, make_case

HOUR = datetime.timedelta(hours=1)
EMERGENCY: dict[str, Any] = {
    "danger": "Cha đánh trẻ, trẻ bị thương.",
    "measures_taken": "Đưa trẻ sang nhà bà ngoại.",
    "harm_level": "high",
    "confirmed": "abuse",
}


def decision_due(case: Case) -> datetime.datetime:
    return Clock.objects.for_object(case).get(kind=clocks.SEPARATION_DECISION).due_at


def reported_hours_ago(demo, hours: float) -> Case:
    return make_case(demo["officer_a"], received_at=timezone.now() - hours * HOUR)


def test_an_emergency_on_the_report_leaves_the_chair_12_hours_from_the_report(demo):
    case = reported_hours_ago(demo, 11)
    services.case_declare_emergency(
        actor=demo["officer_a"],
        case_id=case.pk,
        separation_proposed=True,
        placement="Nhà bà ngoại",
        **EMERGENCY,
    )
    assert decision_due(case) == case.received_at + 12 * HOUR


def test_a_separation_proposed_on_the_report_before_its_assessment_counts_from_it(demo):
    case = reported_hours_ago(demo, 3)
    services.case_propose_separation(
        actor=demo["officer_a"], case_id=case.pk, placement="Nhà bà ngoại", grounds="…"
    )
    assert decision_due(case) == case.received_at + 12 * HOUR


def test_an_emergency_declared_later_counts_from_the_emergency(demo):
    officer = demo["officer_a"]
    case = advance(
        reported_hours_ago(demo, 72), "assess_initial", officer=officer, chair=demo["chair_a"]
    )
    declared_at = timezone.now()
    services.case_declare_emergency(actor=officer, case_id=case.pk, **EMERGENCY)
    with time_machine.travel(declared_at + 2 * HOUR):
        services.case_propose_separation(
            actor=officer, case_id=case.pk, placement="Nhà bà ngoại", grounds="…"
        )
    emergency = case.events.get(action="declare_emergency")
    assert decision_due(case) == emergency.at + 12 * HOUR


def test_new_information_later_in_the_case_counts_from_the_proposal(demo):
    case = advance(
        reported_hours_ago(demo, 72),
        "assess_initial",
        officer=demo["officer_a"],
        chair=demo["chair_a"],
    )
    proposed_at = timezone.now()
    services.case_propose_separation(
        actor=demo["officer_a"], case_id=case.pk, placement="Nhà bà ngoại", grounds="Tái phạm."
    )
    due = decision_due(case)
    assert proposed_at + 12 * HOUR <= due <= timezone.now() + 12 * HOUR


def test_a_proposal_made_after_the_reports_12_hours_is_late_at_once(demo):
    case = reported_hours_ago(demo, 13)
    services.case_propose_separation(
        actor=demo["officer_a"], case_id=case.pk, placement="Nhà bà ngoại", grounds="…"
    )
    assert decision_due(case) < timezone.now()
    sweep_clocks()
    breached = Notification.objects.filter(
        event="clock_breached", params__code=case.code, params__deadline=clocks.SEPARATION_DECISION
    )
    assert "chair_a" in set(breached.values_list("recipient__username", flat=True))
