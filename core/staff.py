"""Who holds a role for a unit or an agency: the people a deadline or an event concerns.

Core answers this because both the apps (who owns a clock, registered in `core.clocks`) and the
notifications (who is told) ask it, and apps must not import notifications.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import F

from core.models import User
from core.roles import AGENCY_WORKERS

# Inside `remembered_staff()`, each answer is read once: a sweep asks the same commune's
# officers for every deadline of the commune. A unit's or an agency's people are kept with their
# roles, so that one query can read them for a whole batch (`remember_units`,
# `remember_agencies`) whatever roles are asked of them later.
Members = list[tuple[User, str]]
_memo: ContextVar[dict[tuple, Members] | None] = ContextVar("staff_memo", default=None)


@contextmanager
def remembered_staff() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def path_prefixes(unit_path: str) -> list[str]:
    """ "2025/37/14428/" → ["2025/", "2025/37/", "2025/37/14428/"]: the unit and those above it."""
    parts = unit_path.strip("/").split("/")
    return ["/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def province_of(unit_path: str) -> str:
    """ "2025/37/14428/" → "2025/37/": the province a unit lies in, in its structure."""
    return path_prefixes(unit_path)[1]


def _remember(
    memo: dict[tuple, Members],
    kind: str,
    keys: Iterable,
    read: Callable[[list], Iterable[tuple[object, User, str]]],
) -> None:
    missing = [key for key in set(keys) if (kind, key) not in memo]
    if not missing:
        return
    for key in missing:
        memo[(kind, key)] = []
    for key, user, role in read(missing):
        memo[(kind, key)].append((user, role))


def remember_units(unit_paths: Iterable[str]) -> None:
    """Read, in one query, the people of these units and of the units above them."""
    memo = _memo.get()
    if memo is None:
        return
    prefixes = {prefix for path in unit_paths for prefix in path_prefixes(path)}
    _remember(
        memo,
        "unit",
        prefixes,
        lambda paths: member_rows("unit__path", unit__path__in=paths),
    )


def remember_agencies(agency_ids: Iterable[int | None]) -> None:
    """Read, in one query, the staff of these agencies."""
    memo = _memo.get()
    if memo is None:
        return
    _remember(
        memo,
        "agency",
        {agency_id for agency_id in agency_ids if agency_id is not None},
        lambda ids: member_rows("agency_id", agency_id__in=ids, role__in=AGENCY_WORKERS),
    )


def member_rows(of: str, **membership: object) -> Iterator[tuple[object, User, str]]:
    """(the membership's `of`, its user, its role) for each membership of an active user that
    matches the lookups `membership`: users alone are built, not a membership, a unit and a user
    a row. Every lookup on the memberships goes in one filter() before the annotations, so that
    all of them name the same membership: a filter after an annotation would join the
    memberships a second time, and pair a user's roles and places across their memberships."""
    users = User.objects.filter(
        is_active=True, **{f"memberships__{lookup}": value for lookup, value in membership.items()}
    ).annotate(member_of=F(f"memberships__{of}"), member_as=F("memberships__role"))
    for user in users:
        yield user.member_of, user, user.member_as


def _holding(members: Iterable[tuple[User, str]], roles: Iterable[str]) -> list[User]:
    wanted = set(roles)
    return list({user.pk: user for user, role in members if role in wanted}.values())


def staff_of_unit(unit_path: str, *roles: str) -> list[User]:
    """Users holding one of `roles` for this unit or a unit above it (a province's officers)."""
    memo = _memo.get()
    if memo is None:
        return list(
            User.objects.filter(
                is_active=True,
                memberships__role__in=roles,
                memberships__unit__path__in=path_prefixes(unit_path),
            ).distinct()
        )
    remember_units([unit_path])
    return _holding(
        (member for prefix in path_prefixes(unit_path) for member in memo[("unit", prefix)]),
        roles,
    )


def agency_staff(agency_id: int | None) -> list[User]:
    """The active staff and heads of an agency: those who answer its referrals."""
    if agency_id is None:  # a referral not yet assigned to an agency: nobody answers it yet
        return []
    memo = _memo.get()
    if memo is None:
        return list(
            User.objects.filter(
                is_active=True,
                memberships__role__in=AGENCY_WORKERS,
                memberships__agency_id=agency_id,
            ).distinct()
        )
    remember_agencies([agency_id])
    return _holding(memo[("agency", agency_id)], AGENCY_WORKERS)
