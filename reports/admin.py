"""The plan as data an administrator corrects: which agency kinds carry out each section, which
indicator tables measure each task and which kinds coordinate it (docs/plan-114-figures.md).

The codes stay what is edited; beside them the pages name the kinds in the reader's language."""

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.admin_base import ModelAdmin
from core.models import AgencyKind
from reports.models import Plan, PlanSection, PlanTask

EVERY_AGENCY = "*"


def kind_labels(codes: Sequence[str] | None = None) -> dict[str, str]:
    """code → the kind's name in the active language, for these codes (all of them: None)."""
    kinds = AgencyKind.objects.all() if codes is None else AgencyKind.objects.filter(code__in=codes)
    return {kind.code: kind.label for kind in kinds}


def kind_names(codes: Sequence[str], labels: dict[str, str]) -> str:
    """The kinds named; "*" is every agency, and a code no kind has (any more) reads as itself."""
    if EVERY_AGENCY in codes:
        return str(_("every agency"))
    return ", ".join(labels.get(code, code) for code in codes) or "—"


def named_kinds_column(
    description: Any, codes_of: Callable[[Any], Sequence[str]], ordering: str | None = None
) -> Callable[[Any], str]:
    """A column of a list naming a row's agency kinds, the kinds read once for the whole page."""
    labels = kind_labels()

    @admin.display(description=description, ordering=ordering)
    def column(obj: Any) -> str:
        return kind_names(codes_of(obj), labels)

    return column


class PlanTaskInline(admin.TabularInline):
    model = PlanTask
    fields = ["number", "text", "figures", "coordinating", "coordinating_names"]
    readonly_fields = ["coordinating_names"]
    extra = 0

    @admin.display(description=_("coordinating agencies"))
    def coordinating_names(self, task: PlanTask) -> str:
        return kind_names(task.coordinating, kind_labels(task.coordinating))


@admin.register(Plan)
class PlanAdmin(ModelAdmin):
    list_display = ["code", "title", "issued_on", "province", "consolidated_by"]
    raw_id_fields = ["province"]

    def get_list_display(self, request: HttpRequest) -> list[str | Callable[[Any], str | bool]]:
        consolidating = named_kinds_column(
            _("kind of agency that consolidates"),
            lambda plan: [plan.consolidated_by],
            ordering="consolidated_by",
        )
        return ["code", "title", "issued_on", "province", consolidating]


@admin.register(PlanSection)
class PlanSectionAdmin(ModelAdmin):
    list_display = ["__str__", "title", "agency_kinds"]
    list_filter = ["plan"]
    inlines = [PlanTaskInline]

    def get_list_display(self, request: HttpRequest) -> list[str | Callable[[Any], str | bool]]:
        kinds = named_kinds_column(_("agency kinds"), lambda section: section.agency_kinds)
        return ["__str__", "title", kinds]
