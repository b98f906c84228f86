from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        import notifications.health  # noqa: F401 — registers the outbox check of /healthz
        from core.navigation import register_panel
        from notifications import benchmark, inspection_subscribers, panels, subscribers  # noqa: F401 — registers the benchmark

        subscribers.register()
        inspection_subscribers.register()
        register_panel(panels.failed_notifications_panel)
