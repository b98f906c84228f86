"""What an inspection tells whom (DOMAIN §8): its events (inspections/events.py) as outbox rows.

- Planned: the inspectors put on the team learn that they are on it.
- Concluded, cancelled, closed: the whole team hears how it ended; the conclusion also goes to
  the heads of the lead agency, in whose name it is issued.
- A recommendation marked done by a member: the head of the team, who follows the
  recommendations up and closes the inspection once none is open.

Every step of the workflow is either in `INSPECTION_STEP_NOTICES` or in `SILENT_INSPECTION_STEPS`
(a test holds both to the workflow). The texts name only the inspection's decision number:
inspections hold no child's data, and a finding about a child reaches the commune through the
case opened for the child. Notifications are keyed by the history row of the event.
"""

from collections.abc import Callable, Iterable

from django.urls import reverse

from core.events import subscribe
from core.models import User
from inspections import selectors
from inspections.events import (
    InspectionChange,
    InspectionPlanned,
    InspectionStepTaken,
    RecommendationResolved,
)
from inspections.models import Inspection, Membership
from notifications.outbox import notify

Audience = Callable[[Inspection], list[User]]


def the_team(inspection: Inspection) -> list[User]:
    return selectors.team_users(inspection)


def the_lead_agency_heads(inspection: Inspection) -> list[User]:
    return selectors.lead_agency_heads(inspection)


# Step → (the notification's text, who hears of it).
INSPECTION_STEP_NOTICES: dict[str, tuple[str, tuple[Audience, ...]]] = {
    "conclude": ("inspection_concluded", (the_team, the_lead_agency_heads)),
    "cancel": ("inspection_cancelled", (the_team,)),
    "close": ("inspection_closed", (the_team,)),
}
# The head of the team takes these with the team in the field; the page shows where it stands.
SILENT_INSPECTION_STEPS = frozenset({"start", "begin_reporting", "follow_up"})


def tell(event: InspectionChange, text: str, recipients: Iterable[User]) -> None:
    """Notify everyone concerned but the one who did it."""
    inspection = event.inspection
    notify(
        key=f"inspection-event:{event.history_id}",
        recipients=[user for user in recipients if user.pk != event.actor.pk],
        event=text,
        params={"code": inspection.decision_number},
        link=reverse("inspections:detail", args=[inspection.pk]),
        topic=f"inspection:{inspection.pk}",
    )


def on_inspection_planned(event: InspectionPlanned) -> None:
    tell(event, "inspection_team_joined", the_team(event.inspection))


def on_inspection_step(event: InspectionStepTaken) -> None:
    notice = INSPECTION_STEP_NOTICES.get(event.step)
    if notice is not None:
        text, audiences = notice
        tell(event, text, [user for audience in audiences for user in audience(event.inspection)])


def on_recommendation_resolved(event: RecommendationResolved) -> None:
    # Only the head of the team waives, so a waiver has nobody else to tell.
    if event.done:
        leads = selectors.team_users(event.inspection, Membership.Role.LEAD)
        tell(event, "inspection_recommendation_done", leads)


def register() -> None:
    subscribe(InspectionPlanned, on_inspection_planned)
    subscribe(InspectionStepTaken, on_inspection_step)
    subscribe(RecommendationResolved, on_recommendation_resolved)
