"""Who may do what to a referral (DOMAIN §6): only the receiving agency accepts, declines and
completes; its head assigns; the sending commune cancels; the chair waives."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services as case_services
from core.errors import Forbidden, InvalidTransition, NotFound
from core.models import Clock, RoleMembership
from core.working_days import days_deadline, end_of_day, local_date, working_day_on_or_after
from referrals import clocks, services
from referrals.models import Referral
from tests.cases.factories import make_case
from tests.referrals.helpers import CONSENT, agency, outcome, refer, sexual_abuse_case


def state(referral: Referral) -> tuple:
    referral.refresh_from_db()
    clocks_state = list(
        Clock.objects.for_object(referral).values_list("kind", "met_at", "stopped_at", "due_at")
    )
    return referral.status, referral.case.events.count(), clocks_state


@pytest.fixture
def police_referral(demo) -> Referral:
    return refer(demo, sexual_abuse_case(demo), "police_report")


@pytest.mark.parametrize(
    ("username", "error"),
    [
        ("forensic", NotFound),  # another agency does not even see it
        ("hospital", NotFound),
        ("officer_b", NotFound),
        ("manager", NotFound),
        ("inspector", NotFound),
        ("officer_a", Forbidden),  # the sender sees it but may not accept
        ("chair_a", Forbidden),
        ("province", Forbidden),
    ],
)
def test_only_the_receiving_agency_may_accept(demo, police_referral, username, error):
    before = state(police_referral)
    with pytest.raises(error):
        services.referral_accept(actor=demo[username], referral_id=police_referral.pk)
    assert state(police_referral) == before


def test_accepting_twice_is_refused_and_changes_nothing(demo, police_referral):
    services.referral_accept(actor=demo["police"], referral_id=police_referral.pk)
    before = state(police_referral)
    with pytest.raises(InvalidTransition):
        services.referral_accept(actor=demo["police"], referral_id=police_referral.pk)
    assert state(police_referral) == before


def test_accepting_meets_the_acceptance_clock_and_starts_the_20_day_police_clock(
    demo, police_referral
):
    services.referral_accept(actor=demo["police"], referral_id=police_referral.pk)
    accept = Clock.objects.for_object(police_referral).get(kind=clocks.accept_kind("police_report"))
    settle = Clock.objects.for_object(police_referral).get(
        kind=clocks.complete_kind("police_report")
    )
    police_referral.refresh_from_db()
    assert accept.met_at is not None
    # 24:00 of the 20th day after the receipt, here the acceptance (Art. 147(1), Art. 134).
    assert police_referral.accepted_at is not None
    assert settle.due_at == days_deadline(police_referral.accepted_at, 20)


def test_a_decline_needs_a_reason(demo, police_referral):
    before = state(police_referral)
    with pytest.raises(ValidationError):
        services.referral_decline(actor=demo["police"], referral_id=police_referral.pk, reason=" ")
    assert state(police_referral) == before


def test_completing_needs_the_services_outcome(demo, police_referral):
    services.referral_accept(actor=demo["police"], referral_id=police_referral.pk)
    before = state(police_referral)
    with pytest.raises(ValidationError) as refused:
        services.referral_complete(
            actor=demo["police"],
            referral_id=police_referral.pk,
            outcome={"police_decision": "prosecuted", "summary": "not a police field"},
        )
    errors = refused.value.message_dict
    assert {"decision_date", "child_friendly_room", "summary"} <= set(errors)
    # The receipt is not asked again: the referral has it from the acceptance.
    assert "report_received_at" not in errors
    assert state(police_referral) == before
    assert not hasattr(Referral.objects.get(pk=police_referral.pk), "outcome")


def test_a_bad_police_decision_is_refused(demo, police_referral):
    services.referral_accept(actor=demo["police"], referral_id=police_referral.pk)
    with pytest.raises(ValidationError) as refused:
        services.referral_complete(
            actor=demo["police"],
            referral_id=police_referral.pk,
            outcome=outcome("police_report") | {"police_decision": "acquitted"},
        )
    assert "police_decision" in refused.value.message_dict


def test_the_sender_cancels_and_the_agency_loses_the_case(demo, police_referral):
    services.referral_accept(actor=demo["police"], referral_id=police_referral.pk)
    with pytest.raises(Forbidden):
        services.referral_cancel(actor=demo["police"], referral_id=police_referral.pk, reason="x")
    services.referral_cancel(actor=demo["officer_a"], referral_id=police_referral.pk, reason="Nhầm")
    police_referral.refresh_from_db()
    assert police_referral.status == "cancelled"
    assert not Clock.objects.for_object(police_referral).open().exists()
    from cases.selectors import cases_visible_to

    assert not cases_visible_to(demo["police"]).filter(pk=police_referral.case_id).exists()


def test_only_the_chair_waives_and_only_a_required_service(demo):
    case = sexual_abuse_case(demo)
    with pytest.raises(Forbidden):
        services.referral_waive(
            actor=demo["officer_a"], case_id=case.pk, service="legal_aid", reason="x"
        )
    with pytest.raises(ValidationError):
        services.referral_waive(
            actor=demo["chair_a"], case_id=case.pk, service="education_support", reason="x"
        )
    waived = services.referral_waive(
        actor=demo["chair_a"], case_id=case.pk, service="legal_aid", reason="Tự thuê luật sư"
    )
    assert (waived.status, waived.agency) == ("waived", None)
    with pytest.raises(InvalidTransition):
        services.referral_waive(
            actor=demo["chair_a"], case_id=case.pk, service="legal_aid", reason="x"
        )


def test_a_live_service_cannot_be_referred_twice(demo, police_referral):
    with pytest.raises(ValidationError) as refused:
        refer(demo, police_referral.case, "police_report")
    assert "service" in refused.value.message_dict


def test_a_referral_goes_only_to_an_agency_that_provides_the_service(demo):
    case = sexual_abuse_case(demo)
    with pytest.raises(ValidationError) as refused:
        refer(demo, case, "police_report", agency=agency("medical_care"))
    assert "agency" in refused.value.message_dict
    assert not case.referrals.exists()


def test_consent_is_needed_from_the_carer_and_a_child_of_7_or_more(demo):
    from cases.consent import Consent

    case = sexual_abuse_case(demo)  # the child is 11
    with pytest.raises(ValidationError) as refused:
        refer(demo, case, "legal_aid", consent=Consent("consent", by_carer=True, by_child=False))
    assert "consent_by_child" in refused.value.message_dict
    with pytest.raises(ValidationError):
        refer(demo, case, "legal_aid", consent=Consent("", by_carer=True, by_child=True))
    # Without consent when the carer is the suspect.
    referral = refer(demo, case, "legal_aid", consent=Consent("carer_suspected"))
    assert referral.consent_basis == "carer_suspected"


def test_the_agency_head_assigns_to_its_own_staff_only(demo, police_referral):
    head = demo["police"].__class__.objects.create_user("police_head", password="x")
    RoleMembership.objects.create(user=head, role="agency_head", agency=police_referral.agency)
    with pytest.raises(Forbidden):
        services.referral_assign(
            actor=demo["police"], referral_id=police_referral.pk, staff=demo["police"]
        )
    with pytest.raises(ValidationError):
        services.referral_assign(actor=head, referral_id=police_referral.pk, staff=demo["hospital"])
    services.referral_assign(actor=head, referral_id=police_referral.pk, staff=demo["police"])
    police_referral.refresh_from_db()
    assert police_referral.assigned_to == demo["police"]


def test_the_police_clock_extends_to_two_months_then_once_more_by_two_months(demo, police_referral):
    services.referral_accept(actor=demo["police"], referral_id=police_referral.pk)
    police_referral.refresh_from_db()
    accepted = police_referral.accepted_at
    kind = clocks.complete_kind("police_report")

    def due():
        return Clock.objects.for_object(police_referral).get(kind=kind).due_at

    # 24:00 of the day two months after the receipt (here the acceptance), or of the next
    # working day when that day is a day off (Criminal Procedure Code Art. 134).
    limit = end_of_day(working_day_on_or_after(local_date(accepted) + relativedelta(months=2)))
    too_far = limit + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError):
        services.referral_extend(
            actor=demo["police"], referral_id=police_referral.pk, due_at=too_far, reason="Phức tạp"
        )
    with pytest.raises(ValidationError):
        services.referral_extend(
            actor=demo["police"],
            referral_id=police_referral.pk,
            due_at=accepted + datetime.timedelta(days=40),
            reason="",
        )
    two_months = accepted + relativedelta(months=2)
    services.referral_extend(
        actor=demo["police"], referral_id=police_referral.pk, due_at=two_months, reason="Phức tạp"
    )
    assert due() == two_months

    with pytest.raises(ValidationError):
        services.referral_extend(
            actor=demo["police"],
            referral_id=police_referral.pk,
            due_at=two_months + datetime.timedelta(days=62),
            reason="Viện kiểm sát gia hạn",
            procuracy_decision_number="12/QĐ-VKS",
            procuracy_decision_date=timezone.localdate(),
        )
    services.referral_extend(
        actor=demo["police"],
        referral_id=police_referral.pk,
        due_at=two_months + datetime.timedelta(days=59),
        reason="Viện kiểm sát gia hạn",
        procuracy_decision_number="12/QĐ-VKS",
        procuracy_decision_date=timezone.localdate(),
    )
    with pytest.raises(InvalidTransition):
        services.referral_extend(
            actor=demo["police"],
            referral_id=police_referral.pk,
            due_at=two_months + datetime.timedelta(days=60),
            reason="lần ba",
        )
    police_referral.refresh_from_db()
    assert police_referral.extensions == 2


def test_only_the_police_clock_can_be_extended(demo):
    case = sexual_abuse_case(demo)
    referral = refer(demo, case, "medical_care")
    services.referral_accept(actor=demo["hospital"], referral_id=referral.pk)
    with pytest.raises(InvalidTransition):
        services.referral_extend(
            actor=demo["hospital"],
            referral_id=referral.pk,
            due_at=timezone.now() + datetime.timedelta(days=40),
            reason="…",
        )


def test_dismissing_a_case_cancels_its_live_referrals_and_closes_it_to_the_agency(demo):
    from cases import services as case_services
    from cases.selectors import cases_visible_to

    case = sexual_abuse_case(demo)
    pending = refer(demo, case, "police_report")
    accepted = refer(demo, case, "legal_aid")
    services.referral_accept(actor=demo["legalaid"], referral_id=accepted.pk)

    case_services.case_dismiss(
        actor=demo["officer_a"],
        case_id=case.pk,
        reason="unfounded",
        verification="Đã gặp gia đình.",
    )

    for referral in (pending, accepted):
        referral.refresh_from_db()
        assert referral.status == "cancelled"
        assert not Clock.objects.for_object(referral).open().exists()
    assert not cases_visible_to(demo["legalaid"]).filter(pk=case.pk).exists()
    with pytest.raises(InvalidTransition):
        services.referral_accept(actor=demo["police"], referral_id=pending.pk)


def test_a_transferred_case_takes_its_referrals_and_its_child_along(demo):
    from cases import services as case_services
    from core.models import Unit

    case = sexual_abuse_case(demo)
    referral = refer(demo, case, "police_report")
    new_commune = Unit.objects.get(structure="2025", code="14329")
    transfer = case_services.case_transfer_request(
        actor=demo["officer_a"], case_id=case.pk, to_commune=new_commune, reason="Chuyển nhà"
    )
    case_services.case_transfer_decide(
        actor=demo["officer_b"], transfer_id=transfer.pk, accept=True
    )

    referral.refresh_from_db()
    case.child.refresh_from_db()
    assert referral.unit_path == new_commune.path
    assert Clock.objects.for_object(referral).get().unit_path == new_commune.path
    assert case.child.residence == new_commune
    services.referral_cancel(actor=demo["officer_b"], referral_id=referral.pk, reason="Đã xử lý")
    with pytest.raises(NotFound):
        services.referral_cancel(actor=demo["officer_a"], referral_id=referral.pk, reason="x")


def test_a_plan_naming_an_agency_that_does_not_provide_the_service_is_refused(demo):
    from django.utils import timezone

    from cases import services as case_services

    case = sexual_abuse_case(demo)
    case_services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="high",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    with pytest.raises(ValidationError) as refused:
        case_services.case_submit_plan(
            actor=demo["officer_a"],
            case_id=case.pk,
            assessment_summary="…",
            needs="…",
            meeting_held_at=timezone.now(),
            meeting_participants="…",
            meeting_minutes="…",
            goals="…",
            measures=[
                case_services.MeasureData(
                    "police_report", "Báo công an", 5, agency("education_support")
                )
            ],
            consent=CONSENT,
        )
    assert "measures" in refused.value.message_dict
    case.refresh_from_db()
    assert case.status == "assessment" and not case.plans.exists()


def test_no_service_is_waived_on_a_closed_case(demo):
    case = make_case(demo["officer_a"])
    case_services.case_dismiss(
        actor=demo["officer_a"], case_id=case.pk, reason="unfounded", verification="Đã xác minh."
    )
    with pytest.raises(InvalidTransition):
        services.referral_waive(
            actor=demo["chair_a"], case_id=case.pk, service="social_support", reason="Không cần."
        )
    assert not Referral.objects.filter(case=case).exists()
