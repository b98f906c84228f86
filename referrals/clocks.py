"""Acceptance and completion clocks per service (DOMAIN §7), each configurable by the sysadmin,
registered once in core with their labels and owners."""

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from cases.choices import Service
from core.clocks import ClockKind, Span, register_clock_kind
from core.models import Clock, User
from core.staff import agency_staff, remember_agencies
from referrals.models import Referral


def accept_kind(service: str) -> str:
    return f"referral_accept_{service}"


def complete_kind(service: str) -> str:
    return f"referral_complete_{service}"


# The same kinds read from a referral: how the workflow's table (referrals/workflow.py) names
# a clock that depends on the record.
def accept_clock(referral: Referral) -> str:
    return accept_kind(referral.service)


def complete_clock(referral: Referral) -> str:
    return complete_kind(referral.service)


# Policy defaults, except the police's 20 days from receipt (Criminal Procedure Code 2015,
# Art. 147), which the police's extensions move (referrals/services.py).
ACCEPT_SPANS = {
    Service.MEDICAL_CARE: Span(hours=4),
    Service.FORENSIC_EXAM: Span(hours=4),
    Service.POLICE_REPORT: Span(hours=24),
}
DEFAULT_ACCEPT_SPAN = Span(working_days=2)
COMPLETE_SPANS = {
    Service.POLICE_REPORT: Span(days=20),
    Service.FORENSIC_EXAM: Span(days=7),
    Service.MEDICAL_CARE: Span(days=30),
    Service.LEGAL_AID: Span(days=90),
    Service.PSYCHOSOCIAL: Span(days=60),
    Service.SOCIAL_SUPPORT: Span(days=30),
    Service.EDUCATION_SUPPORT: Span(days=60),
}
# Policy default: a suspended settlement (Criminal Procedure Code 2015 Art. 148) has no time limit
# in law; the police are reminded to look again whether it can resume (Art. 149), and the
# commune's chain is told when they have not decided in this time.
RESUME_KIND = "referral_police_resume"
RESUME_SPAN = Span(days=30)
# Resumed, the settlement has one month more from the decision to resume (Art. 149(1)): started
# with its own due time (24:00 of the same day a month on, moved off a day off, Art. 134).
RESUMED_KIND = "referral_police_resumed"
# Fixed by law: no administrator's deadline policy may change it (core/clock_law.py).
LEGAL_BASIS = {
    complete_kind(Service.POLICE_REPORT): _("Criminal Procedure Code 2015 Art. 147"),
    RESUMED_KIND: _("Criminal Procedure Code 2015 Art. 149"),
}
ACCEPTED = _("Referral accepted: %(service)s")
COMPLETED = _("Referral completed: %(service)s")


def fill_in(template: str | Promise, service: Service) -> str:
    return str(template) % {"service": service.label}


# Formatted when read, not at registration: the label is shown in the reader's language.
service_label = lazy(fill_in, str)


def agency_of(clock: Clock, referral: Referral) -> list[User]:
    """The receiving agency's staff accept and complete the referral."""
    return agency_staff(referral.agency_id)


def remember_agencies_of(referrals: list[Referral]) -> None:
    remember_agencies(referral.agency_id for referral in referrals)


def case_code(referral: Referral) -> str:
    return referral.case.code


def referral_link(referral: Referral) -> str:
    return f"/referrals/{referral.pk}/"


def register() -> None:
    for service in Service:
        for kind, template, span in (
            (accept_kind(service), ACCEPTED, ACCEPT_SPANS.get(service, DEFAULT_ACCEPT_SPAN)),
            (complete_kind(service), COMPLETED, COMPLETE_SPANS[service]),
        ):
            register_clock_kind(
                ClockKind(
                    kind=kind,
                    label=service_label(template, service),
                    span=span,
                    model=Referral,
                    owners=agency_of,
                    code=case_code,
                    link=referral_link,
                    legal_basis=LEGAL_BASIS.get(kind, ""),
                    related=("case",),
                    remember_owners=remember_agencies_of,
                )
            )
    register_clock_kind(
        ClockKind(
            kind=RESUMED_KIND,
            label=_("Decision on the resumed settlement of a crime report (1 month)"),
            span=Span(days=30),  # nominal: started with the month's own end
            model=Referral,
            owners=agency_of,
            code=case_code,
            link=referral_link,
            legal_basis=LEGAL_BASIS[RESUMED_KIND],
            related=("case",),
            remember_owners=remember_agencies_of,
        )
    )
    register_clock_kind(
        ClockKind(
            kind=RESUME_KIND,
            label=_("Resume the suspended settlement of a crime report"),
            span=RESUME_SPAN,
            model=Referral,
            owners=agency_of,
            code=case_code,
            link=referral_link,
            related=("case",),
            remember_owners=remember_agencies_of,
        )
    )
