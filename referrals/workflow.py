"""The referral workflow of DOMAIN §6, declared once.

Each row says who runs the step (the receiving agency, its head, or the sending commune's
officer), from which states (the FSM graph in referrals/models.py unless the row names them),
what else must hold, and which clocks of DOMAIN §7 (referrals/clocks.py) it meets, starts and
stops. The services (referrals/services.py) write each step's own record; the API, the web pages
and `…/transitions/` all ask this table.

Sending a referral and waiving a service are not steps of an existing referral: they stay
services beside the table, but are recorded by the same `record_step`.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.choices import Service
from cases.history import record_event
from core.events import publish
from core.models import Role, User
from core.roles import AGENCY_WORKERS
from core.scope import scope_for
from core.workflow import ALL_CLOCKS, ClockStart, Step, Text, Workflow
from referrals.clocks import RESUME_KIND, RESUMED_KIND, accept_clock, complete_clock
from referrals.events import ReferralStepTaken
from referrals.models import LIVE_STATES, Referral, Status

# Criminal Procedure Code 2015 Art. 147: to two months, then once more by the procuracy.
MAX_EXTENSIONS = 2


@dataclass(frozen=True)
class ReceivingAgency:
    """The step is run by the agency the referral was sent to, by someone in one of `roles`."""

    roles: tuple[str, ...]
    refused: Text

    def allows(self, user: User, referral: Referral) -> bool:
        return referral.agency_id in scope_for(user).agency_ids(*self.roles)

    def refusal(self) -> Text:
        return self.refused


@dataclass(frozen=True)
class SendingCommune:
    """The step is run by this role for the commune that sent the referral (or a unit above)."""

    role: str
    refused: Text

    def allows(self, user: User, referral: Referral) -> bool:
        # The referral keeps the case's unit path (moved with it on a transfer): no join needed.
        return scope_for(user).acts_for_unit(referral.unit_path, self.role)

    def refusal(self) -> Text:
        return self.refused


RECEIVING_AGENCY = ReceivingAgency(AGENCY_WORKERS, _("only the receiving agency"))
AGENCY_HEAD = ReceivingAgency((Role.AGENCY_HEAD,), _("only the head of the receiving agency"))
SENDING_OFFICER = SendingCommune(Role.COMMUNE_OFFICER, _("only the sending commune's officer"))


# --- Guards: what stops a step the state allows ---------------------------------------------------


def case_is_open(referral: Referral) -> list[Text]:
    """A closed case keeps no agency working on it (closing cancels its live referrals)."""
    return [] if referral.case.is_open else [_("The case is closed.")]


def police_report_only(referral: Referral) -> list[Text]:
    if referral.service != Service.POLICE_REPORT:
        return [_("Only the police's settlement of a crime report can be extended.")]
    return []


def police_only(referral: Referral) -> list[Text]:
    if referral.service != Service.POLICE_REPORT:
        return [_("Only the police's settlement of a crime report has this step.")]
    return []


def extended_less_than_twice(referral: Referral) -> list[Text]:
    if referral.extensions >= MAX_EXTENSIONS:
        return [_("The time limit has already been extended twice.")]
    return []


def not_suspended(referral: Referral) -> list[Text]:
    """A suspended settlement has no Art. 147 clock to move (Art. 148)."""
    if referral.is_suspended:
        return [_("The settlement of the crime report is suspended.")]
    return []


def under_article_147(referral: Referral) -> list[Text]:
    """Once suspended, the 20 days are spent (the suspension met them): a resumed settlement
    runs on Art. 149's month, which is neither extended nor moved with the receipt."""
    if referral.is_suspended or referral.suspended_on is None:
        return not_suspended(referral)
    return [
        _(
            "The settlement was resumed: its time limit is the month from the decision to "
            "resume (Criminal Procedure Code Art. 149), not extended."
        )
    ]


def suspended(referral: Referral) -> list[Text]:
    if not referral.is_suspended:
        return [_("The settlement of the crime report is not suspended.")]
    return []


def since_receipt(referral: Referral) -> Any:
    """The police's 20 days count from when the investigating body received the report (Art.
    147), which the police enter on accepting; every other service's clock from acceptance."""
    return referral.report_received_at or referral.accepted_at


# --- Recording ------------------------------------------------------------------------------------

# Each step as the case's history, the reports and the notifications name it: "referral_accepted".
PAST_TENSE = {
    "send": "sent",
    "accept": "accepted",
    "decline": "declined",
    "complete": "completed",
    "extend": "extended",
    "correct_receipt": "receipt_corrected",
    "record_suspension": "suspended",
    "record_resumption": "resumed",
    "assign": "assigned",
    "cancel": "cancelled",
    "waive": "waived",
}
# Every `step` a ReferralStepTaken event may carry.
REFERRAL_EVENT_STEPS = frozenset(PAST_TENSE.values())


def record_step(
    referral: Referral, actor: User, step: str, from_status: str, details: dict[str, Any]
) -> None:
    """The step in its case's history and audit, and as an event, in the caller's transaction.
    The history row's from/to statuses are the case's: the referral's own are in its fields."""
    past = PAST_TENSE[step]
    history = record_event(
        case=referral.case,
        actor=actor,
        action=f"referral_{past}",
        details={"referral": referral.pk, "service": referral.service} | details,
    )
    publish(ReferralStepTaken(referral=referral, actor=actor, step=past, history_id=history.pk))


# --- The table ------------------------------------------------------------------------------------

REFERRAL_WORKFLOW: Workflow[Referral] = Workflow(
    name="referral",
    record=record_step,
    named=lambda referral: f"{referral.case.code} ({referral.get_service_display()})",
    state_refusal=_("“%(step)s” is not possible while the referral is “%(status)s”."),
    steps=[
        Step(
            "accept",
            who=RECEIVING_AGENCY,
            label=_("Accept the referral"),
            done=_("Referral accepted"),
            confirmation=_("The referral is accepted."),
            guards=[case_is_open],
            meets=[accept_clock],
            # The police's 20 days count from the receipt they enter, by default the acceptance.
            starts=[ClockStart(complete_clock, since=since_receipt)],
        ),
        Step(
            "decline",
            who=RECEIVING_AGENCY,
            label=_("Decline the referral"),
            done=_("Referral declined"),
            confirmation=_("The referral is declined."),
            guards=[case_is_open],
            stops=ALL_CLOCKS,
        ),
        Step(
            "complete",
            who=RECEIVING_AGENCY,
            label=_("Complete the referral"),
            done=_("Referral completed"),
            confirmation=_("The referral is completed."),
            guards=[case_is_open],
            # A suspended settlement's reminder to resume, or a resumed one's month, ends with
            # the final decision.
            meets=[complete_clock, RESUME_KIND, RESUMED_KIND],
        ),
        Step(
            "extend",
            who=RECEIVING_AGENCY,
            label=_("Extend the time limit (Criminal Procedure Code Art. 147)"),
            done=_("Time limit extended"),
            confirmation=_("The time limit is extended."),
            # The completion clock is moved, not met: the service reschedules it to the new date.
            states=[Status.ACCEPTED],
            guards=[
                case_is_open,
                police_report_only,
                under_article_147,
                extended_less_than_twice,
            ],
            law=_("Criminal Procedure Code 2015 Art. 147(2)"),
        ),
        Step(
            "correct_receipt",
            who=RECEIVING_AGENCY,
            label=_("Correct when the police received the crime report"),
            done=_("Receipt of the crime report corrected"),
            confirmation=_("The receipt time is corrected and the time limit moved with it."),
            # The completion clock is moved with the receipt, as by an extension.
            states=[Status.ACCEPTED],
            guards=[case_is_open, police_only, under_article_147],
            law=_("Criminal Procedure Code 2015 Art. 147(1)"),
        ),
        Step(
            "record_suspension",
            who=RECEIVING_AGENCY,
            label=_("Record a suspension of the settlement (Criminal Procedure Code Art. 148)"),
            done=_("Settlement of the crime report suspended"),
            confirmation=_(
                "The suspension is recorded; the referral stays open until the final decision."
            ),
            states=[Status.ACCEPTED],
            guards=[case_is_open, police_only, not_suspended],
            # A suspension is one of the three decisions that meet the 20 days (Art. 147(1)(c)):
            # decided in time it is on time, not left out of the figure as a stopped clock; so
            # is a second one within a resumed settlement's month.
            meets=[complete_clock, RESUMED_KIND],
            starts=[RESUME_KIND],
            law=_("Criminal Procedure Code 2015 Art. 147(1)(c), 148, 149"),
        ),
        Step(
            "record_resumption",
            who=RECEIVING_AGENCY,
            label=_("Record that the settlement resumes (Criminal Procedure Code Art. 149)"),
            done=_("Settlement of the crime report resumed"),
            confirmation=_("The resumption is recorded; the police have one month to decide."),
            states=[Status.ACCEPTED],
            guards=[case_is_open, police_only, suspended],
            # The month from the decision is started by the service, with its own end.
            meets=[RESUME_KIND],
            law=_("Criminal Procedure Code 2015 Art. 149(1)"),
        ),
        Step(
            "assign",
            who=AGENCY_HEAD,
            label=_("Assign the referral"),
            done=_("Referral assigned"),
            confirmation=_("The referral is assigned."),
            states=LIVE_STATES,
            guards=[case_is_open],
        ),
        Step(
            "cancel",
            who=SENDING_OFFICER,
            label=_("Cancel the referral"),
            done=_("Referral cancelled"),
            confirmation=_("The referral is cancelled."),
            guards=[case_is_open],
            stops=ALL_CLOCKS,
        ),
    ],
)
