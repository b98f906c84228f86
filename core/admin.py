"""Configuration screens for the sysadmin: units, agencies, users and roles, the calendar, the
policy defaults.

The law's holidays are read-only here (computed by the holidays library); the government's yearly
decisions, the policy clocks' spans and the policy settings are edited here, each change recorded
in the audit trail (who, when, old → new) and shown on the record's page.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from core.audit import audit
from core.clocks import clock_label, registered_kinds
from core.models import (
    Agency,
    AgencyKind,
    AuditEvent,
    CalendarDecision,
    ClockPolicy,
    Holiday,
    PolicySettings,
    RoleMembership,
    Unit,
    User,
)
from core.policy import audited_values, changes


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


class AgencyValidityFilter(admin.SimpleListFilter):
    """Whether an agency exists today, has ceased to exist, or is yet to be set up."""

    title = _("validity")
    parameter_name = "valid"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [
            ("today", _("Valid today")),
            ("ended", _("No longer valid")),
            ("future", _("Not yet valid")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        if self.value() == "today":
            return queryset.filter(pk__in=Agency.objects.valid_on(today).values("pk"))
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return queryset


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind_list", "jurisdiction", "valid_from", "valid_to", "is_active"]
    list_filter = ["kinds", AgencyValidityFilter, "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["jurisdiction", "successors"]
    filter_horizontal = ["kinds"]
    list_select_related = ["jurisdiction"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("kinds")

    @admin.display(description=_("kinds"))
    def kind_list(self, agency: Agency) -> str:
        return ", ".join(kind.label for kind in agency.kinds.all())


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


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete is written to the audit trail with the old and new values,
    the record keeps who changed it last, and its page lists its changes."""

    audited_fields: list[str] = []
    audit_name = ""

    def change_history(self, obj: models.Model | None) -> SafeString | str:
        if obj is None or obj.pk is None:
            return "—"
        events = AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).select_related("actor")[:50]
        return (
            format_html_join(
                "",
                "<div>{} — {}: {}</div>",
                (
                    (
                        timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M"),
                        event.actor.get_username() if event.actor else _("system"),
                        "; ".join(
                            f"{name}: {old} → {new}"
                            for name, (old, new) in event.details.get("changes", {}).items()
                        ),
                    )
                    for event in events
                ),
            )
            or "—"
        )

    change_history.short_description = _("changes")  # type: ignore[attr-defined]  # admin label

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool
    ) -> None:
        before: dict[str, Any] = {}
        if change:
            previous = type(obj).objects.filter(pk=obj.pk).first()
            if previous is not None:
                before = audited_values(previous, self.audited_fields)
        obj.changed_by = request.user
        obj.changed_at = timezone.now()
        super().save_model(request, obj, form, change)
        audit(
            actor=request.user,
            action=f"{self.audit_name}.{'change' if change else 'add'}",
            target=obj,
            details={"changes": changes(before, audited_values(obj, self.audited_fields))},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = audited_values(obj, self.audited_fields)
        audit(
            actor=request.user,
            action=f"{self.audit_name}.delete",
            target=obj,
            details={"changes": {name: [value, None] for name, value in before.items()}},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The public holidays of Labour Code 2019 Art. 112, computed by the holidays library
    (migration, `manage.py load_holidays`): read-only. The government's yearly decisions are
    working-day decisions."""

    list_display = ["date", "name"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Holiday | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Holiday | None = None) -> bool:
        return False


@admin.register(CalendarDecision)
class CalendarDecisionAdmin(AuditedAdmin):
    """The government's yearly decisions: a day swapped off, a Saturday worked in exchange."""

    list_display = ["date", "kind", "reason", "changed_by", "changed_at"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["reason"]
    fields = ["date", "kind", "reason", "changed_by", "changed_at", "change_history"]
    readonly_fields = ["changed_by", "changed_at", "change_history"]
    list_select_related = ["changed_by"]
    audited_fields = ["date", "kind", "reason"]
    audit_name = "calendar_decision"


def policy_kind_choices() -> list[tuple[str, str]]:
    return [(known.kind, str(known.label)) for known in registered_kinds() if not known.is_law]


def law_kinds_text() -> str:
    return "; ".join(
        f"{known.label} ({known.legal_basis})" for known in registered_kinds() if known.is_law
    )


class ClockPolicyForm(forms.ModelForm):
    """Only the policy kinds can be chosen; the model refuses the law's kinds again."""

    kind = forms.ChoiceField(label=_("deadline"), choices=policy_kind_choices)

    class Meta:
        model = ClockPolicy
        fields = ["kind", "hours", "days", "working_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].help_text = _("Fixed by law, not changeable here: %(kinds)s") % {
            "kinds": law_kinds_text() or "—"
        }


@admin.register(ClockPolicy)
class ClockPolicyAdmin(AuditedAdmin):
    """The spans of the policy-default deadlines (the chair's decision time, acceptance times,
    the review interval…). The law's deadlines (12 hours, 5 working days, the police's Art. 147
    days) cannot be chosen, and the model refuses them."""

    form = ClockPolicyForm
    list_display = ["kind", "label", "hours", "days", "working_days", "changed_by", "changed_at"]
    search_fields = ["kind"]
    fields = ["kind", "hours", "days", "working_days", "changed_by", "changed_at", "change_history"]
    readonly_fields = ["changed_by", "changed_at", "change_history"]
    list_select_related = ["changed_by"]
    audited_fields = ["kind", "hours", "days", "working_days"]
    audit_name = "clock_policy"

    @admin.display(description=_("label"))
    def label(self, obj: ClockPolicy) -> str:
        return clock_label(obj.kind)


@admin.register(PolicySettings)
class PolicySettingsAdmin(AuditedAdmin):
    """The one row of policy values; without it the defaults of settings.py apply."""

    list_display = [
        "__str__",
        "reminder_percent",
        "small_count_threshold",
        "changed_by",
        "changed_at",
    ]
    fields = [
        "reminder_percent",
        "escalation_chain",
        "small_count_threshold",
        "changed_by",
        "changed_at",
        "change_history",
    ]
    readonly_fields = ["changed_by", "changed_at", "change_history"]
    audited_fields = ["reminder_percent", "escalation_chain", "small_count_threshold"]
    audit_name = "policy_settings"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not PolicySettings.objects.exists()

    def has_delete_permission(
        self, request: HttpRequest, obj: PolicySettings | None = None
    ) -> bool:
        return False


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
