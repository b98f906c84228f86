"""The heart of the product: a sexual-abuse case through all five required services to closure."""

import pytest

from cases import services as case_services
from cases.selectors import cases_visible_to
from core.errors import InvalidTransition
from referrals import services
from referrals.pathways import required_services
from tests.cases.factories import close_payload
from tests.referrals.helpers import CLOSE, outcome, refer, sexual_abuse_case, staff_of, to_review

FIVE = ["forensic_exam", "legal_aid", "medical_care", "police_report", "social_support"]


def close(demo, case) -> None:
    """The officer proposes closing (Form 06); the chair closes, deciding on any open work."""
    case_services.case_propose_closure(actor=demo["officer_a"], case_id=case.pk, **CLOSE)
    case.refresh_from_db()
    case_services.case_close(actor=demo["chair_a"], case_id=case.pk, **close_payload(case))


def test_a_sexual_abuse_case_closes_only_after_each_agency_completes_its_service(demo):
    case = sexual_abuse_case(demo)
    assert sorted(required_services(case)) == FIVE
    referrals = {service: refer(demo, case, service) for service in FIVE}
    case = to_review(demo, case)

    for done, service in enumerate(FIVE):
        with pytest.raises(InvalidTransition) as refused:
            case_services.case_propose_closure(actor=demo["officer_a"], case_id=case.pk, **CLOSE)
        assert len(services.unresolved_required_services(case)) == len(FIVE) - done
        assert refused.value.message.count("Required service") == len(FIVE) - done
        staff = staff_of(demo, service)
        services.referral_accept(actor=staff, referral_id=referrals[service].pk)
        services.referral_complete(
            actor=staff, referral_id=referrals[service].pk, outcome=outcome(service)
        )

    close(demo, case)
    case.refresh_from_db()
    assert case.status == "closed"
    completed = case.referrals.filter(status="completed")
    assert sorted(completed.values_list("service", flat=True)) == FIVE
    assert case.referrals.get(service="police_report").outcome.police_decision == "prosecuted"


def test_the_case_history_shows_each_referral_step(demo):
    case = sexual_abuse_case(demo)
    referral = refer(demo, case, "police_report")
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    services.referral_complete(
        actor=demo["police"], referral_id=referral.pk, outcome=outcome("police_report")
    )
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["create", "referral_sent", "referral_accepted", "referral_completed"]


def test_a_declined_required_service_must_be_re_referred_or_waived_before_closing(demo):
    case = sexual_abuse_case(demo)
    for service in FIVE:
        referral = refer(demo, case, service)
        staff = staff_of(demo, service)
        if service == "legal_aid":
            services.referral_decline(actor=staff, referral_id=referral.pk, reason="Hết người")
            continue
        services.referral_accept(actor=staff, referral_id=referral.pk)
        services.referral_complete(actor=staff, referral_id=referral.pk, outcome=outcome(service))
    case = to_review(demo, case)
    with pytest.raises(InvalidTransition):
        case_services.case_propose_closure(actor=demo["officer_a"], case_id=case.pk, **CLOSE)

    services.referral_waive(
        actor=demo["chair_a"],
        case_id=case.pk,
        service="legal_aid",
        reason="Gia đình tự thuê luật sư",
    )
    close(demo, case)
    assert case.referrals.get(service="legal_aid").status == "waived"


def test_the_agency_sees_the_case_only_while_its_referral_is_accepted(demo):
    case = sexual_abuse_case(demo)
    referral = refer(demo, case, "legal_aid")
    visible = cases_visible_to(demo["legalaid"]).filter(pk=case.pk)
    assert not visible.exists()  # pending: the referral only, not the case

    services.referral_accept(actor=demo["legalaid"], referral_id=referral.pk)
    assert visible.exists()
    assert not cases_visible_to(demo["police"]).filter(pk=case.pk).exists()

    services.referral_complete(
        actor=demo["legalaid"], referral_id=referral.pk, outcome=outcome("legal_aid")
    )
    assert not visible.exists()
    # The referral itself stays readable to the agency.
    assert services.referral_open(actor=demo["legalaid"], referral_id=referral.pk) == referral
