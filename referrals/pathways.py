"""Which services a case needs, from the configurable pathway table (DOMAIN §6)."""

from cases.choices import AbuseForm as F
from cases.choices import Service as S
from cases.models import Case
from referrals.models import PathwayStep, Requirement

R, G = Requirement.REQUIRED, Requirement.SUGGESTED

# Policy defaults loaded by migration 0002; sysadmins change them in the administration. Only the
# sexual-abuse row is fixed by DOMAIN §6; the rest follow the services Decree 56 Art. 29 lists.
DEFAULT_PATHWAY: dict[str, dict[str, str]] = {
    F.SEXUAL_ABUSE: {
        S.POLICE_REPORT: R,
        S.FORENSIC_EXAM: R,
        S.MEDICAL_CARE: R,
        S.LEGAL_AID: R,
        S.SOCIAL_SUPPORT: R,
        S.PSYCHOSOCIAL: G,
    },
    F.PHYSICAL_VIOLENCE: {S.MEDICAL_CARE: R, S.POLICE_REPORT: G, S.PSYCHOSOCIAL: G},
    F.PSYCHOLOGICAL_VIOLENCE: {S.PSYCHOSOCIAL: R, S.SOCIAL_SUPPORT: G},
    F.EXPLOITATION: {S.POLICE_REPORT: R, S.SOCIAL_SUPPORT: R, S.LEGAL_AID: G},
    F.TRAFFICKING: {
        S.POLICE_REPORT: R,
        S.MEDICAL_CARE: R,
        S.LEGAL_AID: R,
        S.SOCIAL_SUPPORT: R,
        S.PSYCHOSOCIAL: G,
    },
    F.ABANDONMENT: {S.SOCIAL_SUPPORT: R, S.MEDICAL_CARE: G, S.EDUCATION_SUPPORT: G},
    F.NEGLECT: {S.SOCIAL_SUPPORT: R, S.EDUCATION_SUPPORT: G},
    F.CHILD_MARRIAGE: {S.SOCIAL_SUPPORT: R, S.LEGAL_AID: R, S.EDUCATION_SUPPORT: G},
    F.ONLINE_ABUSE: {S.POLICE_REPORT: R, S.PSYCHOSOCIAL: R},
    F.OTHER: {S.PSYCHOSOCIAL: G},
}

# Services an emergency needs at once, whatever the form of abuse (DOMAIN §6).
EMERGENCY_SERVICES = (S.POLICE_REPORT, S.MEDICAL_CARE)


def ensure_default_pathway() -> int:
    """Insert the default rows that are missing; returns how many were added."""
    existing = set(PathwayStep.objects.values_list("abuse_form", "service"))
    missing = [
        PathwayStep(abuse_form=form, service=service, requirement=requirement)
        for form, services in DEFAULT_PATHWAY.items()
        for service, requirement in services.items()
        if (form, service) not in existing
    ]
    PathwayStep.objects.bulk_create(missing)
    return len(missing)


def pathway_for(case: Case) -> dict[str, str]:
    """service → required|suggested for the case's forms of abuse; required wins."""
    result: dict[str, str] = {}
    steps = PathwayStep.objects.filter(abuse_form__in=case.abuse_forms)
    for service, requirement in steps.values_list("service", "requirement"):
        if result.get(service) != Requirement.REQUIRED:
            result[service] = requirement
    return result


def required_services(case: Case) -> set[str]:
    return {s for s, r in pathway_for(case).items() if r == Requirement.REQUIRED}
