"""What each notification says, in the recipient's language: the case code and a link, never
a child's name or the story (DOMAIN §10)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cases.choices import Service
from core.clocks import clock_label
from core.models import Role

TEXTS = {
    "case_received": _("New report %(code)s received for your commune."),
    "emergency_declared": _("Emergency declared on case %(code)s."),
    "separation_proposed": _("Case %(code)s: a separation from the carer awaits your decision."),
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
    "transfer_decided": _("Case %(code)s: the other commune has answered the transfer."),
    "separation_decided": _("Case %(code)s: the chair has decided on the separation."),
    "separation_extended": _("Case %(code)s: the separation from the carer is extended."),
    "separation_revoked": _("Case %(code)s: the separation from the carer is revoked."),
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
}
SUBJECT = _("Che Chở: %(text)s")


def render(event: str, params: dict, language: str) -> str:
    with translation.override(language):
        values = {name: str(value) for name, value in params.items()}
        if "service" in values:
            values["service"] = str(Service(values["service"]).label)
        if "role" in values:
            values["role"] = str(Role(values["role"]).label)
        if "deadline" in values:
            values["deadline"] = clock_label(values["deadline"])
        return str(TEXTS[event]) % values


def subject(text: str, language: str) -> str:
    with translation.override(language):
        return str(SUBJECT) % {"text": text}
