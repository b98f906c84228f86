"""Inspections in every state, for the tests that try every step from each of them."""

import datetime

from django.utils import timezone

from core.models import User
from inspections import services
from inspections.models import Inspection
from tests.inspections.factories import advance, plan_inspection


def inspections_in_every_state(demo: dict[str, User], member: User) -> list[Inspection]:
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
