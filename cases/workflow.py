"""The case workflow of Decree 56/2017, chapter III (DOMAIN §5), declared once.

Each row says who runs the step for the case's commune, from which states (the FSM graph in
cases/models.py), what else must hold, and which clocks (cases/clocks.py, DOMAIN §7) it meets,
starts and stops. The service of each step (cases/services.py) writes the step's own record;
the API, the web pages and `…/transitions/` all ask this table.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from cases import clocks
from cases.closure import closure_blockers
from cases.events import CaseStepTaken
from cases.history import record_event
from cases.models import Case, SeparationDecision
from core.events import publish
from core.models import Role, User
from core.scope import scope_for
from core.workflow import ALL_CLOCKS, ClockStart, Step, Text, Workflow


class CommuneRole:
    """The step is run by this role for the case's commune (or a unit above it)."""

    def __init__(self, role: Role) -> None:
        self.role = role

    def allows(self, user: User, case: Case) -> bool:
        return scope_for(user).acts_for_unit(case.unit_path, self.role)

    def refusal(self) -> Text:
        return _("needs the role: %(role)s") % {"role": self.role.label}


OFFICER = CommuneRole(Role.COMMUNE_OFFICER)
CHAIR = CommuneRole(Role.COMMUNE_CHAIR)


def separation_decided(case: Case) -> list[Text]:
    pending = SeparationDecision.objects.filter(
        case=case, outcome=SeparationDecision.Outcome.PENDING
    )
    return [_("The chair has not yet decided on the proposed separation.")] if pending else []


def since_report(case: Case) -> Any:
    return case.received_at


def record_step(
    case: Case, actor: User, step: str, from_status: str, details: dict[str, Any]
) -> None:
    event = record_event(
        case=case, actor=actor, action=step, from_status=from_status, details=details
    )
    publish(
        CaseStepTaken(
            case=case, actor=actor, history_id=event.pk, step=step, from_status=from_status
        )
    )


CASE_WORKFLOW: Workflow[Case] = Workflow(
    name="case",
    record=record_step,
    state_refusal=_("“%(step)s” is not possible while the case is “%(status)s”."),
    steps=[
        Step(
            "assess_initial",
            who=OFFICER,
            label=_("Record the initial assessment (Form 02)"),
            done=_("Initial assessment recorded"),
            confirmation=_("The initial assessment is recorded."),
            meets=[clocks.INITIAL_ASSESSMENT],
            starts=[ClockStart(clocks.PLAN_SUBMISSION, since=since_report)],
            law="Decree 56/2017 Art. 26",
        ),
        Step(
            "declare_emergency",
            who=OFFICER,
            label=_("Declare an emergency"),
            done=_("Emergency declared"),
            confirmation=_("The emergency is declared."),
            meets=[clocks.INITIAL_ASSESSMENT],
            stops=[clocks.PLAN_SUBMISSION, clocks.PLAN_DECISION, clocks.REVIEW],
            law="Decree 56/2017 Art. 26(3)",
        ),
        Step(
            "dismiss",
            who=OFFICER,
            label=_("Dismiss the report"),
            done=_("Report dismissed"),
            confirmation=_("The report is dismissed."),
            stops=ALL_CLOCKS,
        ),
        Step(
            "end_emergency",
            who=OFFICER,
            label=_("End the emergency"),
            done=_("Emergency ended"),
            confirmation=_("The emergency is ended."),
            guards=[separation_decided],
            # For an emergency the 5 working days count from its end (DOMAIN §7).
            starts=[clocks.PLAN_SUBMISSION],
        ),
        Step(
            "submit_plan",
            who=OFFICER,
            label=_("Submit the plan (Forms 03 and 04)"),
            done=_("Plan submitted"),
            confirmation=_("The plan is submitted to the chair."),
            meets=[clocks.PLAN_SUBMISSION],
            starts=[clocks.PLAN_DECISION],
            law="Decree 56/2017 Art. 27–28",
        ),
        Step(
            "approve_plan",
            who=CHAIR,
            label=_("Approve the plan (Form 05)"),
            done=_("Plan approved"),
            confirmation=_("The plan is approved."),
            meets=[clocks.PLAN_DECISION],
            starts=[clocks.REVIEW],
            law="Decree 56/2017 Art. 28; Law on Children Art. 52",
        ),
        Step(
            "return_plan",
            who=CHAIR,
            label=_("Return the plan to the officer"),
            done=_("Plan returned"),
            confirmation=_("The plan is returned to the officer."),
            meets=[clocks.PLAN_DECISION],
            starts=[clocks.PLAN_SUBMISSION],
        ),
        Step(
            "start_review",
            who=OFFICER,
            label=_("Start the review"),
            done=_("Review started"),
            confirmation=_("The review has started."),
            meets=[clocks.REVIEW],
            law="Decree 56/2017 Art. 30",
        ),
        Step(
            "revise_plan",
            who=OFFICER,
            label=_("Revise the plan"),
            done=_("Plan to be revised"),
            confirmation=_("The case is back in assessment to revise the plan."),
            starts=[clocks.PLAN_SUBMISSION],
            law="Decree 56/2017 Art. 30",
        ),
        Step(
            "close",
            who=CHAIR,
            label=_("Close the case (Form 06)"),
            done=_("Case closed"),
            confirmation=_("The case is closed."),
            guards=[closure_blockers],
            stops=ALL_CLOCKS,
            law="Decree 56/2017 Art. 30",
        ),
        Step(
            "reopen",
            who=OFFICER,
            label=_("Reopen the case"),
            done=_("Case reopened"),
            confirmation=_("The case is reopened."),
            starts=[clocks.PLAN_SUBMISSION],
        ),
    ],
)
