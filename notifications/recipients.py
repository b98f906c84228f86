"""Who is told: the staff bound to a unit or an agency, found by role membership."""

from core.models import Role, User


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
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role__in=[Role.AGENCY_STAFF, Role.AGENCY_HEAD],
            memberships__agency_id=agency_id,
        ).distinct()
    )
