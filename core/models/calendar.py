from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """A public holiday or a day off decreed for the year (Tết moves every year)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
