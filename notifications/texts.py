"""What each notification says, in the recipient's language: the case code and a link, never
a child's name or the story (DOMAIN §10)."""

import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from access.models import CaseAccess
from cases import clocks as case_clocks
from cases.choices import Service
from core.clocks import clock_label
from core.models import Role

TEXTS = {
    "case_received": _("New report %(code)s received for your commune."),
    "emergency_declared": _("Emergency declared on case %(code)s."),
    "separation_proposed": _("Case %(code)s: a separation from the carer awaits your decision."),
    "emergency_separation_proposed": _(
        "Emergency declared on case %(code)s: a separation from the carer awaits your decision."
    ),
    "plan_submitted": _("Case %(code)s: a plan awaits your decision."),
    "plan_approved": _("Case %(code)s: the plan is approved."),
    "plan_returned": _("Case %(code)s: the plan was returned with comments."),
    "transfer_requested": _("Case %(code)s is offered to your commune."),
    "referral_received": _("A referral for %(service)s arrived (case %(code)s)."),
    "referral_accepted": _("Case %(code)s: %(service)s was accepted."),
    "referral_declined": _("Case %(code)s: %(service)s was declined; re-refer or waive it."),
    "referral_completed": _("Case %(code)s: %(service)s is completed."),
    "referral_cancelled": _("Case %(code)s: the referral for %(service)s was withdrawn."),
    "referral_suspended": _(
        "Case %(code)s: the police suspended the settlement of the crime report; it stays open."
    ),
    "referral_resumed": _(
        "Case %(code)s: the police resumed the settlement of the crime report; they decide "
        "within one month."
    ),
    "transfer_decided": _("Case %(code)s: the other commune has answered the transfer."),
    "separation_decided": _("Case %(code)s: the chair has decided on the separation."),
    "separation_extended": _("Case %(code)s: the separation from the carer is extended."),
    "separation_revoked": _("Case %(code)s: the separation from the carer is revoked."),
    "separation_ended": _(
        "Case %(code)s: the separation from the carer ended at %(due)s, its period over. If the "
        "child must again be kept from the carer, propose a new separation."
    ),
    "plan_refused": _("Case %(code)s: the parents or carers refuse the plan."),
    "closure_proposed": _("Case %(code)s: closing the case awaits your decision."),
    "closure_returned": _("Case %(code)s: the closure proposal was returned with comments."),
    "case_closed": _("Case %(code)s is closed."),
    "clock_reminder": _("%(code)s: “%(deadline)s” is due %(due)s."),
    "clock_breached": _("%(code)s: “%(deadline)s” is overdue since %(due)s."),
    "clock_escalated": _("Escalation: %(code)s, “%(deadline)s” overdue since %(due)s."),
    "daily_digest": _("You have %(count)s overdue items today."),
    "inspection_team_joined": _("Inspection %(code)s: you are on the team."),
    "inspection_concluded": _("Inspection %(code)s is concluded."),
    "inspection_cancelled": _("Inspection %(code)s is cancelled."),
    "inspection_closed": _("Inspection %(code)s is closed."),
    "inspection_recommendation_done": _("Inspection %(code)s: a recommendation is done."),
    "case_role_granted": _("%(actor)s gave %(user)s the role “%(role)s” for %(place)s."),
    "password_set": _(
        "%(actor)s set a new password for the account %(user)s in the administration. If its "
        "owner did not ask for it, tell the provincial officer."
    ),
    "access_granted": _("%(actor)s let you read case %(code)s until %(until)s."),
    "access_revoked": _("Your access to case %(code)s was ended by %(actor)s."),
    "glass_broken": _("%(user)s opened case %(code)s in an emergency (%(reason)s)."),
    "glass_unjustified": _(
        "The emergency access of %(user)s to case %(code)s was found not justified: %(comment)s"
    ),
}
SUBJECT = _("Che Chở: %(text)s")
# A notice that holds others told to the same person in the same step (outbox.py).
MORE = ngettext_lazy(
    "(and %(count)d other notification)", "(and %(count)d other notifications)", "count"
)

# The notices that ask their reader to do something: when one step tells a person several
# things about one case, the one asking to act leads the notice (its text and its page).
ASKS_TO_ACT = frozenset(
    {
        "case_received",
        "separation_proposed",
        "emergency_separation_proposed",
        "plan_submitted",
        "plan_returned",
        "plan_refused",
        "closure_proposed",
        "closure_returned",
        "transfer_requested",
        "referral_received",
        "referral_declined",
        "clock_reminder",
        "clock_breached",
        "clock_escalated",
    }
)
# Among those, a child's separation from its carer leads: its decision is due within hours, and
# its end is the day the child's place changes; a review overdue for weeks must not bury it.
SEPARATION_EVENTS = frozenset(
    {"separation_proposed", "emergency_separation_proposed", "separation_ended"}
)
SEPARATION_DEADLINES = frozenset({case_clocks.SEPARATION_DECISION, case_clocks.SEPARATION_END})
CLOCK_EVENTS = frozenset({"clock_reminder", "clock_breached", "clock_escalated"})


def urgency(event: str, params: dict) -> int:
    """Which of two notices on one topic leads the folded one: the higher (ties: the first)."""
    if event in SEPARATION_EVENTS:
        return 2
    if event in CLOCK_EVENTS and params.get("deadline") in SEPARATION_DEADLINES:
        return 2
    return 1 if event in ASKS_TO_ACT else 0


# Two notices of one step that read as one sentence.
COMBINED = {
    frozenset({"emergency_declared", "separation_proposed"}): "emergency_separation_proposed",
}

# What each kind of notification is called where they are listed (the administration), in the
# words the case history uses for the same steps.
LABELS = {
    "case_received": _("Report recorded"),
    "emergency_declared": _("Emergency declared"),
    "separation_proposed": _("Separation proposed"),
    "emergency_separation_proposed": _("Emergency declared, separation proposed"),
    "plan_submitted": _("Plan submitted"),
    "plan_approved": _("Plan approved"),
    "plan_returned": _("Plan returned"),
    "transfer_requested": _("Transfer requested"),
    "referral_received": _("Referral sent"),
    "referral_accepted": _("Referral accepted"),
    "referral_declined": _("Referral declined"),
    "referral_completed": _("Referral completed"),
    "referral_cancelled": _("Referral cancelled"),
    "referral_suspended": _("Settlement of the crime report suspended"),
    "referral_resumed": _("Settlement of the crime report resumed"),
    "transfer_decided": _("Transfer answered"),
    "separation_decided": _("Separation decided"),
    "separation_extended": _("Separation extended"),
    "separation_revoked": _("Separation revoked"),
    "separation_ended": _("Separation ended"),
    "plan_refused": _("Refusal of the plan recorded"),
    "closure_proposed": _("Closure proposed"),
    "closure_returned": _("Closure proposal returned"),
    "case_closed": _("Case closed"),
    "clock_reminder": _("Deadline reminder"),
    "clock_breached": _("Overdue"),
    "clock_escalated": _("Overdue, escalated"),
    "daily_digest": _("Daily list of overdue items"),
    "inspection_team_joined": _("Joined an inspection team"),
    "inspection_concluded": _("Inspection concluded"),
    "inspection_cancelled": _("Inspection cancelled"),
    "inspection_closed": _("Inspection closed"),
    "inspection_recommendation_done": _("Inspection recommendation carried out"),
    "case_role_granted": _("Role granted"),
    "password_set": _("Password set by an administrator"),
    "access_granted": _("Access to a case granted"),
    "access_revoked": _("Access to a case ended"),
    "glass_broken": _("Emergency access to a case"),
    "glass_unjustified": _("Emergency access not justified"),
}


def label(event: str) -> str:
    """What the kind of notification is called, in the active language; an unknown one (an
    event no longer sent) reads as its code."""
    known = LABELS.get(event)
    return str(known) if known is not None else event


def render(event: str, params: dict, language: str) -> str:
    with translation.override(language):
        more = int(params.get("more", 0))
        values = {name: str(value) for name, value in params.items() if name != "more"}
        if "service" in values:
            values["service"] = str(Service(values["service"]).label)
        if "role" in values:
            values["role"] = str(Role(values["role"]).label)
        if "deadline" in values:
            values["deadline"] = clock_label(values["deadline"])
        if "reason" in values:
            values["reason"] = str(CaseAccess.Reason(values["reason"]).label)
        if "until" in values:
            until = timezone.localtime(datetime.datetime.fromisoformat(values["until"]))
            values["until"] = formats.date_format(until, "SHORT_DATETIME_FORMAT")
        text = str(TEXTS[event]) % values
        return f"{text} {MORE % {'count': more}}" if more else text


def subject(text: str, language: str) -> str:
    with translation.override(language):
        return str(SUBJECT) % {"text": text}
