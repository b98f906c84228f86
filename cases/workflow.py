"""The case workflow of Decree 56/2017, chapter III (DOMAIN §5), declared once.

Each row says who runs the step for the case's commune, from which states (the FSM graph in
cases/models.py), what else must hold, and which clocks (cases/clocks.py, DOMAIN §7) it meets,
starts and stops. The service of each step (cases/services.py) writes the step's own record;
the API, the web pages and `…/transitions/` all ask this table.
"""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import clocks
from cases.choices import Status
from cases.closure import closure_blockers
from cases.events import CaseStepTaken
from cases.history import record_event
from cases.models import OPEN_STATES, Case, CaseEvent, CaseTransfer, SeparationDecision
from core.events import publish
from core.models import Role, User
from core.scope import scope_for
from core.workflow import ALL_CLOCKS, ClockStart, Step, Text, Workflow
from core.working_days import display_due


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


def separations(case: Case, *outcomes: str) -> list[SeparationDecision]:
    """The case's separation decisions with one of `outcomes`, read through the case: the case
    page read them with it (`case_with_records`) and asks nothing more; a service's case, just
    locked, reads its handful."""
    return [decision for decision in case.separationdecisions.all() if decision.outcome in outcomes]


def separation_decided(case: Case) -> list[Text]:
    pending = separations(case, SeparationDecision.Outcome.PENDING)
    return [_("The chair has not yet decided on the proposed separation.")] if pending else []


def separation_in_force(case: Case) -> SeparationDecision | None:
    """The approved separation, not revoked, whose period has not ended: where the child is
    placed now. Decree 56/2017 Art. 32(2) separates the child for the period the chair decides;
    when it has run out the decision has no effect left, and the child is no longer separated
    whether or not anyone acted (a new separation is a new decision)."""
    now = timezone.now()
    approved = separations(case, SeparationDecision.Outcome.APPROVED)
    running = [d for d in approved if d.ends_at is None or d.ends_at > now]
    return max(running, key=lambda d: (d.decided_at or d.created_at, d.pk), default=None)


def separation_ended_at(case: Case) -> datetime.datetime | None:
    """When the latest approved separation whose period has run out ended, if one has."""
    now = timezone.now()
    approved = separations(case, SeparationDecision.Outcome.APPROVED)
    return max((d.ends_at for d in approved if d.ends_at and d.ends_at <= now), default=None)


def no_separation_open(case: Case) -> list[Text]:
    pending = separations(case, SeparationDecision.Outcome.PENDING)
    if pending or separation_in_force(case):
        return [_("A separation is already proposed or in force.")]
    return []


def separation_pending(case: Case) -> list[Text]:
    pending = separations(case, SeparationDecision.Outcome.PENDING)
    return [] if pending else [_("No separation awaits the chair's decision.")]


def has_separation_in_force(case: Case) -> list[Text]:
    """Only a separation still running is extended or revoked: one whose period has ended can
    no longer be lengthened after the fact (Art. 32(2): extended, never revived)."""
    if separation_in_force(case):
        return []
    ended_at = separation_ended_at(case)
    if ended_at is None:
        return [_("No separation is in force.")]
    return [
        _(
            "The separation ended at %(end)s: a separation that has ended is neither extended "
            "nor revoked. If the child must again be kept from the carer, propose a new one."
        )
        % {"end": display_due(ended_at)}
    ]


def no_separation_in_force(case: Case) -> list[Text]:
    if separation_in_force(case) is None:
        return []
    return [_("The child is separated from the carer: the chair revokes the separation first.")]


def pending_transfer(case: Case) -> CaseTransfer | None:
    """The case's offer to another commune not yet answered (one at most), read through the
    case as the separations are."""
    offers = case.casetransfers.all()
    return next((t for t in offers if t.outcome == CaseTransfer.Outcome.PENDING), None)


def no_transfer_pending(case: Case) -> list[Text]:
    """A case offered to another commune is closed by neither: the offer is answered first (an
    accepted offer would otherwise move a closed case)."""
    if pending_transfer(case) is None:
        return []
    return [_("The case is offered to another commune: its officer answers the offer first.")]


# Nothing is closed over a child's head: a separation proposed is decided, one in force revoked,
# an offer to another commune answered.
BEFORE_CLOSING = [separation_decided, no_separation_in_force, no_transfer_pending]


def since_report(case: Case) -> Any:
    """The report's time, or the reopening's: a reopened case is a new report (Art. 26)."""
    reopened = CaseEvent.objects.filter(case=case, action="reopen").order_by("-at", "-id").first()
    return reopened.at if reopened else case.received_at


def since_information(case: Case) -> datetime.datetime | None:
    """When the information the chair's separation decision answers was received: its 12 hours
    run from there (Decree 56/2017 Art. 26(3), 32(2): "trong vòng 12 giờ từ khi nhận thông
    tin"), not from the officer's proposal. A separation proposed on the report itself (before
    its assessment, or with an emergency declared on it) counts from the report; one proposed
    with an emergency declared later counts from that emergency; one proposed on other new
    information (the carers refuse the plan, the child is at risk again: Art. 32(1)) from the
    proposal, when that information is recorded (None: the step's own time)."""
    if case.status == Status.RECEIVED:
        return since_report(case)
    if case.status == Status.EMERGENCY:
        declared = case.events.filter(action="declare_emergency").order_by("-at", "-id").first()
        if declared is not None:
            return since_report(case) if declared.from_status == Status.RECEIVED else declared.at
    return None


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
    named=lambda case: case.code,
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
            law=_("Decree 56/2017 Art. 26"),
        ),
        Step(
            "declare_emergency",
            who=OFFICER,
            label=_("Declare an emergency"),
            done=_("Emergency declared"),
            confirmation=_("The emergency is declared."),
            meets=[clocks.INITIAL_ASSESSMENT],
            stops=[
                clocks.PLAN_SUBMISSION,
                clocks.PLAN_RESUBMISSION,
                clocks.PLAN_DECISION,
                clocks.REVIEW,
                clocks.REVIEW_CONCLUSION,
            ],
            law=_("Decree 56/2017 Art. 26(3)"),
        ),
        Step(
            "dismiss",
            who=OFFICER,
            label=_("Dismiss the report"),
            done=_("Report dismissed"),
            confirmation=_("The report is dismissed."),
            guards=BEFORE_CLOSING,
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
            meets=[clocks.PLAN_SUBMISSION, clocks.PLAN_RESUBMISSION],
            starts=[clocks.PLAN_DECISION],
            law=_("Decree 56/2017 Art. 27–28"),
        ),
        Step(
            "approve_plan",
            who=CHAIR,
            label=_("Approve the plan (Form 05)"),
            done=_("Plan approved"),
            confirmation=_("The plan is approved."),
            meets=[clocks.PLAN_DECISION],
            starts=[clocks.REVIEW],
            law=_("Decree 56/2017 Art. 28; Law on Children Art. 52"),
        ),
        Step(
            "return_plan",
            who=CHAIR,
            label=_("Return the plan to the officer"),
            done=_("Plan returned"),
            confirmation=_("The plan is returned to the officer."),
            meets=[clocks.PLAN_DECISION],
            starts=[clocks.PLAN_RESUBMISSION],
        ),
        Step(
            "record_review",
            who=OFFICER,
            label=_("Record a periodic review"),
            done=_("Periodic review recorded"),
            confirmation=_("The review is recorded; the next one is due in 30 days."),
            meets=[clocks.REVIEW],
            starts=[clocks.REVIEW],
            law=_("Decree 56/2017 Art. 30"),
        ),
        Step(
            "record_plan_refusal",
            who=OFFICER,
            label=_("Record that the parents or carers refuse the plan"),
            done=_("Refusal of the plan recorded"),
            confirmation=_("The refusal and what the commune did are recorded."),
            states=[Status.INTERVENTION, Status.REVIEW],
            law=_("Law on Children 2016 Art. 52; Decree 56/2017 Art. 32(1)"),
        ),
        Step(
            "start_review",
            who=OFFICER,
            label=_("Start the review"),
            done=_("Review started"),
            confirmation=_("The review has started."),
            meets=[clocks.REVIEW],
            starts=[clocks.REVIEW_CONCLUSION],
            law=_("Decree 56/2017 Art. 30"),
        ),
        Step(
            "revise_plan",
            who=OFFICER,
            label=_("Revise the plan"),
            done=_("Plan to be revised"),
            confirmation=_("The case is back in assessment to revise the plan."),
            meets=[clocks.REVIEW_CONCLUSION],
            starts=[clocks.PLAN_RESUBMISSION],
            law=_("Decree 56/2017 Art. 30"),
        ),
        Step(
            "propose_closure",
            who=OFFICER,
            label=_("Propose to close the case (Form 06)"),
            done=_("Closure proposed"),
            confirmation=_("The closure is proposed to the chair."),
            guards=[closure_blockers, *BEFORE_CLOSING],
            meets=[clocks.REVIEW_CONCLUSION],
            starts=[clocks.CLOSURE_DECISION],
            law=_("Decree 56/2017 Art. 30"),
        ),
        Step(
            "return_closure",
            who=CHAIR,
            label=_("Return the closure proposal to the officer"),
            done=_("Closure proposal returned"),
            confirmation=_("The closure proposal is returned to the officer."),
            meets=[clocks.CLOSURE_DECISION],
            starts=[clocks.REVIEW_CONCLUSION],
            law=_("Decree 56/2017 Art. 30"),
        ),
        Step(
            "close",
            who=CHAIR,
            label=_("Close the case"),
            done=_("Case closed"),
            confirmation=_("The case is closed."),
            guards=[closure_blockers, *BEFORE_CLOSING],
            stops=ALL_CLOCKS,
            law=_("Decree 56/2017 Art. 30"),
        ),
        Step(
            "reopen",
            who=OFFICER,
            label=_("Reopen the case"),
            done=_("Case reopened"),
            confirmation=_("The case is reopened; assess it again within 12 hours."),
            starts=[clocks.INITIAL_ASSESSMENT],
            law=_("Decree 56/2017 Art. 26"),
        ),
        Step(
            "propose_separation",
            who=OFFICER,
            label=_("Propose a temporary separation from the carer (Form 07)"),
            done=_("Separation proposed"),
            confirmation=_("The separation is proposed; the chair decides within 12 hours."),
            states=OPEN_STATES,
            guards=[no_separation_open],
            starts=[ClockStart(clocks.SEPARATION_DECISION, since=since_information)],
            law=_("Law on Children 2016 Art. 53; Decree 56/2017 Art. 32"),
        ),
        Step(
            "decide_separation",
            who=CHAIR,
            label=_("Decide on the proposed separation (Form 07)"),
            done=_("Separation decided"),
            confirmation=_("The decision on the separation is recorded."),
            states=OPEN_STATES,
            guards=[separation_pending],
            meets=[clocks.SEPARATION_DECISION],
            law=_("Decree 56/2017 Art. 32"),
        ),
        Step(
            "extend_separation",
            who=CHAIR,
            label=_("Extend the separation"),
            done=_("Separation extended"),
            confirmation=_("The separation is extended."),
            states=OPEN_STATES,
            guards=[has_separation_in_force],
            law=_("Decree 56/2017 Art. 32"),
        ),
        Step(
            "revoke_separation",
            who=CHAIR,
            label=_("Revoke the separation"),
            done=_("Separation revoked"),
            confirmation=_("The separation is revoked."),
            states=OPEN_STATES,
            guards=[has_separation_in_force],
            meets=[clocks.SEPARATION_END],
            law=_("Decree 56/2017 Art. 32"),
        ),
    ],
)
