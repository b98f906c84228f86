from django.contrib import admin, messages
from django.contrib.admin.utils import display_for_field
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.admin import EstimatedCountPaginator
from core.admin_base import ModelAdmin
from notifications import outbox, texts
from notifications.models import Notification


class EventFilter(admin.SimpleListFilter):
    """The kinds of notification in the outbox, by their names rather than their codes."""

    title = _("event")
    parameter_name = "event"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        # Every kind the product sends, not a scan of the outbox for the ones it holds.
        return sorted(((event, texts.label(event)) for event in texts.LABELS), key=lambda p: p[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(event=self.value())
        return queryset


@admin.register(Notification)
class NotificationAdmin(ModelAdmin):
    """The outbox, for the sysadmin to see what failed and send it again."""

    list_display = [
        "created_at",
        "event_label",
        "recipient_name",
        "channel",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "channel", EventFilter]
    search_fields = ["recipient__username", "key"]
    # Millions of rows at national scale: newest first by the primary key (the order they were
    # written in, which their times follow), read from its index instead of sorting the outbox;
    # the whole outbox estimated rather than counted, no count of it beside a filtered list, and
    # no counts per filter choice.
    ordering = ["-id"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # Read-only: the codes and parameters a row carries are shown as the recipient reads them.
    readonly_fields = [
        "created_at",
        "event_label",
        "message",
        "recipient_name",
        "channel",
        "status",
        "attempts",
        "next_attempt",
        "last_error",
        "sent_at",
        "read_at",
        "event_key",
        "target",
    ]
    fields = tuple(readonly_fields)
    actions = ["retry"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Every page names the recipient (the list, the record, the confirmations).
        return super().get_queryset(request).select_related("recipient")

    @admin.display(description=_("event"), ordering="event")
    def event_label(self, notification: Notification) -> str:
        return texts.label(notification.event)

    @admin.display(description=_("message"))
    def message(self, notification: Notification) -> str:
        """What the recipient is told, in the language of the page."""
        language = translation.get_language() or "vi"
        try:
            return texts.render(notification.event, notification.params, language)
        except (KeyError, ValueError, TypeError):  # an event no longer sent, or odd parameters
            return "—"

    @admin.display(description=_("recipient"), ordering="recipient__username")
    def recipient_name(self, notification: Notification) -> str:
        return str(notification.recipient)

    @admin.display(description=_("next attempt at"))
    def next_attempt(self, notification: Notification) -> str:
        # As the admin shows its other times: local, in the page's language.
        field = Notification._meta.get_field("next_attempt_at")
        return display_for_field(
            notification.next_attempt_at, field, self.get_empty_value_display()
        )

    @admin.display(description=_("event key"))
    def event_key(self, notification: Notification) -> str:
        return notification.key

    @admin.display(description=_("link"))
    def target(self, notification: Notification) -> str:
        return notification.link or "—"

    @admin.action(description=_("Try the selected notifications again"))
    def retry(self, request, queryset) -> None:
        ids = outbox.retry(actor=request.user, ids=queryset.values_list("pk", flat=True))
        messages.success(request, _("%(count)d notifications queued again.") % {"count": len(ids)})

    def has_add_permission(self, request) -> bool:
        return False
