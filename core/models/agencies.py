"""Agencies that take part in child protection, each with a kind and a jurisdiction."""

from django.db import models
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


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(
        AgencyKind, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("kind")
    )
    jurisdiction = models.ForeignKey(
        "core.Unit",
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("jurisdiction"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "jurisdiction"], name="agency_name_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name
