"""Every declared step of every workflow, as every role that can see the record, in every state:
what `…/transitions/` offers is exactly what the services accept, and a refusal gives the very
reason the list gave.

Each workflow contributes a `World`: records in a spread of states (and with the guards that can
stop a step), the users who can see them, and a valid payload for each step. The test asks the
API what each user may do, then runs every step through its service inside a savepoint that is
rolled back, so each step starts from the same record.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Case
from cases.workflow import CASE_WORKFLOW
from core.errors import Forbidden, InvalidTransition
from core.events import unheard_event_types
from core.models import RoleMembership, User
from core.workflow import Workflow
from inspections import services as inspection_services
from inspections.models import Inspection
from inspections.workflow import INSPECTION_WORKFLOW
from notifications.subscribers import (
    CASE_STEP_NOTICES,
    REFERRAL_STEP_NOTICES,
    SILENT_CASE_STEPS,
    SILENT_REFERRAL_STEPS,
)
from referrals import services as referral_services
from referrals.models import Referral
from referrals.workflow import REFERRAL_EVENT_STEPS, REFERRAL_WORKFLOW
from tests.cases.factories import STEPS as CASE_STEPS
from tests.cases.factories import advance, make_case
from tests.inspections.factories import another_inspector
from tests.inspections.worlds import inspections_in_every_state
from tests.referrals.helpers import agency, outcome, refer, sexual_abuse_case


@dataclass
class World:
    workflow: Workflow[Any]
    # Records in the states to try every step from, each with the users who can see it.
    records: list[tuple[models.Model, list[User]]]
    url: Callable[[models.Model], str]  # the record's `…/transitions/`
    run: Callable[[str, User, models.Model], Any]  # a step through its service, valid payload


class RolledBack(Exception):
    pass


def case_world(demo: dict[str, User]) -> World:
    officer, chair = demo["officer_a"], demo["chair_a"]

    def case(*steps: str, abuse_forms: tuple[str, ...] = ("other",)) -> models.Model:
        made = make_case(officer, abuse_forms=abuse_forms)
        return advance(made, *steps, officer=officer, chair=chair)

    def emergency_awaiting_separation() -> models.Model:
        made = make_case(officer, abuse_forms=("other",))
        _role, service, payload = CASE_STEPS["declare_emergency"]
        service(
            actor=officer,
            case_id=made.pk,
            separation_proposed=True,
            placement="Nhà bà ngoại",
            **payload(),
        )
        made.refresh_from_db()
        return made

    records = [
        case(),
        case("declare_emergency"),
        emergency_awaiting_separation(),
        case("assess_initial"),
        case("assess_initial", "submit_plan"),
        case("assess_initial", "submit_plan", "approve_plan"),
        case("assess_initial", "submit_plan", "approve_plan", "start_review"),
        # Sexual abuse needs services that are not resolved: the officer may not propose closing.
        case(
            "assess_initial",
            "submit_plan",
            "approve_plan",
            "start_review",
            abuse_forms=("sexual_abuse",),
        ),
        case("assess_initial", "submit_plan", "approve_plan", "start_review", "propose_closure"),
        # A separation in force: extended or revoked, not proposed again.
        case("assess_initial", "propose_separation", "decide_separation"),
        case("dismiss"),
    ]
    users = [officer, chair, demo["province"]]

    def run(name: str, user: User, record: models.Model) -> Any:
        _role, service, payload = CASE_STEPS[name]
        assert isinstance(record, Case)
        return service(actor=user, case_id=record.pk, **payload(record))

    return World(
        workflow=CASE_WORKFLOW,
        records=[(record, users) for record in records],
        url=lambda record: f"/api/v1/cases/{record.pk}/transitions/",
        run=run,
    )


def referral_world(demo: dict[str, User]) -> World:
    head = User.objects.create_user("police_head", password="x")
    RoleMembership.objects.create(user=head, role="agency_head", agency=agency("police_report"))
    police, hospital, officer = demo["police"], demo["hospital"], demo["officer_a"]

    def run(name: str, user: User, referral: models.Model) -> Any:
        assert isinstance(referral, Referral)
        referral.refresh_from_db()
        staff = police if referral.service == "police_report" else hospital
        today = timezone.localdate()
        payloads: dict[str, dict[str, Any]] = {
            "accept": {},
            "decline": {"reason": "Hết người"},
            "complete": {"outcome": outcome(referral.service)},
            "extend": {
                "due_at": (referral.accepted_at or timezone.now())
                + datetime.timedelta(days=25 + 10 * referral.extensions),
                "reason": "Phức tạp",
            }
            # The second extension is the procuracy's, with its decision's number and date.
            | (
                {"procuracy_decision_number": "9/QĐ-VKS", "procuracy_decision_date": today}
                if referral.extensions == 1
                else {}
            ),
            "correct_receipt": {
                "report_received_at": referral.case.received_at + datetime.timedelta(minutes=30)
            },
            "record_suspension": {"suspended_on": today, "reason": "Chờ kết luận giám định"},
            "record_resumption": {"resumed_on": today, "reason": "Đã có kết luận giám định"},
            "assign": {"staff": staff},
            "cancel": {"reason": "Nhầm"},
        }
        service = getattr(referral_services, f"referral_{name}")
        return service(actor=user, referral_id=referral.pk, **payloads[name])

    def police_referral(*steps: str) -> Referral:
        referral = refer(demo, sexual_abuse_case(demo), "police_report")
        for step in steps:
            run(step, officer if step == "cancel" else police, referral)
        referral.refresh_from_db()
        return referral

    medical = refer(demo, sexual_abuse_case(demo), "medical_care")
    referral_services.referral_accept(actor=hospital, referral_id=medical.pk)
    return World(
        workflow=REFERRAL_WORKFLOW,
        records=[
            (police_referral(), [police, head, officer, demo["chair_a"]]),
            (police_referral("accept"), [police, head, officer]),
            # Extended twice: a third extension is stopped by its guard.
            (police_referral("accept", "extend", "extend"), [police, officer]),
            (police_referral("accept", "complete"), [police, head, officer]),
            # Suspended (Art. 148): still open, only the final decision completes it.
            (police_referral("accept", "record_suspension"), [police, head, officer]),
            # Resumed (Art. 149): a month to decide, neither extended nor suspended twice over.
            (
                police_referral("accept", "record_suspension", "record_resumption"),
                [police, head, officer],
            ),
            (police_referral("decline"), [police, officer]),
            (police_referral("cancel"), [head, officer]),
            # Only the police's settlement of a crime report can be extended.
            (medical, [hospital, officer]),
        ],
        url=lambda record: f"/api/v1/referrals/{record.pk}/transitions/",
        run=run,
    )


def inspection_world(demo: dict[str, User]) -> World:
    member = another_inspector()

    def run(name: str, user: User, inspection: models.Model) -> Any:
        assert isinstance(inspection, Inspection)
        payload: dict[str, Any] = {}
        if name == "conclude":
            payload = {
                "conclusion": "Kết luận.",
                "no_violation_found": not inspection.findings.exists(),
            }
        elif name == "cancel":
            payload = {"reason": "Thay đổi kế hoạch."}
        service = inspection_services.STEP_SERVICES[name]
        return service(actor=user, inspection_id=inspection.pk, **payload)

    users = [demo["inspector"], member, demo["province"]]
    return World(
        workflow=INSPECTION_WORKFLOW,
        records=[(record, users) for record in inspections_in_every_state(demo, member)],
        url=lambda record: f"/api/v1/inspections/{record.pk}/transitions/",
        run=run,
    )


WORLDS = {"case": case_world, "referral": referral_world, "inspection": inspection_world}


@pytest.mark.parametrize("workflow", sorted(WORLDS))
def test_what_transitions_offers_is_what_the_services_accept(workflow, demo, api_as):
    world = WORLDS[workflow](demo)
    tried: dict[str, set[str]] = {"allowed": set(), "refused": set()}
    for record, users in world.records:
        for user in users:
            client = APIClient()
            client.force_authenticate(user)
            listed = client.get(world.url(record), HTTP_ACCEPT_LANGUAGE="en")
            assert listed.status_code == 200
            options = {row["name"]: row for row in listed.json()}
            assert list(options) == world.workflow.names
            for name, option in options.items():
                outcome_ = attempt(world, name, user, record)
                where = f"{name} by {user.username} from {record_state(world, record)}"
                if option["allowed"]:
                    assert outcome_ is None, f"{where}: listed as possible, refused: {outcome_}"
                    tried["allowed"].add(name)
                else:
                    assert outcome_ is not None, f"{where}: listed as impossible, accepted"
                    # The role alone refuses first (403); else the state, or every guard (409).
                    if isinstance(outcome_, Forbidden):
                        assert outcome_.message == option["missing"][0], where
                    else:
                        assert outcome_.message == " ".join(option["missing"]), where
                    tried["refused"].add(name)
    # The spread of records reaches every step both ways.
    assert tried["allowed"] == set(world.workflow.names)
    assert tried["refused"] == set(world.workflow.names)


def attempt(
    world: World, name: str, user: User, record: models.Model
) -> Forbidden | InvalidTransition | None:
    """Run the step and roll it back; the refusal it met, or None when it ran."""
    try:
        with transaction.atomic():
            world.run(name, user, record)
            raise RolledBack
    except RolledBack:
        return None
    except (Forbidden, InvalidTransition) as refusal:
        return refusal


def record_state(world: World, record: models.Model) -> str:
    record.refresh_from_db()
    return str(getattr(record, world.workflow.state_field))


# --- Events ---------------------------------------------------------------------------------------


def test_every_event_type_is_heard_or_declared_silent():
    assert unheard_event_types() == []


def test_every_case_step_notifies_someone_or_is_declared_silent():
    declared = set(CASE_STEP_NOTICES) | SILENT_CASE_STEPS
    assert declared == set(CASE_WORKFLOW.names)
    assert not set(CASE_STEP_NOTICES) & SILENT_CASE_STEPS


def test_every_referral_step_notifies_someone_or_is_declared_silent():
    declared = set(REFERRAL_STEP_NOTICES) | SILENT_REFERRAL_STEPS
    assert declared == set(REFERRAL_EVENT_STEPS)
    assert not set(REFERRAL_STEP_NOTICES) & SILENT_REFERRAL_STEPS
