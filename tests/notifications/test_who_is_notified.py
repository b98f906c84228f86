"""Which events notify whom (DOMAIN §7), through the real services."""

from cases import services as case_services
from notifications.models import Notification
from referrals import services as referral_services
from tests.cases.test_services_workflow import plan_payload, record
from tests.referrals.helpers import refer, sexual_abuse_case


def told(event: str) -> set[str]:
    return set(
        Notification.objects.filter(event=event, channel="in_app").values_list(
            "recipient__username", flat=True
        )
    )


def test_a_report_from_the_hotline_tells_the_communes_officers(demo, committed):
    committed(record, demo["hotline"], code="14329")
    assert told("case_received") == {"officer_b"}


def test_the_actor_is_not_told_of_their_own_step(demo, committed):
    committed(record, demo["officer_a"])
    assert told("case_received") == set()


def test_an_emergency_tells_the_chair_and_the_province(demo, committed):
    case = record(demo["officer_a"])
    committed(
        case_services.case_declare_emergency,
        actor=demo["officer_a"],
        case_id=case.pk,
        danger="…",
        measures_taken="…",
        harm_level="high",
        confirmed="abuse",
        separation_proposed=True,
        placement="Nhà bà ngoại",
    )
    # One step, one notice each: the chair's says both that the emergency is declared and that
    # the separation awaits the chair's decision.
    assert told("emergency_declared") == {"province"}
    assert told("emergency_separation_proposed") == {"chair_a"}
    assert not told("separation_proposed")


def test_a_plan_goes_to_the_chair_and_the_decision_back_to_the_officer(demo, committed):
    case = record(demo["officer_a"])
    case_services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    committed(
        case_services.case_submit_plan, actor=demo["officer_a"], case_id=case.pk, **plan_payload()
    )
    assert told("plan_submitted") == {"chair_a"}
    committed(case_services.case_return_plan, actor=demo["chair_a"], case_id=case.pk, comments="…")
    assert told("plan_returned") == {"officer_a"}


def test_a_transfer_tells_the_receiving_communes_officer(demo, committed):
    from core.models import Unit

    case = record(demo["officer_a"])
    committed(
        case_services.case_transfer_request,
        actor=demo["officer_a"],
        case_id=case.pk,
        to_commune=Unit.objects.get(structure="2025", code="14329"),
        reason="…",
    )
    assert told("transfer_requested") == {"officer_b"}


def test_referral_steps_go_to_the_agency_then_back_to_the_commune(demo, committed):
    case = sexual_abuse_case(demo)
    referral = committed(refer, demo, case, "police_report")
    assert told("referral_received") == {"police"}
    committed(referral_services.referral_accept, actor=demo["police"], referral_id=referral.pk)
    assert told("referral_accepted") == {"officer_a"}
    committed(
        referral_services.referral_decline,
        actor=demo["forensic"],
        referral_id=committed(refer, demo, case, "forensic_exam").pk,
        reason="…",
    )
    assert told("referral_declined") == {"officer_a"}


def test_each_recipient_gets_each_channel_they_can_receive(demo, committed):
    demo["officer_b"].phone = "0912345678"
    demo["officer_b"].save()
    from notifications.models import Preference

    Preference.objects.create(user=demo["officer_b"], sms=True, email=False)
    committed(record, demo["hotline"], code="14329")
    channels = set(
        Notification.objects.filter(recipient=demo["officer_b"]).values_list("channel", flat=True)
    )
    assert channels == {"in_app", "sms"}


def test_a_refused_step_leaves_no_notification(demo, committed):
    import pytest

    from core.errors import InvalidTransition

    case = record(demo["officer_a"])
    with pytest.raises(InvalidTransition):
        committed(
            case_services.case_approve_plan,
            actor=demo["chair_a"],
            case_id=case.pk,
            decision_number="1",
        )
    assert not Notification.objects.filter(event="plan_approved").exists()


def test_a_withdrawn_referral_tells_the_agency(demo, committed):
    case = sexual_abuse_case(demo)
    referral = committed(refer, demo, case, "police_report")
    committed(
        referral_services.referral_cancel,
        actor=demo["officer_a"],
        referral_id=referral.pk,
        reason="…",
    )
    assert told("referral_cancelled") == {"police"}


def test_a_transfer_answer_and_a_separation_decision_go_back_to_the_officer(demo, committed):
    from cases.models import SeparationDecision
    from core.models import Unit

    case = record(demo["officer_a"])
    transfer = case_services.case_transfer_request(
        actor=demo["officer_a"],
        case_id=case.pk,
        to_commune=Unit.objects.get(structure="2025", code="14329"),
        reason="…",
    )
    committed(
        case_services.case_transfer_decide,
        actor=demo["officer_b"],
        transfer_id=transfer.pk,
        accept=False,
    )
    assert told("transfer_decided") == {"officer_a"}

    other = record(demo["officer_a"])
    case_services.case_declare_emergency(
        actor=demo["officer_a"],
        case_id=other.pk,
        danger="…",
        measures_taken="…",
        harm_level="high",
        confirmed="abuse",
        separation_proposed=True,
        placement="Nhà bà ngoại",
    )
    decision = SeparationDecision.objects.get(case=other)
    committed(
        case_services.separation_decide,
        actor=demo["chair_a"],
        decision_id=decision.pk,
        approve=True,
        period_days=10,
        placement="Nhà bà ngoại",
    )
    assert told("separation_decided") == {"officer_a"}
