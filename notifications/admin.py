from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification
from notifications.outbox import enqueue


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
        ids = list(queryset.exclude(status=Notification.Status.SENT).values_list("pk", flat=True))
        Notification.objects.filter(pk__in=ids).update(
            status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        enqueue(ids)
        messages.success(request, _("%(count)d notifications queued again.") % {"count": len(ids)})

    def has_add_permission(self, request) -> bool:
        return False
