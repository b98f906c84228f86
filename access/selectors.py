"""Reads for the access reviews (which users a reviewer may look at, and what each may see) and
for the commune's grants (whom it may let into a case)."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, overload

from django.db.models import F, Q, QuerySet, Value

from cases.models import Case
from cases.sections import SECTION_LABELS
from cases.visibility import CaseByCaseRule, Reach, access_rules
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


def reach_rows(reviewer: User, user: User) -> "ReachRows":
    """What `user` may see, rule by rule, as far as the reviewer may know: codes and counts,
    never a child's name or story."""
    paths = reviewed_paths(reviewer)
    within = reviewer_cases(reviewer)
    scope = scope_for(user)
    rows = ReachRows(
        # The sysadmin configures, and reads no case: the reasons typed for one case stay hidden.
        reads_reasons=scope_for(reviewer).has_role(Role.PROVINCIAL_OFFICER)
    )
    if within is None:  # not a reviewer
        return rows
    for place, rule in enumerate(access_rules()):
        if not isinstance(rule, CaseByCaseRule):
            for reach in rule.reach(user, scope):
                if reach.per_case:  # its detail may be a typed reason: paged as the others
                    raise TypeError(f"{type(rule).__name__} reaches cases one at a time.")
                rows.over_units.append(
                    ReachRow(reach, reach.detail, [], reach.cases.filter(within).count())
                )
            continue
        records = rule.reached(user, scope)
        if records is not None:
            if paths is not None:
                records = records.filter(under_paths("case__unit_path", paths))
            rows.case_by_case[place] = (rule, records)
    return rows


# Rows read at a time when the whole review is iterated.
ITERATED = 500


@dataclass
class ReachRows(Sequence[ReachRow]):
    """The rows of a review, for a paginator: the rules over a unit first (a handful, read
    whole), then the cases reached one by one in the order of their codes (a case reached twice,
    by a referral and a grant, side by side). A province's police reach thousands of cases by
    their accepted referrals: those rows are counted and paged in SQL, all rules' records in one
    ordered union, and only a page of them is read."""

    reads_reasons: bool
    over_units: list[ReachRow] = field(default_factory=list)
    # Each case-by-case rule that applies, by its place among the rules, with its records.
    case_by_case: dict[int, tuple[CaseByCaseRule, QuerySet[Any]]] = field(default_factory=dict)

    @cached_property
    def keys(self) -> QuerySet[Any] | None:
        """Each record's case code, rule and id, in the review's order."""
        keyed = [
            records.order_by()
            .annotate(reach_code=F("case__code"), reach_rule=Value(place), reach_id=F("pk"))
            .values_list("reach_code", "reach_rule", "reach_id")
            for place, (_rule, records) in self.case_by_case.items()
        ]
        if not keyed:
            return None
        first, *rest = keyed
        return (first.union(*rest, all=True) if rest else first).order_by(
            "reach_code", "reach_rule", "reach_id"
        )

    @cached_property
    def _length(self) -> int:
        return len(self.over_units) + (self.keys.count() if self.keys is not None else 0)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> ReachRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[ReachRow]: ...
    def __getitem__(self, index: int | slice) -> ReachRow | list[ReachRow]:
        if isinstance(index, int):
            start = index + len(self) if index < 0 else index
            found = self[start : start + 1] if start >= 0 else []
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("A review is read a page at a time, in its order.")
        skipped = len(self.over_units)
        return self.over_units[start:stop] + self.cases_reached(
            max(start - skipped, 0), max(stop - skipped, 0)
        )

    def __iter__(self) -> Iterator[ReachRow]:
        """All the rows, a page of the database's at a time (not two statements a row)."""
        for start in range(0, len(self), ITERATED):
            yield from self[start : start + ITERATED]

    def cases_reached(self, start: int, stop: int) -> list[ReachRow]:
        if self.keys is None or start >= stop:
            return []
        keys = list(self.keys[start:stop])
        ids: dict[int, list[int]] = {}
        for _code, place, pk in keys:
            ids.setdefault(place, []).append(pk)
        records = {
            (place, record.pk): record
            for place, pks in ids.items()
            for record in self.case_by_case[place][1].filter(pk__in=pks)
        }
        rows = []
        for _code, place, pk in keys:
            record = records.get((place, pk))
            if record is None:  # revoked or closed between the two reads
                continue
            reach = self.case_by_case[place][0].reach_by(record)
            rows.append(
                ReachRow(reach, reach.detail if self.reads_reasons else "", [reach.case_code], 1)
            )
        return rows


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
