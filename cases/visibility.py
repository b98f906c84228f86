"""Who may see a case, which of its sections, and why: the access rules, each answering both ways.

Every reason a user may read a case is one `AccessRule`. Enforcement asks the rules forwards —
which cases a user sees (`case_visibility`, one SQL condition for every selector) and which
sections of one case (`sections_for`) — and the transparency pages ask the same rules backwards:
who sees this case and why (`who_can_see`), which cases this user sees and why (`reach_of`).
Both directions of a rule sit side by side in one class, and a test holds them equal for every
demo user and case, so the page that explains access cannot drift from the code that grants it.

The rules of the commune, the supervisors, a pending transfer and the hotline live here; apps
built on cases add theirs (referrals: the receiving agency; access: grants and break-the-glass).
"""

import datetime
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseTransfer
from cases.sections import (
    ALL_SECTIONS,
    ASSESSMENTS,
    CLOSURE,
    HISTORY,
    PLAN,
    REPORTER,
)
from core.instance_memo import kept_on
from core.models import Role, RoleMembership, User
from core.roles import CASE_SUPERVISORS, COMMUNE_STAFF
from core.scope import Scope, scope_for, under_paths
from core.staff import path_prefixes
from core.typing import StrOrPromise

# The commune's staff read everything; above the commune, all but who reported (DOMAIN §3).
SUPERVISOR_SECTIONS = ALL_SECTIONS - {REPORTER}
# The commune offered a case reads it to decide whether to take it over.
TRANSFER_SECTIONS = ALL_SECTIONS - {REPORTER}
# More cases offered at once to one commune than any move of families produces.
OFFERS_READ = 1000
# The hotline reads its own report, not the commune's work on it: neither its assessments and
# plan nor the notes and attachments the commune adds before its first step takes the case over.
HOTLINE_SECTIONS = ALL_SECTIONS - {ASSESSMENTS, PLAN, CLOSURE, HISTORY}


@dataclass(frozen=True)
class Access:
    """One reason one user may read one case: the rule, what it names, and for how long."""

    user: User
    rule: StrOrPromise
    detail: str
    sections: frozenset[str]
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    # The record behind a per-case access (a grant), for the actions the panel offers on it.
    record: object | None = None


@dataclass(frozen=True)
class Reach:
    """What one rule lets one user see: one case (`case_id`: a referral, a grant, an offer), or
    the cases of a query (`case_query`: a unit's, the hotline's own reports)."""

    rule: StrOrPromise
    detail: str
    sections: frozenset[str]
    case_id: int | None = None
    case_query: "QuerySet[Case] | None" = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
    record: object | None = field(default=None, compare=False)
    # One case's code, read with the reach: a review shows it without reading the case again.
    case_code: str = ""

    def __post_init__(self) -> None:
        if (self.case_id is None) == (self.case_query is None):
            raise ValueError("A reach covers one case or the cases of a query.")
        if self.case_id is not None and not self.case_code:
            raise ValueError("A reach of one case names its code.")

    @property
    def per_case(self) -> bool:
        return self.case_id is not None

    @property
    def cases(self) -> "QuerySet[Case]":
        if self.case_query is not None:
            return self.case_query
        return Case.objects.filter(pk=self.case_id)


class AccessRule(ABC):
    """One reason to see a case. `listed`: the case also appears in the user's case lists (an
    agency or a grantee reads the one case it was let into from where it was let in, not a list
    whose filters would reveal what it may not read)."""

    listed = True

    @abstractmethod
    def cases(self, user: User, scope: Scope) -> Q | None:
        """The SQL condition on Case for the cases this rule lets `user` see, or None."""

    @abstractmethod
    def sections(self, user: User, scope: Scope, case: Case) -> frozenset[str]:
        """The sections of `case` this rule opens to `user` (none when it does not apply)."""

    @abstractmethod
    def holders(self, case: Case) -> Iterable[Access]:
        """Everyone this rule lets see `case`, with the sections it gives each."""

    @abstractmethod
    def reach(self, user: User, scope: Scope) -> Iterable[Reach]:
        """What this rule lets `user` see."""

    def may_add_notes(self, user: User, case: Case) -> bool:
        return False


class CaseByCaseRule(AccessRule):
    """A rule that lets a user see cases one at a time, each through a record of its own (a
    referral, a grant, an offer). A review pages through an agency's thousands of them in SQL:
    `reached` gives the records as a query, `reach_by` the reach of one record."""

    @abstractmethod
    def reached(self, user: User, scope: Scope) -> "QuerySet[Any] | None":
        """The records by which `user` sees a case each (their `case` is the case reached),
        with what `reach_by` reads joined; None when the rule does not apply to `user`."""

    @abstractmethod
    def reach_by(self, record: Any) -> Reach:
        """The reach of one record of `reached`."""

    def reach(self, user: User, scope: Scope) -> Iterable[Reach]:
        records = self.reached(user, scope)
        return [] if records is None else (self.reach_by(record) for record in records)


def cases_under(path: str) -> Q:
    """The cases of a unit and of the units below it (a province's by their stored province,
    whose index keeps them in the lists' order)."""
    return under_paths("unit_path", [path], province_field="province_path")


class UnitRoleRule(AccessRule):
    """Every case of the units a role is held for, and of the units below them."""

    def __init__(self, roles: tuple[str, ...], sections: frozenset[str], label: StrOrPromise):
        self.roles, self.granted, self.label = roles, sections, label

    def cases(self, user: User, scope: Scope) -> Q | None:
        conditions = [cases_under(path) for path in scope.unit_paths(*self.roles)]
        return reduce(or_, conditions) if conditions else None

    def sections(self, user: User, scope: Scope, case: Case) -> frozenset[str]:
        return self.granted if scope.acts_for_unit(case.unit_path, *self.roles) else frozenset()

    def holders(self, case: Case) -> Iterable[Access]:
        for membership in staff_over(case):
            if membership.role not in self.roles:
                continue
            yield Access(
                user=membership.user,
                rule=self.label,
                detail=f"{membership.get_role_display()} · {membership.unit}",
                sections=self.granted,
                since=membership.created_at,
            )

    def reach(self, user: User, scope: Scope) -> Iterable[Reach]:
        memberships = RoleMembership.objects.filter(
            user=user, role__in=self.roles, unit__isnull=False
        ).select_related("unit")
        for membership in memberships:
            assert membership.unit is not None  # filtered on
            yield Reach(
                rule=self.label,
                detail=f"{membership.get_role_display()} · {membership.unit}",
                sections=self.granted,
                case_query=Case.objects.filter(unit_path__startswith=membership.unit.path),
                since=membership.created_at,
            )


def staff_over(case: Case) -> list[RoleMembership]:
    """The active roles held for the case's unit and the units above it, with their users and
    units: read once for the case, where each rule by role would read its own roles again."""
    return kept_on(
        case,
        "_staff_over",
        lambda: list(
            RoleMembership.objects.filter(
                unit__path__in=path_prefixes(case.unit_path), user__is_active=True
            ).select_related("user", "unit")
        ),
    )


class PendingTransferRule(CaseByCaseRule):
    """The commune a case is offered to reads it until it answers."""

    def _offers(self, scope: Scope) -> QuerySet[CaseTransfer]:
        return CaseTransfer.objects.filter(
            scope.units_q("to_unit_path", *COMMUNE_STAFF), outcome=CaseTransfer.Outcome.PENDING
        )

    def cases(self, user: User, scope: Scope) -> Q | None:
        if not scope.has_role(*COMMUNE_STAFF):
            return None
        # The few cases offered, read first: `unit_path LIKE … OR id IN (…)` lets the planner
        # drive both halves from an index, where an EXISTS beside the LIKE made it read every
        # case of the country (docs/performance.md).
        offered = list(self._offers(scope).values_list("case_id", flat=True)[:OFFERS_READ])
        return Q(pk__in=offered) if offered else None

    def sections(self, user: User, scope: Scope, case: Case) -> frozenset[str]:
        if scope.has_role(*COMMUNE_STAFF) and self._offers(scope).filter(case=case).exists():
            return TRANSFER_SECTIONS
        return frozenset()

    def holders(self, case: Case) -> Iterable[Access]:
        offers = CaseTransfer.objects.filter(
            case=case, outcome=CaseTransfer.Outcome.PENDING
        ).select_related("to_commune")
        for offer in offers:
            for membership in RoleMembership.objects.filter(
                role__in=COMMUNE_STAFF,
                unit__path__in=path_prefixes(offer.to_unit_path),
                user__is_active=True,
            ).select_related("user"):
                yield Access(
                    user=membership.user,
                    rule=_("Transfer offered"),
                    detail=f"{membership.get_role_display()} · {offer.to_commune}",
                    sections=TRANSFER_SECTIONS,
                    since=offer.created_at,
                )

    def reached(self, user: User, scope: Scope) -> QuerySet[CaseTransfer] | None:
        if not scope.has_role(*COMMUNE_STAFF):
            return None
        return self._offers(scope).select_related("to_commune", "case")

    def reach_by(self, record: CaseTransfer) -> Reach:
        return Reach(
            rule=_("Transfer offered"),
            detail=str(record.to_commune),
            sections=TRANSFER_SECTIONS,
            case_id=record.case_id,
            since=record.created_at,
            case_code=record.case.code,
        )


class HotlineRule(AccessRule):
    """The hotline keeps sight of its report only until the commune takes it over."""

    def _own(self, user: User) -> Q:
        return Q(recorded_by=user, recorded_by_hotline=True, taken_by_commune_at__isnull=True)

    def cases(self, user: User, scope: Scope) -> Q | None:
        return self._own(user) if scope.has_role(Role.HOTLINE_OPERATOR) else None

    def sections(self, user: User, scope: Scope, case: Case) -> frozenset[str]:
        own = (
            case.recorded_by_id == user.pk
            and case.recorded_by_hotline
            and case.taken_by_commune_at is None
        )
        return HOTLINE_SECTIONS if own and scope.has_role(Role.HOTLINE_OPERATOR) else frozenset()

    def holders(self, case: Case) -> Iterable[Access]:
        if not case.recorded_by_hotline or case.taken_by_commune_at is not None:
            return
        recorder = User.objects.filter(
            pk=case.recorded_by_id, is_active=True, memberships__role=Role.HOTLINE_OPERATOR
        ).first()
        if recorder is not None:
            yield Access(
                user=recorder,
                rule=_("Recorded by the hotline"),
                detail=str(_("until the commune takes it over")),
                sections=HOTLINE_SECTIONS,
                since=case.received_at,
            )

    def reach(self, user: User, scope: Scope) -> Iterable[Reach]:
        if scope.has_role(Role.HOTLINE_OPERATOR):
            yield Reach(
                rule=_("Recorded by the hotline"),
                detail=str(_("until the commune takes it over")),
                sections=HOTLINE_SECTIONS,
                case_query=Case.objects.filter(self._own(user)),
            )


_rules: list[AccessRule] = [
    UnitRoleRule(COMMUNE_STAFF, ALL_SECTIONS, _("Commune role")),
    UnitRoleRule(CASE_SUPERVISORS, SUPERVISOR_SECTIONS, _("Supervising role")),
    PendingTransferRule(),
    HotlineRule(),
]


def register_access_rule(rule: AccessRule) -> AccessRule:
    if not any(type(existing) is type(rule) for existing in _rules):
        _rules.append(rule)
    return rule


def case_visibility(user: User, scope: Scope, *, without: type[AccessRule] | None = None) -> Q:
    """Who may open a case, as one SQL condition; `without` leaves out one rule (would they see
    it anyway?). The lists hold fewer: `listed_cases`."""
    condition = Q(pk__in=[])
    for rule in _rules:
        if type(rule) is not without:
            extra = rule.cases(user, scope)
            if extra is not None:
                condition |= extra
    return condition


@dataclass(frozen=True)
class Listed:
    """What a user's case lists hold: the cases of the units under `paths`, which its unit roles
    name, and those `elsewhere` names (an offer, the hotline's own report), None when none. Not
    what the rules that are not `listed` open (a referral, a grant): those cases are read from
    where they were let in."""

    paths: tuple[str, ...]
    elsewhere: Q | None

    def condition(self) -> Q:
        condition = reduce(or_, map(cases_under, self.paths), Q(pk__in=[]))
        return condition if self.elsewhere is None else condition | self.elsewhere


def listed_unit_paths(scope: Scope) -> tuple[str, ...]:
    """The paths of the units whose cases a user's lists hold, by its unit roles."""
    units = (rule for rule in _rules if isinstance(rule, UnitRoleRule))
    return tuple(sorted({path for rule in units for path in scope.unit_paths(*rule.roles)}))


def listed_cases(user: User, scope: Scope) -> Listed:
    elsewhere: Q | None = None
    for rule in _rules:
        if isinstance(rule, UnitRoleRule) or not rule.listed:
            continue
        if (extra := rule.cases(user, scope)) is not None:
            elsewhere = extra if elsewhere is None else elsewhere | extra
    return Listed(listed_unit_paths(scope), elsewhere)


def sections_for(user: User, case: Case) -> frozenset[str]:
    scope = scope_for(user)
    granted: frozenset[str] = frozenset()
    for rule in _rules:
        granted |= rule.sections(user, scope, case)
        if granted == ALL_SECTIONS:  # the commune's staff: nothing more to ask
            break
    return granted


def may_add_notes(user: User, case: Case) -> bool:
    """Besides the commune's officer: a grantee let in to read and add notes."""
    return any(rule.may_add_notes(user, case) for rule in _rules)


def who_can_see(case: Case) -> list[Access]:
    """Every user who may read `case`, once per rule that lets them, by name."""
    accesses = [access for rule in _rules for access in rule.holders(case)]
    return sorted(accesses, key=lambda a: a.user.get_full_name() or a.user.get_username())


def access_rules() -> list[AccessRule]:
    return list(_rules)


def reach_of(user: User) -> list[Reach]:
    """Everything `user` may see, rule by rule."""
    scope = scope_for(user)
    return [reach for rule in _rules for reach in rule.reach(user, scope)]
