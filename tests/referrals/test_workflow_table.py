"""The referral workflow's table (referrals/workflow.py) is what every door asks: each step has its
API body, its web form, its name in the history; the history and the clocks come out of it as the
reports and the case page read them."""

import datetime

import pytest
from django.utils import timezone

from cases.labels import event_label
from cases.models import Case
from core.errors import InvalidTransition
from core.models import Clock, RoleMembership, User
from referrals import clocks, services
from referrals.api.inputs import STEP_PAYLOADS
from referrals.forms import step_form
from referrals.workflow import PAST_TENSE, REFERRAL_EVENT_STEPS, REFERRAL_WORKFLOW
from tests.referrals.helpers import outcome, refer, sexual_abuse_case


def test_every_step_has_its_body_its_form_and_its_name_in_the_history(demo):
    referral = refer(demo, sexual_abuse_case(demo), "police_report")
    assert set(STEP_PAYLOADS) == set(REFERRAL_WORKFLOW.names)
    for name in REFERRAL_WORKFLOW.names:
        assert step_form(name, referral) is not None
        assert PAST_TENSE[name] in REFERRAL_EVENT_STEPS
        assert event_label(f"referral_{PAST_TENSE[name]}") == str(REFERRAL_WORKFLOW[name].done)
    assert event_label("referral_sent") == "Referral sent"
    assert event_label("referral_waived") == "Required service waived"


def history(case: Case) -> list[tuple[str, dict]]:
    rows = case.events.filter(action__startswith="referral_").order_by("at", "id")
    return [(row.action, row.details) for row in rows]


def test_the_history_names_each_step_and_its_details_as_before(demo):
    case = sexual_abuse_case(demo)
    police = refer(demo, case, "police_report")
    head = User.objects.create_user("police_head", password="x")
    RoleMembership.objects.create(user=head, role="agency_head", agency=police.agency)
    services.referral_accept(actor=demo["police"], referral_id=police.pk)
    services.referral_assign(actor=head, referral_id=police.pk, staff=demo["police"])
    police.refresh_from_db()
    assert police.accepted_at is not None
    due_at = police.accepted_at + datetime.timedelta(days=40)
    services.referral_extend(actor=demo["police"], referral_id=police.pk, due_at=due_at, reason="R")
    services.referral_complete(
        actor=demo["police"], referral_id=police.pk, outcome=outcome("police_report")
    )
    legal = refer(demo, case, "legal_aid")
    services.referral_decline(actor=demo["legalaid"], referral_id=legal.pk, reason="Hết người")
    services.referral_waive(actor=demo["chair_a"], case_id=case.pk, service="legal_aid", reason="W")
    medical = refer(demo, case, "medical_care")
    services.referral_cancel(actor=demo["officer_a"], referral_id=medical.pk, reason="Nhầm")

    def of(referral, service):
        return {"referral": referral.pk, "service": service}

    assert history(case) == [
        ("referral_sent", of(police, "police_report") | {"agency": police.agency_id}),
        (
            "referral_accepted",
            of(police, "police_report") | {"report_received_at": police.accepted_at.isoformat()},
        ),
        ("referral_assigned", of(police, "police_report") | {"assigned_to": demo["police"].pk}),
        (
            "referral_extended",
            of(police, "police_report") | {"due_at": due_at.isoformat(), "reason": "R"},
        ),
        ("referral_completed", of(police, "police_report") | {"police_decision": "prosecuted"}),
        ("referral_sent", of(legal, "legal_aid") | {"agency": legal.agency_id}),
        ("referral_declined", of(legal, "legal_aid") | {"reason": "Hết người"}),
        ("referral_waived", of(legal, "legal_aid") | {"reason": "W"}),
        ("referral_sent", of(medical, "medical_care") | {"agency": medical.agency_id}),
        ("referral_cancelled", of(medical, "medical_care") | {"reason": "Nhầm"}),
    ]


def test_each_step_moves_the_clocks_its_row_names(demo):
    case = sexual_abuse_case(demo)
    referral = refer(demo, case, "forensic_exam")
    accept, complete = clocks.accept_kind("forensic_exam"), clocks.complete_kind("forensic_exam")

    def state() -> dict[str, tuple[bool, bool]]:
        return {
            kind: (met is not None, stopped is not None)
            for kind, met, stopped in Clock.objects.for_object(referral).values_list(
                "kind", "met_at", "stopped_at"
            )
        }

    assert state() == {accept: (False, False)}
    services.referral_accept(actor=demo["forensic"], referral_id=referral.pk)
    assert state() == {accept: (True, False), complete: (False, False)}
    services.referral_complete(
        actor=demo["forensic"], referral_id=referral.pk, outcome=outcome("forensic_exam")
    )
    assert state() == {accept: (True, False), complete: (True, False)}

    declined = refer(demo, case, "medical_care")
    services.referral_decline(actor=demo["hospital"], referral_id=declined.pk, reason="Đầy")
    assert not Clock.objects.for_object(declined).open().exists()


def test_a_step_on_a_closed_case_is_refused_with_the_reason(demo, api_as):
    case = sexual_abuse_case(demo)
    referral = refer(demo, case, "police_report")
    # A live referral of a closed case cannot arise through the services (closing cancels it);
    # the guard still holds should one be left behind.
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_at=timezone.now(), closure_reason="goals_met"
    )
    with pytest.raises(InvalidTransition) as refused:
        services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    assert refused.value.message == "The case is closed."
    rows = api_as("police").get(
        f"/api/v1/referrals/{referral.pk}/transitions/", HTTP_ACCEPT_LANGUAGE="en"
    )
    accept = next(row for row in rows.json() if row["name"] == "accept")
    assert accept["missing"] == ["The case is closed."]


def test_the_police_may_extend_twice_and_the_third_time_is_refused_by_its_guard(demo):
    referral = refer(demo, sexual_abuse_case(demo), "police_report")
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    referral.refresh_from_db()
    assert referral.accepted_at is not None
    first = referral.accepted_at + datetime.timedelta(days=30)
    extend = {"actor": demo["police"], "referral_id": referral.pk, "reason": "."}
    services.referral_extend(due_at=first, **extend)
    services.referral_extend(
        due_at=first + datetime.timedelta(days=30),
        procuracy_decision_number="7/QĐ-VKS",
        procuracy_decision_date=timezone.localdate(),
        **extend,
    )
    referral.refresh_from_db()
    options = services.transitions_for(actor=demo["police"], referral=referral)
    option = next(option for option in options if option.name == "extend")
    assert option.missing == ["The time limit has already been extended twice."]
    with pytest.raises(InvalidTransition) as refused:
        services.referral_extend(due_at=timezone.now(), **extend)
    assert refused.value.message == option.missing[0]
