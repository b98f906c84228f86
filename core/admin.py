"""Configuration screens for the sysadmin: units, agencies, users and roles, the calendar, the
policy defaults.

The law's holidays are read-only here (computed by the holidays library); the government's yearly
decisions, the policy clocks' spans and the policy settings are edited here, each change recorded
in the audit trail (who, when, old → new) and shown on the record's page.

Every other add, change and delete made in the admin is a row of the product's audit trail too
(`admin.add`, `admin.change`, `admin.delete`, with the names of the fields that changed, never
their values): the admins below through `AuditedWritesAdmin`, the other apps' admins through
Django's own admin log (`mirror_admin_log`, `delete_selected`). Users, roles and groups follow the
separation of duties of core/grants.py: nobody grants themselves anything.
"""

import json
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext, ngettext_lazy

from core import grants
from core.admin_base import ModelAdmin
from core.audit import audit
from core.clocks import clock_label, registered_kinds
from core.estimates import table_rows
from core.models import (
    Agency,
    AgencyKind,
    AuditEvent,
    CalendarDecision,
    ClockPolicy,
    Holiday,
    PolicySettings,
    Role,
    RoleMembership,
    Unit,
    User,
)
from core.policy import audited_values, changes

# Strings of Django's admin that its Vietnamese catalogue lacks (Django 5.2): listed here so that
# `make messages` brings them into ours, which Django reads first. Never called.
DJANGO_ADMIN_MESSAGES = (
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Skip to main content"),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    ngettext_lazy("entry", "entries"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Set password"),
    gettext_noop("Set password: %s"),
    gettext_noop("Reset password"),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Password-based authentication"),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP."
    ),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    gettext_noop(
        "Enter a valid username. This value may contain only unaccented lowercase a-z and "
        "uppercase A-Z letters, numbers, and @/./+/-/_ characters."
    ),
    gettext_noop("Enter a valid JSON."),
)

# The fields of Django's password forms: in the trail they are all "password".
PASSWORD_FIELDS = frozenset({"password1", "password2", "usable_password", "set_usable_password"})
ADMIN_VERBS = {ADDITION: "add", CHANGE: "change", DELETION: "delete"}


def changed_fields(form: forms.BaseForm) -> list[str]:
    """The names of the fields the form changed, a password's under "password"."""
    return sorted({"password" if name in PASSWORD_FIELDS else name for name in form.changed_data})


def audit_admin_write(
    request: HttpRequest, verb: str, obj: models.Model, fields: list[str]
) -> None:
    """One row of the trail for one record added, changed or deleted in the admin."""
    actor = request.user
    assert isinstance(actor, User)  # the admin is behind its login
    if isinstance(obj, RoleMembership):
        grants.record_role_change(actor=actor, membership=obj, verb=verb, fields=fields)
    else:
        audit(actor=actor, action=f"admin.{verb}", target=obj, details={"fields": fields})


class AuditedWritesAdmin(ModelAdmin):
    """Every add, change and delete, the records of its inlines too, is a row of the audit
    trail: `admin.add|change|delete`, the record, the names of the fields that changed."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        fields = changed_fields(form)
        if fields or not change:  # a page saved for its inlines only: their rows say it all
            audit_admin_write(request, "change" if change else "add", obj, fields)

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool
    ) -> None:
        for doomed in formset.deleted_forms:
            if doomed.instance.pk is not None:
                audit_admin_write(request, "delete", doomed.instance, [])
        super().save_formset(request, form, formset, change)
        form_of = {id(inline.instance): inline for inline in formset.forms}
        for obj in formset.new_objects:
            audit_admin_write(request, "add", obj, changed_fields(form_of[id(obj)]))
        for obj, fields in formset.changed_objects:
            audit_admin_write(request, "change", obj, sorted(fields))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_admin_write(request, "delete", obj, [])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            audit_admin_write(request, "delete", obj, [])
        super().delete_queryset(request, queryset)


@admin.register(Unit)
class UnitAdmin(AuditedWritesAdmin):
    list_display = ["code", "name", "level", "division_type", "structure", "valid_from", "valid_to"]
    list_filter = ["structure", "level"]
    search_fields = ["code", "name", "search_name"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]
    list_select_related = ["parent"]


@admin.register(AgencyKind)
class AgencyKindAdmin(AuditedWritesAdmin):
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
class AgencyAdmin(AuditedWritesAdmin):
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
    """A user's roles. Nobody adds or changes their own (core/grants.py); each role added,
    changed or removed is a row of the trail, and one that reads children's data is told to
    the province's provincial officers."""

    model = RoleMembership
    extra = 1
    autocomplete_fields = ["unit", "agency"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        actor = request.user

        class NoSelfGrant(formset):  # type: ignore[misc, valid-type]  # built by Django at run time
            def clean(self) -> None:
                super().clean()
                granting = [
                    form
                    for form in self.forms
                    if form.has_changed() and not self._should_delete_form(form)
                ]
                if granting and isinstance(actor, User):
                    refusal = grants.role_refusal(actor=actor, user=self.instance)
                    if refusal is not None:
                        raise ValidationError(refusal)

        return NoSelfGrant


def no_self_grant(form_class: type[forms.ModelForm], actor: User) -> type[forms.ModelForm]:
    """The user form, refusing the privileges `actor` may not give (core/grants.py)."""

    class PrivilegesChecked(form_class):  # type: ignore[valid-type, misc]  # a form class
        def clean(self) -> dict[str, Any]:
            super().clean()
            cleaned = self.cleaned_data
            before = grants.Privileges.of(self.instance if self.instance.pk else None)
            after = grants.Privileges(
                is_superuser=cleaned.get("is_superuser", before.is_superuser),
                is_staff=cleaned.get("is_staff", before.is_staff),
                permissions=ids_of(cleaned.get("user_permissions"), before.permissions),
                groups=ids_of(cleaned.get("groups"), before.groups),
            )
            user = self.instance if self.instance.pk else None
            for field, refusal in grants.privilege_refusals(
                actor=actor, user=user, before=before, after=after
            ).items():
                self.add_error(field if field in self.fields else None, refusal)
            return cleaned

    return PrivilegesChecked


def ids_of(chosen: QuerySet | None, unchanged: frozenset[int]) -> frozenset[int]:
    if chosen is None:  # not on this form
        return unchanged
    return frozenset(item.pk for item in chosen)


def outranked(request: HttpRequest, user: User | None) -> bool:
    """Whether the account holds a privilege the administrator asking does not."""
    return (
        user is not None and isinstance(request.user, User) and grants.outranks(user, request.user)
    )


@admin.register(User)
class UserAdmin(AuditedWritesAdmin, DjangoUserAdmin):
    """Users, their roles and privileges. Nobody grants themselves a role, staff or superuser
    status, a permission or a group; only a superuser makes a superuser (core/grants.py)."""

    inlines = [RoleMembershipInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Contact"), {"fields": ("phone",)}),
    )
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "role_list"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "memberships__role"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        memberships = RoleMembership.objects.select_related("unit", "agency")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(models.Prefetch("memberships", queryset=memberships))
        )

    @admin.display(description=_("roles"))
    def role_list(self, user: User) -> str:
        return "; ".join(
            f"{membership.get_role_display()} ({membership.unit or membership.agency})"
            if membership.unit or membership.agency
            else str(membership.get_role_display())
            for membership in user.memberships.all()
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        assert isinstance(request.user, User)  # the admin is behind its login
        return no_self_grant(form, request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Nobody changes an account that holds more than they do (core/grants.py): its page is
        read-only to them and its password page refused."""
        return not outranked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not outranked(request, obj) and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        """Without the password of an account the administrator may not change: its button
        would only lead to a refusal."""
        fieldsets = super().get_fieldsets(request, obj)
        if not outranked(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        # The new password and its row in the trail are written together or not at all.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        # The password page saves without save_model(): its row of the trail is written here,
        # the one place Django hands over its form. The form's other pages go through save_model.
        if isinstance(form, AdminPasswordChangeForm):
            assert isinstance(request.user, User)  # the admin is behind its login
            grants.record_password_set(actor=request.user, user=form.user)
        return super().construct_change_message(request, form, formsets, add)


admin.site.unregister(Group)


class GroupForm(forms.ModelForm):
    actor: User

    class Meta:
        model = Group
        fields = ["name", "permissions"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        chosen = cleaned.get("permissions")
        if chosen is not None:
            before = (
                set(self.instance.permissions.values_list("pk", flat=True))
                if self.instance.pk
                else set()
            )
            added = chosen.exclude(pk__in=before)
            refusal = grants.group_permission_refusal(
                actor=self.actor, group=self.instance, added=added
            )
            if refusal is not None:
                self.add_error("permissions", refusal)
        return cleaned


@admin.register(Group)
class GroupAdmin(AuditedWritesAdmin, DjangoGroupAdmin):
    """Django's groups, under the same rules: nobody gives permissions to a group they belong
    to, nor permissions they do not hold."""

    form = GroupForm

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        assert isinstance(request.user, User)  # the admin is behind its login
        return type(form.__name__, (form,), {"actor": request.user})


class AuditedAdmin(ModelAdmin):
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
                            f"{self.field_label(name)}: {self.value_label(name, old)}"
                            f" → {self.value_label(name, new)}"
                            for name, (old, new) in event.details.get("changes", {}).items()
                        ),
                    )
                    for event in events
                ),
            )
            or "—"
        )

    change_history.short_description = _("changes")  # type: ignore[attr-defined]  # admin label

    def field_label(self, name: str) -> str:
        """A changed field by its label; the trail records its name."""
        try:
            return capfirst(str(self.model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # a field since removed
            return name

    def value_label(self, name: str, value: Any) -> str:
        """A recorded value as the form showed it: a choice by its label, nothing as "—"."""
        if value is None or value == "":
            return "—"
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return str(value)
        choices = dict(getattr(field, "flatchoices", None) or ())
        return str(choices.get(value, value))

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
class HolidayAdmin(AuditedWritesAdmin):
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
    list_display = ["label", "hours", "days", "working_days", "changed_by", "changed_at"]
    search_fields = ["kind"]
    fields = ["kind", "hours", "days", "working_days", "changed_by", "changed_at", "change_history"]
    readonly_fields = ["changed_by", "changed_at", "change_history"]
    list_select_related = ["changed_by"]
    audited_fields = ["kind", "hours", "days", "working_days"]
    audit_name = "clock_policy"

    @admin.display(description=_("deadline"), ordering="kind")
    def label(self, obj: ClockPolicy) -> str:
        return clock_label(obj.kind)

    def value_label(self, name: str, value: Any) -> str:
        if name == "kind" and value:
            return clock_label(value)
        return super().value_label(name, value)


def escalation_text(chain: list[Any]) -> str:
    """[[role, hours after the breach], …] as the roles' names and the hours in words; a step
    that is not well formed (the form refuses it) reads as it is."""
    steps = []
    for step in chain:
        try:
            role, hours = step
            name = Role(role).label
            if not isinstance(hours, int):
                raise TypeError(hours)
        except (TypeError, ValueError):
            steps.append(str(step))
            continue
        when = (
            _("at the breach")
            if not hours
            else ngettext(
                "%(hours)s hour after the breach", "%(hours)s hours after the breach", hours
            )
            % {"hours": hours}
        )
        steps.append(f"{name}: {when}")
    return "; ".join(steps) or "—"


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
        "escalation_steps",
        "small_count_threshold",
        "grant_days",
        "grant_max_days",
        "break_glass_hours",
        "changed_by",
        "changed_at",
        "change_history",
    ]
    readonly_fields = ["escalation_steps", "changed_by", "changed_at", "change_history"]
    audited_fields = [
        "reminder_percent",
        "escalation_chain",
        "small_count_threshold",
        "grant_days",
        "grant_max_days",
        "break_glass_hours",
    ]
    audit_name = "policy_settings"

    @admin.display(description=_("who is alerted, and when"))
    def escalation_steps(self, obj: PolicySettings | None) -> str:
        if obj is None or obj.pk is None:
            return "—"
        return escalation_text(obj.escalation_chain)

    def value_label(self, name: str, value: Any) -> str:
        if name == "escalation_chain" and isinstance(value, list):
            return escalation_text(value)
        return super().value_label(name, value)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not PolicySettings.objects.exists()

    def has_delete_permission(
        self, request: HttpRequest, obj: PolicySettings | None = None
    ) -> bool:
        return False


# The trail's actions, each found from the last through the (action, at) index: a loose index
# scan, a few probes per action, where `SELECT DISTINCT action` read the whole trail.
ACTIONS_IN_THE_TRAIL = """
WITH RECURSIVE found(action) AS (
    SELECT min(action) FROM core_auditevent
    UNION ALL
    SELECT (SELECT min(event.action) FROM core_auditevent event WHERE event.action > found.action)
    FROM found WHERE found.action IS NOT NULL
)
SELECT action FROM found WHERE action IS NOT NULL
"""


# Past this many rows, an unfiltered long table is counted by the planner's estimate.
ESTIMATE_ABOVE = 100_000


class EstimatedCountPaginator(Paginator):
    """The admin's pages of a table too long to count on every page (the audit trail, the
    outbox: millions of rows): unfiltered, on PostgreSQL, the planner's estimate of its rows
    once it holds more than ESTIMATE_ABOVE, shown as an estimate
    (admin/estimated_pagination.html); filtered, or smaller, the exact count."""

    estimated = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet) and not rows.query.where:
            estimate = table_rows(rows.model, rows.db)
            if estimate is not None and estimate > ESTIMATE_ABOVE:
                self.estimated = True
                return estimate
        return super().count


class AuditActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(ACTIONS_IN_THE_TRAIL)
            return [(action, action) for (action,) in cursor.fetchall()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ModelAdmin):
    """Read-only: the trail is evidence and nobody edits it."""

    list_display = ["at", "actor_name", "action", "record_kind", "object_id", "ip"]
    list_filter = [AuditActionFilter]
    search_fields = ["object_id", "actor__username"]
    list_select_related = ["actor"]
    # The trail grows with every read of a child's record. Newest first by the primary key, the
    # order the chain was written in, read from its index instead of sorting the trail; the
    # whole trail estimated rather than counted, no count of it beside a filtered list, and no
    # counts per filter choice.
    ordering = ["-id"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    fields = [
        "at",
        "actor_name",
        "action",
        "record_kind",
        "object_id",
        "ip",
        "reason",
        "details",
        "previous_hash",
        "chain_hash",
    ]
    readonly_fields = ["actor_name", "record_kind"]

    @admin.display(description=_("actor"), ordering="actor__username")
    def actor_name(self, event: AuditEvent) -> str:
        return str(event.actor) if event.actor is not None else str(_("system"))

    @admin.display(description=_("object type"), ordering="object_type")
    def record_kind(self, event: AuditEvent) -> str:
        """The kind of record by its name; the trail keeps "app.model"."""
        try:
            model = apps.get_model(event.object_type)
        except (LookupError, ValueError):  # none, or a model since removed
            return event.object_type or "—"
        return capfirst(str(model._meta.verbose_name))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- The other apps' admins ----------------------------------------------------------------------
# Their ModelAdmins are theirs; what the admin does to their records reaches the product's trail
# through Django's admin log, which every admin view writes after an add, a change or a delete.


def writes_own_trail(model: type[models.Model] | None) -> bool:
    """Whether the model's admin already writes the trail (the admins of this module)."""
    if model is None:
        return False
    try:
        model_admin = admin.site.get_model_admin(model)
    except NotRegistered:
        return False
    return isinstance(model_admin, AuditedWritesAdmin | AuditedAdmin)


def field_names(model: type[models.Model], labels: list[str]) -> list[str]:
    """The admin log names fields by their English labels; the trail uses their names."""
    with translation.override(None):
        by_label = {
            capfirst(str(field.verbose_name)): field.name
            for field in model._meta.get_fields()
            if hasattr(field, "verbose_name")
        }
    return sorted(by_label.get(label, label) for label in labels)


def logged_changes(model: type[models.Model], message: str) -> dict[str, Any]:
    """{"fields": [...], "related": [...]} from a log entry's message (JSON, or older text)."""
    try:
        parts = json.loads(message) if message else []
    except json.JSONDecodeError:
        return {"fields": []}
    fields: list[str] = []
    related: list[dict[str, Any]] = []
    for part in parts if isinstance(parts, list) else []:
        for verb, what in part.items():
            if isinstance(what, dict) and "name" in what:
                related.append({"verb": verb, **what})
            elif isinstance(what, dict):
                fields += field_names(model, what.get("fields", []))
    return {"fields": sorted(set(fields)), **({"related": related} if related else {})}


@receiver(post_save, sender=LogEntry, dispatch_uid="core.admin.mirror_admin_log")
def mirror_admin_log(
    sender: type[LogEntry], instance: LogEntry, created: bool, **kwargs: Any
) -> None:
    """Each entry of Django's admin log, for a model whose admin is not one of ours, becomes a
    row of the trail: `admin.add|change|delete`, the record, the names of the fields."""
    if not created or instance.action_flag not in ADMIN_VERBS:
        return
    content_type = instance.content_type
    model = content_type.model_class() if content_type is not None else None
    if model is None or writes_own_trail(model):
        return
    audit(
        actor=instance.user,
        action=f"admin.{ADMIN_VERBS[instance.action_flag]}",
        object_type=model._meta.label_lower,
        object_id=str(instance.object_id or ""),
        details=logged_changes(model, instance.change_message),
    )


@admin.action(permissions=["delete"], description=django_delete_selected.short_description)  # type: ignore[attr-defined]  # set by Django's decorator
def delete_selected(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> HttpResponse | None:
    """Django's action; when it deletes several records of another app's model at once, its log
    entries are inserted in bulk, which sends no signal: each is written to the trail here."""
    confirmed = bool(request.POST.get("post"))
    before = [] if not confirmed or writes_own_trail(modeladmin.model) else list(queryset)
    response = django_delete_selected(modeladmin, request, queryset)
    if response is None and len(before) > 1:  # None: deleted, back to the list
        for obj in before:
            audit(
                actor=request.user,
                action="admin.delete",
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                details={"fields": []},
            )
    return response


admin.site.add_action(delete_selected, "delete_selected")
