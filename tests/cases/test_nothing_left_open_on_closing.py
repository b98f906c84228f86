"""A case is not closed over a child's head: a separation proposed is decided first, one in force
revoked, an offer to another commune answered. What closing would have left behind could act on
a closed case: the offer moved it, the chair approved a separation on it, nobody could revoke a
separation in force. A closed case takes no notes either: new information reopens it (found by
a probe of the web forms, 1 December 2026)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.choices import ClosureReason, Status
from cases.models import Case, CaseNote, CaseTransfer, SeparationDecision
from core.errors import InvalidTransition
from tests.cases.factories import advance, commune, make_case

COMMUNE_B = "14329"
INTERVENTION = ("assess_initial", "submit_plan", "approve_plan")
REVIEWED = (*INTERVENTION, "start_review")


def case_after(demo, *steps: str) -> Case:
    case = make_case(demo["officer_a"], abuse_forms=("other",))
    return advance(case, *steps, officer=demo["officer_a"], chair=demo["chair_a"])


def offered_to_b(demo, case: Case) -> CaseTransfer:
    return services.case_transfer_request(
        actor=demo["officer_a"], case_id=case.pk, to_commune=commune(COMMUNE_B), reason="Chuyển."
    )


def refused(demo, case: Case, step: str) -> str:
    before = (case.status, case.events.count())
    with pytest.raises(InvalidTransition) as refusal:
        advance(case, step, officer=demo["officer_a"], chair=demo["chair_a"])
    case.refresh_from_db()
    assert (case.status, case.events.count()) == before
    return str(refusal.value)


# --- What closing waits for -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "closing"),
    [((), "dismiss"), (REVIEWED, "propose_closure"), ((*REVIEWED, "propose_closure"), "close")],
)
def test_a_proposed_separation_is_decided_before_closing(demo, steps, closing):
    case = case_after(demo, *steps, "propose_separation")

    assert "not yet decided" in refused(demo, case, closing)


@pytest.mark.parametrize(("steps", "closing"), [((), "dismiss"), (REVIEWED, "propose_closure")])
def test_a_separation_in_force_is_revoked_before_closing(demo, steps, closing):
    case = case_after(demo, *steps, "propose_separation", "decide_separation")

    assert "revokes the separation first" in refused(demo, case, closing)


@pytest.mark.parametrize(("steps", "closing"), [((), "dismiss"), (REVIEWED, "propose_closure")])
def test_an_offer_to_another_commune_is_answered_before_closing(demo, steps, closing):
    case = case_after(demo, *steps)
    transfer = offered_to_b(demo, case)

    assert "offered to another commune" in refused(demo, case, closing)

    services.case_transfer_decide(actor=demo["officer_b"], transfer_id=transfer.pk, accept=False)
    assert advance(case, closing, officer=demo["officer_a"], chair=demo["chair_a"]).status in (
        Status.CLOSED,
        Status.CLOSURE_REVIEW,
    )


def test_the_page_offers_no_dismissal_while_the_case_is_offered(client, demo):
    case = case_after(demo)
    offered_to_b(demo, case)
    client.force_login(demo["officer_a"])

    response = client.post(
        reverse("cases:transition", args=[case.pk, "dismiss"]),
        {"reason": "unfounded", "verification": "Đã gặp gia đình."},
    )

    assert response.status_code in (302, 409)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


# --- A closed case left with what an older rule let through --------------------------------------


def closed_behind_the_rules(case: Case) -> Case:
    """Closed as a case could be before closing waited (data recorded under the older rule)."""
    Case.objects.filter(pk=case.pk).update(
        status=Status.CLOSED, closed_at=timezone.now(), closure_reason=ClosureReason.GOALS_MET
    )
    case.refresh_from_db()
    return case


def test_an_offer_of_a_closed_case_is_not_accepted(demo, api_for):
    case = case_after(demo)
    transfer = offered_to_b(demo, case)
    case = closed_behind_the_rules(case)

    answer = api_for(demo["officer_b"]).post(
        f"/api/v1/transfers/{transfer.pk}/accept/", {}, format="json"
    )

    assert answer.status_code == 409
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert transfer.outcome == CaseTransfer.Outcome.PENDING
    assert case.commune.code != COMMUNE_B
    # Declining it clears the offer.
    services.case_transfer_decide(actor=demo["officer_b"], transfer_id=transfer.pk, accept=False)
    transfer.refresh_from_db()
    assert transfer.outcome == CaseTransfer.Outcome.DECLINED


def test_the_chair_decides_no_separation_on_a_closed_case(client, demo):
    case = case_after(demo, "propose_separation")
    proposal = case.separationdecisions.get()
    case = closed_behind_the_rules(case)
    events = case.events.count()
    client.force_login(demo["chair_a"])
    prefix = f"separation-{proposal.pk}"

    response = client.post(
        reverse("cases:separation_decide", args=[proposal.pk]),
        {
            f"{prefix}-approve": "yes",
            f"{prefix}-placement": "Nhà bà ngoại",
            f"{prefix}-period_days": "10",
            f"{prefix}-decision_number": "07/QĐ-UBND",
        },
    )

    assert response.status_code in (302, 409)
    proposal.refresh_from_db()
    assert proposal.outcome == SeparationDecision.Outcome.PENDING
    assert case.events.count() == events


# --- Notes ----------------------------------------------------------------------------------------


def test_a_closed_case_takes_no_notes(client, demo):
    case = case_after(demo, "dismiss")
    events = case.events.count()
    client.force_login(demo["officer_a"])

    response = client.post(reverse("cases:note", args=[case.pk]), {"text": "Ghi chú muộn."})

    assert response.status_code in (302, 409)
    with pytest.raises(InvalidTransition):
        services.case_add_note(actor=demo["officer_a"], case_id=case.pk, text="Ghi chú muộn.")
    assert not CaseNote.objects.filter(case=case).exists()
    assert case.events.count() == events
