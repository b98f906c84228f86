"""The province's plan (sections, tasks, and the agencies that carry them out) as data, and the
results each agency records per year (DOMAIN §9: the plan's yearly outcome report)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import Agency, Unit


class Plan(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    consolidated_by = models.CharField(
        _("kind of agency that consolidates"), max_length=48, help_text=_("An agency kind code.")
    )
    # The province that issued the plan; its agencies, and those of the units that succeeded it,
    # carry out the tasks.
    province = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("province"),
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.code


class PlanSection(models.Model):
    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="sections",
        db_index=False,  # plan_section_unique leads with it
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.TextField(_("title"))
    # Agency kind codes that report on this section; "*" for every agency.
    agency_kinds = models.JSONField(_("agency kinds"), default=list)

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_section_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} III.{self.number}"


class PlanTask(models.Model):
    section = models.ForeignKey(
        PlanSection,
        on_delete=models.CASCADE,
        related_name="tasks",
        db_index=False,  # plan_task_unique leads with it
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("task"))
    # The indicator tables (reports/indicators.py keys) that measure this task, reviewed task by
    # task against the plan (docs/plan-114-figures.md): data a deployment edits, never guessed.
    figures = models.JSONField(_("figures"), default=list, blank=True)
    # Kinds of agency the task names as coordinating with the section's lead ("phối hợp").
    coordinating = models.JSONField(_("coordinating agency kinds"), default=list, blank=True)

    class Meta:
        verbose_name = _("plan task")
        verbose_name_plural = _("plan tasks")
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="plan_task_unique")
        ]

    def __str__(self) -> str:
        return f"{self.section} · {self.number}"


class TaskResult(models.Model):
    """What one agency did for one task in one year, in its own words."""

    task = models.ForeignKey(
        PlanTask,
        on_delete=models.PROTECT,
        related_name="results",
        db_index=False,  # task_result_unique leads with it
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="plan_results")
    year = models.PositiveSmallIntegerField(_("year"))
    text = models.TextField(_("results"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task result")
        verbose_name_plural = _("task results")
        constraints = [
            models.UniqueConstraint(fields=["task", "agency", "year"], name="task_result_unique")
        ]
        indexes = [models.Index(fields=["year", "agency"], name="task_result_year_idx")]

    def __str__(self) -> str:
        return f"{self.task} · {self.agency} · {self.year}"


class Consolidation(models.Model):
    """The lead agency's sign-off of a year's report for the province."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        related_name="consolidations",
        db_index=False,  # consolidation_unique leads with it
    )
    year = models.PositiveSmallIntegerField(_("year"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    consolidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consolidated_at = models.DateTimeField(auto_now=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("consolidation")
        verbose_name_plural = _("consolidations")
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "agency"], name="consolidation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.year}"
