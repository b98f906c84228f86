"""Need to know: what an agency may read of a case while its referral is live (DOMAIN §6).

A pending referral shows the agency only the referral itself (case code, service, urgency,
commune, the child's sex and age). Accepting opens the sections of the case its service needs;
completing, declining or cancelling closes them again. Access is derived from the referral's
state in SQL rather than stored as grants, so it can never outlive the referral
(docs/decisions/0003).
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cases import sections as S
from cases.choices import Service
from cases.models import Case
from cases.visibility import Access, CaseByCaseRule, Reach
from core.labels import ChoiceLabels
from core.models import RoleMembership, User
from core.roles import AGENCY_WORKERS
from core.scope import Scope
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

RULE = _("Accepted referral")


def accepted_referrals_for(scope: Scope) -> QuerySet[Referral]:
    return Referral.objects.filter(
        agency_id__in=scope.agency_ids(*AGENCY_WORKERS), status=Status.ACCEPTED
    )


SERVICE_LABELS = ChoiceLabels(Service)


def detail(service: str, agency: str) -> str:
    return f"{SERVICE_LABELS(service)} · {agency}"


class ReferralRule(CaseByCaseRule):
    """The staff of an agency read what its service needs while their referral is accepted."""

    listed = False

    def cases(self, user: User, scope: Scope) -> Q | None:
        if not scope.has_role(*AGENCY_WORKERS):
            return None
        return Q(Exists(accepted_referrals_for(scope).filter(case=OuterRef("pk"))))

    def sections(self, user: User, scope: Scope, case: Case) -> frozenset[str]:
        if not scope.has_role(*AGENCY_WORKERS):
            return frozenset()
        services = accepted_referrals_for(scope).filter(case=case).values_list("service", flat=True)
        return frozenset().union(*(SECTIONS_BY_SERVICE[s] for s in services))

    def holders(self, case: Case) -> Iterable[Access]:
        referrals = list(
            Referral.objects.filter(case=case, status=Status.ACCEPTED).select_related("agency")
        )
        staff: dict[int, list[RoleMembership]] = {}
        for membership in RoleMembership.objects.filter(
            role__in=AGENCY_WORKERS,
            agency_id__in={referral.agency_id for referral in referrals},
            user__is_active=True,
        ).select_related("user"):
            assert membership.agency_id is not None  # filtered on
            staff.setdefault(membership.agency_id, []).append(membership)
        for referral in referrals:
            for membership in staff.get(referral.agency_id or 0, []):
                yield Access(
                    user=membership.user,
                    rule=RULE,
                    detail=detail(referral.service, str(referral.agency)),
                    sections=SECTIONS_BY_SERVICE[referral.service],
                    since=referral.accepted_at,
                )

    def reached(self, user: User, scope: Scope) -> QuerySet[Referral] | None:
        if not scope.has_role(*AGENCY_WORKERS):
            return None
        return accepted_referrals_for(scope).select_related("case", "agency")

    def reach_by(self, record: Referral) -> Reach:
        assert record.agency is not None  # an accepted referral has its agency
        return Reach(
            rule=RULE,
            detail=detail(record.service, record.agency.name),
            sections=SECTIONS_BY_SERVICE[record.service],
            case_id=record.case_id,
            since=record.accepted_at,
            case_code=record.case.code,
        )
