"""Every declared step of every workflow, as every role that can see the record, in every state:
what `…/transitions/` offers is exactly what the services accept, and a refusal gives the very
reason the list gave.

Each workflow contributes a `World`: records in a spread of states (and with the guards that can
stop a step), the users who can see them, and a valid payload for each step. The test asks the
API what each user may do, then runs every step through its service inside a savepoint that is
rolled back, so each step starts from the same record.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models, transaction

from cases.workflow import CASE_WORKFLOW
from core.errors import Forbidden, InvalidTransition
from core.events import unheard_event_types
from core.models import User
from core.workflow import Workflow
from notifications.subscribers import CASE_STEP_NOTICES, SILENT_CASE_STEPS
from tests.cases.factories import STEPS as CASE_STEPS
from tests.cases.factories import advance, make_case


@dataclass
class World:
    workflow: Workflow[Any]
    records: list[models.Model]  # records in the states to try every step from
    users: list[User]  # users who can see every one of them
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
        service(actor=officer, case_id=made.pk, separation_proposed=True, **payload())
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
        # Sexual abuse needs services that are not resolved: the chair may not close it.
        case(
            "assess_initial",
            "submit_plan",
            "approve_plan",
            "start_review",
            abuse_forms=("sexual_abuse",),
        ),
        case("dismiss"),
    ]

    def run(name: str, user: User, record: models.Model) -> Any:
        _role, service, payload = CASE_STEPS[name]
        return service(actor=user, case_id=record.pk, **payload())

    return World(
        workflow=CASE_WORKFLOW,
        records=records,
        users=[officer, chair, demo["province"]],
        url=lambda record: f"/api/v1/cases/{record.pk}/transitions/",
        run=run,
    )


WORLDS = {"case": case_world}


@pytest.mark.parametrize("workflow", sorted(WORLDS))
def test_what_transitions_offers_is_what_the_services_accept(workflow, demo, api_as):
    world = WORLDS[workflow](demo)
    tried: dict[str, set[str]] = {"allowed": set(), "refused": set()}
    for record in world.records:
        for user in world.users:
            listed = api_as(user.username).get(world.url(record), HTTP_ACCEPT_LANGUAGE="en")
            assert listed.status_code == 200
            options = {row["name"]: row for row in listed.json()}
            assert list(options) == world.workflow.names
            for name, option in options.items():
                outcome = attempt(world, name, user, record)
                where = f"{name} by {user.username} from {record_state(world, record)}"
                if option["allowed"]:
                    assert outcome is None, f"{where}: listed as possible, refused: {outcome}"
                    tried["allowed"].add(name)
                else:
                    assert outcome is not None, f"{where}: listed as impossible, accepted"
                    # The role alone refuses first (403); else the state, or every guard (409).
                    if isinstance(outcome, Forbidden):
                        assert outcome.message == option["missing"][0], where
                    else:
                        assert outcome.message == " ".join(option["missing"]), where
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
