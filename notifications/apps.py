from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        import notifications.health  # noqa: F401 — registers the outbox check of /healthz
        from core.navigation import register_panel
        from notifications import (  # noqa: F401 — registers the benchmark
            access_subscribers,
            benchmark,
            inspection_subscribers,
            panels,
            subscribers,
        )

        subscribers.register()
        inspection_subscribers.register()
        access_subscribers.register()
        register_panel(panels.failed_notifications_panel)
