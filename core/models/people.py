"""Users and the roles they hold, each bound to a unit or an agency (DOMAIN §3)."""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models.units import UnitLevel

if TYPE_CHECKING:
    from core.scope import Scope


class User(AbstractUser):
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Not a field: core.scope.scope_for() keeps the user's scope here for the rest of the request.
    _checho_scope: "Scope"

    def get_full_name(self) -> str:
        """The name as Vietnamese writes it, family name first ("Nguyễn Thị Lan"): `last_name`
        holds the family and middle names, `first_name` the given name — in either language, as a
        person's name is not translated."""
        return " ".join(part for part in (self.last_name, self.first_name) if part)

    class Meta(AbstractUser.Meta):
        # django-stubs declares AbstractUser.Meta's names as str; Django's own are lazy strings.
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Commune child-protection officer")
    COMMUNE_CHAIR = "commune_chair", _("Commune People's Committee chair")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    AGENCY_HEAD = "agency_head", _("Agency head")
    INSPECTOR = "inspector", _("Inspector")
    HOTLINE_OPERATOR = "hotline_operator", _("Hotline 111 operator")
    MANAGER = "manager", _("Manager")
    SYSADMIN = "sysadmin", _("System administrator")


# Roles bound to an administrative unit, with the level the unit must have (None: any level).
UNIT_BOUND_ROLES: dict[str, str | None] = {
    Role.COMMUNE_OFFICER: UnitLevel.COMMUNE,
    Role.COMMUNE_CHAIR: UnitLevel.COMMUNE,
    Role.DISTRICT_OFFICER: UnitLevel.DISTRICT,
    Role.PROVINCIAL_OFFICER: UnitLevel.PROVINCE,
    Role.MANAGER: None,
}
# Roles bound to an agency.
AGENCY_BOUND_ROLES = frozenset(
    {Role.AGENCY_STAFF, Role.AGENCY_HEAD, Role.INSPECTOR, Role.HOTLINE_OPERATOR}
)
# The sysadmin configures the whole deployment and is bound to neither.


class RoleMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    unit = models.ForeignKey(
        "core.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("unit"),
    )
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("agency"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_binding_matches_role",
                condition=(
                    Q(role__in=sorted(UNIT_BOUND_ROLES), unit__isnull=False, agency__isnull=True)
                    | Q(
                        role__in=sorted(AGENCY_BOUND_ROLES), unit__isnull=True, agency__isnull=False
                    )
                    | Q(role=Role.SYSADMIN, unit__isnull=True, agency__isnull=True)
                ),
            ),
            # One constraint per binding: NULLs are distinct in a unique index, so a single
            # (user, role, unit, agency) constraint would let duplicates through.
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(unit__isnull=False),
                name="membership_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="membership_unique_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(unit__isnull=True, agency__isnull=True),
                name="membership_unique_unbound",
            ),
        ]
        indexes = [models.Index(fields=["role", "unit"]), models.Index(fields=["role", "agency"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit or self.agency or '—'}"

    def clean(self) -> None:
        if self.role in UNIT_BOUND_ROLES:
            if self.unit is None or self.agency_id is not None:
                raise ValidationError(_("This role is bound to an administrative unit."))
            level = UNIT_BOUND_ROLES[self.role]
            if level is not None and self.unit.level != level:
                raise ValidationError(
                    {
                        "unit": _("This role needs a unit of level %(level)s.")
                        % {"level": str(UnitLevel(level).label).lower()}
                    }
                )
        elif self.role in AGENCY_BOUND_ROLES:
            if self.agency is None or self.unit_id is not None:
                raise ValidationError(_("This role is bound to an agency."))
        elif self.unit_id is not None or self.agency_id is not None:
            raise ValidationError(_("A system administrator is bound to neither unit nor agency."))
