"""Which parts of a case a reader may see: all of it for the commune's and supervisors' staff,
only what their service needs for an agency that holds a live referral (need to know).

Apps that grant partial access (referrals) register a function answering which sections a user
may read of one case; the API and the case page show only those.
"""

from collections.abc import Callable

from cases.models import Case, CaseTransfer
from core.models import User
from core.roles import CASE_HANDLERS, COMMUNE_STAFF
from core.scope import scope_for

CHILD = "child"  # name, sex, age, ethnicity, disability, circumstances, residence, school
CARERS = "carers"  # parents or carers, the family's circumstances and the child's address
# Form 01: channel, source, where and what happened, the harm likely if nobody acts, what was
# already done, the receiving body and its report number
REPORT = "report"
REPORTER = "reporter"  # who reported, their contact and address: confidential to the commune
CONCERN = "concern"  # situation, forms of abuse, setting, perpetrator's relation
MEDICAL = "medical"  # the child's condition and medical and forensic outcomes
ASSESSMENTS = "assessments"  # Form 02, Form 03, emergencies and separation decisions
PLAN = "plan"  # the plan, its measures and decisions
CLOSURE = "closure"
HISTORY = "history"  # the timeline, notes and attachments

ALL_SECTIONS = frozenset(
    {CHILD, CARERS, REPORT, REPORTER, CONCERN, MEDICAL, ASSESSMENTS, PLAN, CLOSURE, HISTORY}
)

SectionGrant = Callable[[User, Case], frozenset[str]]
_grants: list[SectionGrant] = []


def register_section_grant(grant: SectionGrant) -> SectionGrant:
    if grant not in _grants:
        _grants.append(grant)
    return grant


def sections_for(user: User, case: Case) -> frozenset[str]:
    scope = scope_for(user)
    if scope.acts_for_unit(case.unit_path, *COMMUNE_STAFF):
        return ALL_SECTIONS
    if scope.acts_for_unit(case.unit_path, *CASE_HANDLERS):
        return ALL_SECTIONS - {REPORTER}
    granted: frozenset[str] = frozenset()
    offered = CaseTransfer.objects.filter(
        scope.units_q("to_unit_path", *COMMUNE_STAFF),
        case=case,
        outcome=CaseTransfer.Outcome.PENDING,
    )
    if offered.exists():
        # The commune asked to take the case over reads it to decide, all but the reporter.
        granted |= ALL_SECTIONS - {REPORTER}
    if case.recorded_by_id == user.pk and case.taken_by_commune_at is None:
        granted |= ALL_SECTIONS - {ASSESSMENTS, PLAN, CLOSURE}
    for grant in _grants:
        granted |= grant(user, case)
    return granted
