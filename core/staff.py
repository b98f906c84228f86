"""Who holds a role for a unit or an agency: the people a deadline or an event concerns.

Core answers this because both the apps (who owns a clock, registered in `core.clocks`) and the
notifications (who is told) ask it, and apps must not import notifications.
"""

from core.models import User
from core.roles import AGENCY_WORKERS


def path_prefixes(unit_path: str) -> list[str]:
    """ "2025/37/14428/" → ["2025/", "2025/37/", "2025/37/14428/"]: the unit and those above it."""
    parts = unit_path.strip("/").split("/")
    return ["/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def staff_of_unit(unit_path: str, *roles: str) -> list[User]:
    """Users holding one of `roles` for this unit or a unit above it (a province's officers)."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role__in=roles,
            memberships__unit__path__in=path_prefixes(unit_path),
        ).distinct()
    )


def agency_staff(agency_id: int | None) -> list[User]:
    """The active staff and heads of an agency: those who answer its referrals."""
    if agency_id is None:  # a referral not yet assigned to an agency: nobody answers it yet
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role__in=AGENCY_WORKERS,
            memberships__agency_id=agency_id,
        ).distinct()
    )
