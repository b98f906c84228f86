"""Administrative units in every structure the country has had since the records began.

Codes are reused across structures (37 is Ninh Bình before and after the 2025 reform, 14428 was
a town and is now a commune), so a unit is identified by its structure and its code. Each unit
carries a materialised path such as ``2025/37/14428/``: everything under a unit is one indexed
prefix query, however deep the tree.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.db.models.functions import Left
from django.utils.translation import gettext_lazy as _

from core.text import fold

# A province's path is a structure's year and the province's two-digit code: "2025/37/".
PROVINCE_PATH_LENGTH = 8


def province_column() -> models.GeneratedField:
    """The province a row lies in, stored beside its unit path (the path's first two steps) and
    kept by the database: a transfer that moves the path moves it. A province's rows are then one
    equality, which the planner estimates from this column's own statistics and reads from an
    index in a list's order; a prefix of the path leaves it guessing (core.scope.under_paths)."""
    return models.GeneratedField(
        expression=Left("unit_path", PROVINCE_PATH_LENGTH),
        output_field=models.CharField(max_length=PROVINCE_PATH_LENGTH),
        db_persist=True,
    )


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "UnitQuerySet":
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def under(self, unit: "Unit") -> "UnitQuerySet":
        """The unit and everything below it."""
        return self.filter(path__startswith=unit.path)


class Unit(models.Model):
    structure = models.CharField(
        _("structure"),
        max_length=16,
        help_text=_("The unit list this unit belongs to, named by its year, e.g. 2025 or 2020."),
    )
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=120)
    division_type = models.CharField(_("type"), max_length=40)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=64, editable=False)
    search_name = models.CharField(max_length=120, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        through="UnitSuccession",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["structure", "code"], name="unit_code_per_structure"),
        ]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%'.
            models.Index(fields=["path"], name="unit_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "valid_from", "valid_to"], name="unit_level_valid_idx"),
            models.Index(fields=["code"], name="unit_code_idx"),
            models.Index(fields=["search_name"], name="unit_search_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.name)
        self.path = self.build_path(self.structure, self.parent, self.code)
        super().save(*args, **kwargs)

    @staticmethod
    def build_path(structure: str, parent: "Unit | None", code: str) -> str:
        prefix = parent.path if parent else f"{structure}/"
        return f"{prefix}{code}/"

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def contains(self, other: "Unit") -> bool:
        return other.path.startswith(self.path)


class UnitSuccession(models.Model):
    """A unit of an earlier structure and one unit it became part of."""

    predecessor = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # unit_succession leads with it
    )
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    partly = models.BooleanField(
        _("partly"), default=False, help_text=_("Only part of the predecessor went here.")
    )

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unit_succession"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"
