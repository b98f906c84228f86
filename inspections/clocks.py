"""The clock of an inspection's recommendation, registered once in core with its owners."""

from django.utils.translation import gettext_lazy as _

from core.clocks import ClockKind, Span, register_clock_kind
from core.models import Clock, User
from inspections.models import Membership, Recommendation

RECOMMENDATION = "inspection_recommendation"
LABELS = {RECOMMENDATION: _("Inspection recommendation carried out")}


def team_leads(clock: Clock, recommendation: Recommendation) -> list[User]:
    """The inspected organisation acts; the head of the inspection team follows it up."""
    return list(
        User.objects.filter(
            inspection_memberships__inspection_id=recommendation.inspection_id,
            inspection_memberships__role=Membership.Role.LEAD,
        )
    )


def decision_number(recommendation: Recommendation) -> str:
    """A recommendation has no case: notifications name the inspection's decision."""
    return recommendation.inspection.decision_number


def inspection_link(recommendation: Recommendation) -> str:
    return f"/inspections/{recommendation.inspection_id}/"


def register() -> None:
    # The due date is set by the inspection's conclusion; the span is only a fallback.
    register_clock_kind(
        ClockKind(
            kind=RECOMMENDATION,
            label=LABELS[RECOMMENDATION],
            span=Span(days=30),
            model=Recommendation,
            owners=team_leads,
            code=decision_number,
            link=inspection_link,
            related=("inspection",),
        )
    )
