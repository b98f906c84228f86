"""Who holds a role for a unit or an agency: the people a deadline or an event concerns.

Core answers this because both the apps (who owns a clock, registered in `core.clocks`) and the
notifications (who is told) ask it, and apps must not import notifications.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from core.models import User
from core.roles import AGENCY_WORKERS

# Inside `remembered_staff()`, each answer is read once: a sweep asks the same commune's
# officers for every deadline of the commune.
_memo: ContextVar[dict[tuple, list[User]] | None] = ContextVar("staff_memo", default=None)


@contextmanager
def remembered_staff() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered(key: tuple, read: Callable[[], list[User]]) -> list[User]:
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return list(memo[key])


def path_prefixes(unit_path: str) -> list[str]:
    """ "2025/37/14428/" → ["2025/", "2025/37/", "2025/37/14428/"]: the unit and those above it."""
    parts = unit_path.strip("/").split("/")
    return ["/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def province_of(unit_path: str) -> str:
    """ "2025/37/14428/" → "2025/37/": the province a unit lies in, in its structure."""
    return path_prefixes(unit_path)[1]


def staff_of_unit(unit_path: str, *roles: str) -> list[User]:
    """Users holding one of `roles` for this unit or a unit above it (a province's officers)."""
    return remembered(
        ("unit", unit_path, roles),
        lambda: list(
            User.objects.filter(
                is_active=True,
                memberships__role__in=roles,
                memberships__unit__path__in=path_prefixes(unit_path),
            ).distinct()
        ),
    )


def agency_staff(agency_id: int | None) -> list[User]:
    """The active staff and heads of an agency: those who answer its referrals."""
    if agency_id is None:  # a referral not yet assigned to an agency: nobody answers it yet
        return []
    return remembered(
        ("agency", agency_id),
        lambda: list(
            User.objects.filter(
                is_active=True,
                memberships__role__in=AGENCY_WORKERS,
                memberships__agency_id=agency_id,
            ).distinct()
        ),
    )
