"""Configuration screens for the sysadmin: units, agencies, users and roles, holidays."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.models import (
    Agency,
    AgencyKind,
    AuditEvent,
    ClockPolicy,
    Holiday,
    RoleMembership,
    Unit,
    User,
)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "division_type", "structure", "valid_from", "valid_to"]
    list_filter = ["structure", "level"]
    search_fields = ["code", "name", "search_name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]
    list_select_related = ["parent"]


@admin.register(AgencyKind)
class AgencyKindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "jurisdiction", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["jurisdiction"]
    list_select_related = ["kind", "jurisdiction"]


class RoleMembershipInline(admin.TabularInline):
    model = RoleMembership
    extra = 1
    autocomplete_fields = ["unit", "agency"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleMembershipInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Contact"), {"fields": ("phone",)}),
    )


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(ClockPolicy)
class ClockPolicyAdmin(admin.ModelAdmin):
    """Overrides of the policy-default deadlines; the legal ones (12 hours, 5 working days, the
    police's 20 days) should only change with the law."""

    list_display = ["kind", "hours", "days", "working_days"]
    search_fields = ["kind"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is evidence and nobody edits it."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "ip"]
    list_filter = ["action"]
    search_fields = ["object_id", "actor__username"]
    list_select_related = ["actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
