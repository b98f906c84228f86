"""The inspection's steps as one table (inspections/workflow.py): what `…/transitions/` offers
to each user in each state is exactly what the services accept, a refusal gives the very reason
the list gave, and the table, the services, the API and the notifications name the same steps."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import Forbidden, InvalidTransition
from core.events import unheard_event_types
from core.models import User
from inspections import events, services
from inspections.api.inputs import STEP_PAYLOADS
from inspections.models import Inspection
from inspections.workflow import INSPECTION_WORKFLOW
from notifications.inspection_subscribers import INSPECTION_STEP_NOTICES, SILENT_INSPECTION_STEPS
from tests.inspections.factories import advance, another_inspector, plan_inspection


class RolledBack(Exception):
    pass


def valid_payload(name: str, inspection: Inspection) -> dict:
    if name == "conclude":
        found = inspection.findings.exists()
        return {"conclusion": "Kết luận.", "no_violation_found": not found}
    if name == "cancel":
        return {"reason": "Thay đổi kế hoạch."}
    return {}


def attempt(name: str, user: User, inspection: Inspection) -> Forbidden | InvalidTransition | None:
    """Run the step and roll it back; the refusal it met, or None when it ran."""
    try:
        with transaction.atomic():
            payload = valid_payload(name, inspection)
            services.STEP_SERVICES[name](actor=user, inspection_id=inspection.pk, **payload)
            raise RolledBack
    except RolledBack:
        return None
    except (Forbidden, InvalidTransition) as refusal:
        return refusal


def records(demo, member: User) -> list[Inspection]:
    """Inspections in every state, and with the guard that can stop closing them."""

    def planned() -> Inspection:
        return plan_inspection(demo, members=(member,))

    def with_recommendation(to_status: str, *, resolved: bool) -> Inspection:
        inspection = advance(planned(), "in_progress", demo)
        services.finding_record(
            actor=demo["inspector"],
            inspection_id=inspection.pk,
            description="…",
            legal_basis="…",
            responsible="…",
            sanction="warning",
        )
        inspection = advance(inspection, "reporting", demo)
        recommendation = services.recommendation_add(
            actor=demo["inspector"],
            inspection_id=inspection.pk,
            action="…",
            responsible="…",
            due_date=timezone.localdate() + datetime.timedelta(days=5),
        )
        if resolved:
            services.recommendation_resolve(
                actor=member, recommendation_id=recommendation.pk, done=True, evidence="…"
            )
        return advance(inspection, to_status, demo)

    return [
        planned(),
        advance(planned(), "in_progress", demo),
        advance(planned(), "reporting", demo),
        with_recommendation("reporting", resolved=False),
        with_recommendation("concluded", resolved=False),
        with_recommendation("follow_up", resolved=False),
        with_recommendation("follow_up", resolved=True),
        advance(planned(), "closed", demo),
        advance(planned(), "cancelled", demo),
    ]


def test_what_transitions_offers_is_what_the_services_accept(demo):
    member = another_inspector()
    users = [demo["inspector"], member, demo["province"]]
    tried: dict[str, set[str]] = {"allowed": set(), "refused": set()}
    for inspection in records(demo, member):
        for user in users:
            client = APIClient()
            client.force_authenticate(user)
            listed = client.get(
                f"/api/v1/inspections/{inspection.pk}/transitions/", HTTP_ACCEPT_LANGUAGE="en"
            )
            assert listed.status_code == 200
            options = {row["name"]: row for row in listed.json()}
            assert list(options) == INSPECTION_WORKFLOW.names
            for name, option in options.items():
                outcome = attempt(name, user, inspection)
                where = f"{name} by {user.username} from {inspection.status}"
                if option["allowed"]:
                    assert outcome is None, f"{where}: listed as possible, refused: {outcome}"
                    tried["allowed"].add(name)
                    continue
                assert outcome is not None, f"{where}: listed as impossible, accepted"
                if isinstance(outcome, Forbidden):
                    assert outcome.message == option["missing"][0], where
                else:
                    assert outcome.message == " ".join(option["missing"]), where
                tried["refused"].add(name)
    assert tried["allowed"] == set(INSPECTION_WORKFLOW.names)
    assert tried["refused"] == set(INSPECTION_WORKFLOW.names)


def test_concluding_without_findings_is_offered_and_needs_the_statement(demo):
    """The one rule the table cannot hold: it depends on the payload, so the list offers the
    step and the service refuses it, as not possible now, without the statement."""
    inspection = advance(plan_inspection(demo), "reporting", demo)
    option = next(
        o
        for o in INSPECTION_WORKFLOW.options(actor=demo["inspector"], subject=inspection)
        if o.name == "conclude"
    )
    assert option.allowed
    with pytest.raises(InvalidTransition, match="Record at least one finding"):
        services.inspection_conclude(
            actor=demo["inspector"], inspection_id=inspection.pk, conclusion="…"
        )


def test_the_table_the_services_and_the_api_name_the_same_steps():
    assert list(services.STEP_SERVICES) == INSPECTION_WORKFLOW.names
    assert set(STEP_PAYLOADS) == set(INSPECTION_WORKFLOW.names)


def test_every_step_notifies_someone_or_is_declared_silent():
    declared = set(INSPECTION_STEP_NOTICES) | SILENT_INSPECTION_STEPS
    assert declared == set(INSPECTION_WORKFLOW.names)
    assert not set(INSPECTION_STEP_NOTICES) & SILENT_INSPECTION_STEPS


def test_every_inspection_event_is_heard_or_declared_silent():
    unheard = [t for t in unheard_event_types() if t.__module__ == events.__name__]
    assert unheard == []
    assert events.FindingRecorded.silent and events.RecommendationAdded.silent
    assert not events.InspectionPlanned.silent and not events.InspectionStepTaken.silent
