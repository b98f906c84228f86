"""The plan as data an administrator corrects: which agency kinds carry out each section, which
indicator tables measure each task and which kinds coordinate it (docs/plan-114-figures.md)."""

from django.contrib import admin

from reports.models import Plan, PlanSection, PlanTask


class PlanTaskInline(admin.TabularInline):
    model = PlanTask
    fields = ["number", "text", "figures", "coordinating"]
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "issued_on", "province", "consolidated_by"]
    raw_id_fields = ["province"]


@admin.register(PlanSection)
class PlanSectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "agency_kinds"]
    list_filter = ["plan"]
    inlines = [PlanTaskInline]
