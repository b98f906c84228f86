"""Need to know: what an agency may read of a case while its referral is live (DOMAIN §6).

A pending referral shows the agency only the referral itself (case code, service, urgency,
commune, the child's sex and age). Accepting opens the sections of the case its service needs;
completing, declining or cancelling closes them again. Access is derived from the referral's
state in SQL rather than stored as grants, so it can never outlive the referral
(docs/decisions/0003).
"""

from django.db.models import Exists, OuterRef, Q

from cases import sections as S
from cases.choices import Service
from cases.models import Case
from core.models import User
from core.roles import AGENCY_WORKERS
from core.scope import Scope, scope_for
from referrals.models import Referral, Status

SECTIONS_BY_SERVICE: dict[str, frozenset[str]] = {
    # The police read the report and the incident, not the plan or medical details.
    Service.POLICE_REPORT: frozenset({S.CHILD, S.CARERS, S.REPORT, S.CONCERN, S.ASSESSMENTS}),
    Service.FORENSIC_EXAM: frozenset({S.CHILD, S.CONCERN, S.MEDICAL}),
    Service.MEDICAL_CARE: frozenset({S.CHILD, S.CARERS, S.CONCERN, S.MEDICAL}),
    # Legal aid reads the facts of the matter, never the medical details.
    Service.LEGAL_AID: frozenset({S.CHILD, S.CARERS, S.REPORT, S.CONCERN}),
    Service.PSYCHOSOCIAL: frozenset({S.CHILD, S.CARERS, S.CONCERN, S.ASSESSMENTS, S.PLAN}),
    Service.SOCIAL_SUPPORT: frozenset({S.CHILD, S.CARERS, S.CONCERN, S.PLAN}),
    Service.EDUCATION_SUPPORT: frozenset({S.CHILD, S.PLAN}),
}


def accepted_referrals_for(scope: Scope):
    return Referral.objects.filter(
        agency_id__in=scope.agency_ids(*AGENCY_WORKERS), status=Status.ACCEPTED
    )


def case_visibility_grant(user: User, scope: Scope) -> Q | None:
    if not scope.has_role(*AGENCY_WORKERS):
        return None
    return Q(Exists(accepted_referrals_for(scope).filter(case=OuterRef("pk"))))


def case_sections_grant(user: User, case: Case) -> frozenset[str]:
    scope = scope_for(user)
    if not scope.has_role(*AGENCY_WORKERS):
        return frozenset()
    services = accepted_referrals_for(scope).filter(case=case).values_list("service", flat=True)
    return frozenset().union(*(SECTIONS_BY_SERVICE[s] for s in services))
