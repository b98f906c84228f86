"""For which units and agencies a user acts, and in which role.

Every selector builds its query from a `Scope`, so who-sees-what is decided in one place and
always in SQL: unit roles become path-prefix conditions, agency roles become agency ids.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from core.models import Role, RoleMembership, User
from core.models.units import PROVINCE_PATH_LENGTH


def is_province_path(path: str) -> bool:
    return len(path) == PROVINCE_PATH_LENGTH and path.count("/") == 2


def under_paths(field: str, paths: Iterable[str], *, province_field: str | None = None) -> Q:
    """A condition on `field` (a unit path) for the units under any of `paths`; none when there
    are no paths. With `province_field` (a `province_column` beside `field`), a province's rows
    are matched by it rather than by the prefix of their path."""
    conditions = [
        Q(**{province_field: path})
        if province_field is not None and is_province_path(path)
        else Q(**{f"{field}__startswith": path})
        for path in paths
    ]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


@dataclass(frozen=True)
class Membership:
    role: str
    unit_id: int | None
    unit_path: str | None
    agency_id: int | None


@dataclass(frozen=True)
class Scope:
    memberships: tuple[Membership, ...]

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.memberships)

    def has_role(self, *roles: str) -> bool:
        return any(m.role in roles for m in self.memberships)

    def unit_ids(self, *roles: str) -> frozenset[int]:
        return frozenset(m.unit_id for m in self._of(roles) if m.unit_id is not None)

    def unit_paths(self, *roles: str) -> tuple[str, ...]:
        return tuple(sorted({m.unit_path for m in self._of(roles) if m.unit_path}))

    def agency_ids(self, *roles: str) -> frozenset[int]:
        return frozenset(m.agency_id for m in self._of(roles) if m.agency_id is not None)

    def units_q(self, path_field: str, *roles: str, province_field: str | None = None) -> Q:
        """A condition on `path_field` (a unit path) for the units these roles act for."""
        return under_paths(path_field, self.unit_paths(*roles), province_field=province_field)

    def acts_for_unit(self, unit_path: str, *roles: str) -> bool:
        return any(unit_path.startswith(p) for p in self.unit_paths(*roles))

    def _of(self, roles: tuple[str, ...]) -> list[Membership]:
        return [m for m in self.memberships if m.role in roles]


EMPTY_SCOPE = Scope(memberships=())


def scope_for(user: User | AnonymousUser) -> Scope:
    """The user's scope, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_checho_scope", None)
    if cached is None:
        rows = RoleMembership.objects.filter(user=user).values_list(
            "role", "unit_id", "unit__path", "agency_id"
        )
        cached = Scope(memberships=tuple(Membership(*row) for row in rows))
        user._checho_scope = cached
    return cached


ALL_ROLES = tuple(Role.values)
