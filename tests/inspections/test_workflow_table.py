"""The inspection's steps as one table (inspections/workflow.py): what `…/transitions/` offers
to each user in each state is exactly what the services accept, a refusal gives the very reason
the list gave, and the table, the services, the API and the notifications name the same steps."""

import pytest

from core.errors import InvalidTransition
from core.events import unheard_event_types
from inspections import events, services
from inspections.api.inputs import STEP_PAYLOADS
from inspections.workflow import INSPECTION_WORKFLOW
from notifications.inspection_subscribers import INSPECTION_STEP_NOTICES, SILENT_INSPECTION_STEPS
from tests.inspections.factories import advance, plan_inspection


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
