"""The inspection's steps (DOMAIN §8), declared once: planned → in progress → reporting →
concluded → follow-up → closed, or cancelled before the conclusion.

Each row says who runs the step (the head of the team), from which states (the FSM graph in
inspections/models.py), what else must hold and what it does to the clocks. The service of each
step (inspections/services.py) writes what the step records; the API, the web pages and
`…/transitions/` all ask this table.

Two things a row cannot say, and where they live instead:
- Concluding needs a finding *or* the statement that no violation was found. That depends on the
  payload (`no_violation_found`), which `options` never sees, so the rule is in
  `services.inspection_conclude`: no finding and no statement is refused as not possible now
  (409); a statement of no violation over recorded findings is bad input (400).
- Cancelling and closing stop the clocks of the inspection's recommendations. The kernel's
  `stops` moves the clocks of the inspection itself, and these run on its recommendations, so
  the two services stop them (`services.stop_recommendation_clocks`).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.events import publish
from core.models import User
from core.workflow import Step, Text, Workflow
from inspections import selectors
from inspections.events import InspectionStepTaken
from inspections.history import record_event
from inspections.labels import EVENT_LABELS, TRANSITION_LABELS
from inspections.models import Inspection, Recommendation


class TeamLead:
    """The head of the inspection's team runs its steps; members record what they find."""

    def allows(self, user: User, inspection: Inspection) -> bool:
        return selectors.is_lead(user, inspection)

    def refusal(self) -> Text:
        return _("only the head of the team")


HEAD_OF_TEAM = TeamLead()


def recommendations_resolved(inspection: Inspection) -> list[Text]:
    open_count = inspection.recommendations.filter(status=Recommendation.Status.OPEN).count()
    if not open_count:
        return []
    message = ngettext(
        "%(count)d recommendation is neither done nor waived.",
        "%(count)d recommendations are neither done nor waived.",
        open_count,
    )
    return [message % {"count": open_count}]


def record_step(
    inspection: Inspection, actor: User, step: str, from_status: str, details: dict[str, Any]
) -> None:
    event = record_event(
        inspection=inspection, actor=actor, action=step, from_status=from_status, details=details
    )
    publish(
        InspectionStepTaken(
            inspection=inspection,
            actor=actor,
            history_id=event.pk,
            step=step,
            from_status=from_status,
        )
    )


INSPECTION_WORKFLOW: Workflow[Inspection] = Workflow(
    name="inspection",
    record=record_step,
    named=lambda inspection: f"“{inspection.title}”",
    state_refusal=_("“%(step)s” is not possible while the inspection is “%(status)s”."),
    steps=[
        Step(
            "start",
            who=HEAD_OF_TEAM,
            label=TRANSITION_LABELS["start"],
            done=EVENT_LABELS["start"],
            confirmation=EVENT_LABELS["start"],
        ),
        Step(
            "begin_reporting",
            who=HEAD_OF_TEAM,
            label=TRANSITION_LABELS["begin_reporting"],
            done=EVENT_LABELS["begin_reporting"],
            confirmation=EVENT_LABELS["begin_reporting"],
        ),
        Step(
            "conclude",
            who=HEAD_OF_TEAM,
            label=TRANSITION_LABELS["conclude"],
            done=EVENT_LABELS["conclude"],
            confirmation=EVENT_LABELS["conclude"],
            # Also needs a finding or "no violation found": the service judges it (see above).
        ),
        Step(
            "follow_up",
            who=HEAD_OF_TEAM,
            label=TRANSITION_LABELS["follow_up"],
            done=EVENT_LABELS["follow_up"],
            confirmation=EVENT_LABELS["follow_up"],
        ),
        Step(
            "close",
            who=HEAD_OF_TEAM,
            label=TRANSITION_LABELS["close"],
            done=EVENT_LABELS["close"],
            confirmation=EVENT_LABELS["close"],
            guards=[recommendations_resolved],
            # Also stops the recommendations' clocks: the service does (see above).
        ),
        Step(
            "cancel",
            who=HEAD_OF_TEAM,
            label=TRANSITION_LABELS["cancel"],
            done=EVENT_LABELS["cancel"],
            confirmation=EVENT_LABELS["cancel"],
            # Also stops the recommendations' clocks: the service does (see above).
        ),
    ],
)
