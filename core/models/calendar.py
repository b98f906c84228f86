"""The calendar of days off: the public holidays of the law, and the government's yearly decisions.

Holidays (Labour Code 2019 Art. 112) are computed by the `holidays` library and loaded by a
migration and `manage.py load_holidays`; nobody types them. What the government decides each year
(a working day swapped for a day off next to a holiday, a Saturday worked in exchange) an
administrator adds as a CalendarDecision; each change names who made it and is audited.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """A public holiday of Labour Code 2019 Art. 112, or the day it is taken on (Art. 111(3))."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class CalendarDecision(models.Model):
    """The government's decision about one day: off although a weekday, or worked although a
    Saturday (or a holiday). It overrides the weekly days off and the holiday table."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off (swapped)")
        WORKING_DAY = "working_day", _("Working day (worked in exchange)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.CharField(
        _("decision"),
        max_length=200,
        help_text=_("The government's decision: its number and date, and what it swaps."),
    )
    # None: loaded from the holidays library (the swaps it knows of), not by a person.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("working-day decision")
        verbose_name_plural = _("working-day decisions")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["day_off", "working_day"]),
                name="calendar_decision_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"
