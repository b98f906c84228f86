"""Agencies that take part in child protection: each has a jurisdiction, one or more kinds, and a
period of validity with successors, like the units (DOMAIN §3).

After 2025 one agency may hold several kinds: the provincial Department of Health (Sở Y tế) is
both `health_department` and the `provincial_child_protection_lead` that the Department of Labour,
Invalids and Social Affairs (Sở LĐTBXH) was until 28 February 2025. An agency that ceased to exist
keeps its records, its `valid_to` and its successors (district police: 30 June 2025 → the
provincial police), so what it did stays reportable and its work finds who carries it on.
"""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.Model):
    """A configurable kind of agency; the defaults are the ones Plan 114 names (DOMAIN §3)."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name (Vietnamese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("agency kind")
        verbose_name_plural = _("agency kinds")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class AgencyQuerySet(models.QuerySet["Agency"]):
    def valid_on(self, day: datetime.date) -> "AgencyQuerySet":
        """The agencies that exist on this day (both ends of the period included)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def current(self) -> "AgencyQuerySet":
        """The agencies one may work with today: active, and existing today (not a district
        police abolished in 2025). Evaluated at each call, never at import."""
        return self.filter(is_active=True).valid_on(timezone.localdate())

    def valid_during(self, start: datetime.date, end: datetime.date) -> "AgencyQuerySet":
        """The agencies that exist on at least one day from `start` to `end`, both included."""
        if start > end:
            raise ValueError(f"The period starts ({start}) after it ends ({end}).")
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=start),
        )

    def with_kind(self, *codes: str) -> "AgencyQuerySet":
        """The agencies that have any of these kinds, each once (a subquery, not a join: no
        duplicates, no DISTINCT, so the result may still be ordered, counted or locked)."""
        if not codes:
            return self.none()
        has_kind = Agency.kinds.through.objects.filter(
            agency_id=OuterRef("pk"), agencykind__code__in=codes
        )
        return self.filter(Exists(has_kind))


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kinds = models.ManyToManyField(AgencyKind, related_name="agencies", verbose_name=_("kinds"))
    jurisdiction = models.ForeignKey(
        "core.Unit",
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("jurisdiction"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Switched off by the sysadmin (a record made by mistake, an agency that left the system);
    # the validity below is the agency's own life.
    is_active = models.BooleanField(_("active"), default=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        verbose_name=_("successors"),
    )

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "jurisdiction"], name="agency_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_codes(self) -> frozenset[str]:
        """The codes of the agency's kinds. Prefetch `kinds` when listing agencies
        (`prefetch_related("kinds")`): without it each agency costs a query."""
        if self.pk is None:
            return frozenset()
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("kinds")
        if prefetched is not None:
            return frozenset(kind.code for kind in prefetched)
        return frozenset(self.kinds.values_list("code", flat=True))

    def has_kind(self, *codes: str) -> bool:
        """Whether the agency has any of these kinds."""
        return not self.kind_codes.isdisjoint(codes)

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )
