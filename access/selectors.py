"""Reads for the access reviews (which users a reviewer may look at, and what each may see) and
for the commune's grants (whom it may let into a case)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cases.models import Case
from cases.sections import SECTION_LABELS
from cases.visibility import Reach, reach_of
from core.models import Role, User
from core.roles import CASE_HANDLERS, CHILD_DATA_READERS
from core.scope import scope_for, under_paths
from core.staff import path_prefixes, province_of


def reviews_users(reviewer: User) -> bool:
    return scope_for(reviewer).has_role(Role.SYSADMIN, Role.PROVINCIAL_OFFICER)


def reviewed_paths(reviewer: User) -> tuple[str, ...] | None:
    """The unit paths under which a reviewer may see the access to cases: None for all (the
    sysadmin, by code only), the provincial officer's province, or none (not a reviewer)."""
    scope = scope_for(reviewer)
    if scope.has_role(Role.SYSADMIN):
        return None
    return scope.unit_paths(Role.PROVINCIAL_OFFICER)


def reviewer_cases(reviewer: User) -> Q | None:
    """The cases whose access a reviewer may see, as a condition; None: not a reviewer."""
    paths = reviewed_paths(reviewer)
    if paths is None:
        return Q()
    return under_paths("unit_path", paths) if paths else None


def within_review(reviewer: User) -> Callable[[str], bool]:
    """Whether a case at this unit path is among `reviewer_cases`, told from the path alone."""
    paths = reviewed_paths(reviewer)
    return (lambda path: True) if paths is None else (lambda path: path.startswith(paths))


def reviewable_users(reviewer: User, q: str = "") -> QuerySet[User]:
    scope = scope_for(reviewer)
    users = User.objects.all()
    if not scope.has_role(Role.SYSADMIN):
        paths = scope.unit_paths(Role.PROVINCIAL_OFFICER)
        if not paths:
            return User.objects.none()
        within = Q(pk__in=[])
        for path in paths:
            within |= Q(memberships__unit__path__startswith=path)
            within |= Q(memberships__agency__jurisdiction__path__startswith=path)
        users = users.filter(within)
    if q.strip():
        term = q.strip()
        users = users.filter(
            Q(username__icontains=term)
            | Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
        )
    return users.distinct().order_by("username")


@dataclass
class ReachRow:
    reach: Reach
    detail: str  # the rule's detail; for the sysadmin, never a grant's or emergency's reasons
    codes: list[str]  # a per-case rule's case, by its code only
    count: int  # how many cases the rule covers, within what the reviewer may see

    @property
    def sections(self) -> list[str]:
        """The parts of the case it opens, by name (for the rows shown only)."""
        return [str(SECTION_LABELS[name]) for name in sorted(self.reach.sections)]


def reach_rows(reviewer: User, user: User) -> list[ReachRow]:
    """What `user` may see, rule by rule, as far as the reviewer may know: codes and counts,
    never a child's name or story. The rules over a unit come first, then the cases one by one
    in the order of their codes (a case reached twice, by a referral and a grant, side by
    side)."""
    within = reviewer_cases(reviewer)
    if within is None:
        return []
    # The sysadmin configures, and reads no case: the reasons typed for one case stay hidden.
    reads_reasons = scope_for(reviewer).has_role(Role.PROVINCIAL_OFFICER)
    # A province's police hold one accepted referral per case, thousands of them: each reach
    # of one case carries its code and path, and a case outside the reviewer's province is
    # left out by its path, with no query per case or over their ids.
    reviewed = within_review(reviewer)
    rows = []
    for reach in reach_of(user):
        if reach.case_id is None:
            rows.append(ReachRow(reach, reach.detail, [], reach.cases.filter(within).count()))
        elif reviewed(reach.case_path):
            detail = reach.detail if reads_reasons else ""
            rows.append(ReachRow(reach, detail, [reach.case_code], 1))
    return sorted(rows, key=lambda row: row.codes)  # stable: the unit rules' rows, then codes


def grant_candidates(case: Case) -> QuerySet[User]:
    """Who the commune may let in: people working with children's cases in the case's province,
    but not those who see every case of its commune already (its staff, the supervisors)."""
    province = province_of(case.unit_path)
    works_here = Q(memberships__unit__path__startswith=province) | Q(
        memberships__agency__jurisdiction__path__startswith=province
    )
    return (
        User.objects.filter(works_here, is_active=True, memberships__role__in=CHILD_DATA_READERS)
        .exclude(
            memberships__role__in=CASE_HANDLERS,
            memberships__unit__path__in=path_prefixes(case.unit_path),
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
