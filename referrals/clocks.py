"""Acceptance and completion clocks per service (DOMAIN §7), each configurable by the sysadmin."""

from django.utils.translation import gettext_lazy as _

from cases.choices import Service
from core.clocks import Span, register_clock


def accept_kind(service: str) -> str:
    return f"referral_accept_{service}"


def complete_kind(service: str) -> str:
    return f"referral_complete_{service}"


# Policy defaults, except the police's 20 days (Criminal Procedure Code 2015, Art. 147).
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


def labels() -> dict[str, str]:
    result = {}
    for service in Service:
        result[accept_kind(service)] = _("Referral accepted: %(service)s") % {
            "service": service.label
        }
        result[complete_kind(service)] = _("Referral completed: %(service)s") % {
            "service": service.label
        }
    return result


def register() -> None:
    for service in Service:
        register_clock(accept_kind(service), ACCEPT_SPANS.get(service, DEFAULT_ACCEPT_SPAN))
        register_clock(complete_kind(service), COMPLETE_SPANS[service])
