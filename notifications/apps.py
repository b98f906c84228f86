from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core.events import subscribe
        from core.navigation import register_panel
        from notifications import benchmark, panels  # noqa: F401 — registers the benchmark

        subscribe("*", self.route)
        register_panel(panels.failed_notifications_panel)

    @staticmethod
    def route(event: str, **payload) -> None:
        if event.startswith("case."):
            from notifications.subscribers import on_case_event

            on_case_event(event, **payload)
