"""What happens to an inspection, as typed events (core.events) for the apps that react to it.

Every event names the history row it was recorded with: subscribers key what they do on it, so
the same step taken twice is heard twice and one event delivered twice is acted on once.
Who hears of which event is decided in notifications/inspection_subscribers.py; the events that
nobody needs to hear say so here (`silent`), and stay in the history and the audit.
"""

from dataclasses import dataclass

from core.events import Event
from core.models import User
from inspections.models import Inspection


@dataclass(frozen=True, kw_only=True)
class InspectionChange(Event):
    inspection: Inspection
    actor: User
    history_id: int  # the row of the inspection's history that records it


@dataclass(frozen=True, kw_only=True)
class InspectionPlanned(InspectionChange):
    """An inspection is planned: the inspectors put on its team learn that they are on it."""


@dataclass(frozen=True, kw_only=True)
class InspectionStepTaken(InspectionChange):
    """A step of the inspection's workflow (inspections/workflow.py) was taken."""

    step: str
    from_status: str


@dataclass(frozen=True, kw_only=True)
class FindingRecorded(InspectionChange):
    """A violation was recorded. A child found at risk reaches the commune through the case
    opened for the child (that case's own event), not through this one."""

    silent = True
    finding_id: int


@dataclass(frozen=True, kw_only=True)
class RecommendationAdded(InspectionChange):
    """Its clock reminds the head of the team before it falls due; nobody else waits for it."""

    silent = True
    recommendation_id: int


@dataclass(frozen=True, kw_only=True)
class RecommendationResolved(InspectionChange):
    """A recommendation was done (any team member) or waived (the head of the team)."""

    recommendation_id: int
    done: bool
