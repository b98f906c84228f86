from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from notifications import outbox
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, for the sysadmin to see what failed and send it again."""

    list_display = ["created_at", "event", "recipient", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["recipient__username", "key"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry"]

    @admin.action(description=_("Try the selected notifications again"))
    def retry(self, request, queryset) -> None:
        ids = outbox.retry(actor=request.user, ids=queryset.values_list("pk", flat=True))
        messages.success(request, _("%(count)d notifications queued again.") % {"count": len(ids)})

    def has_add_permission(self, request) -> bool:
        return False
