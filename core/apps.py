from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core: units, agencies, people")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from core import panels
        from core.input_guard import clamp_unreadable_dates
        from core.navigation import NavItem, register_nav, register_panel
        from core.scope import ALL_ROLES

        register_nav(NavItem(_("Home"), "home", frozenset(ALL_ROLES), order=0))
        register_nav(NavItem(_("Administration"), "admin:index", frozenset({"sysadmin"}), 900))
        # The API's docs stay at /api/docs/ for everyone; the menu offers them to the sysadmin,
        # who sets programs up, not to staff who never use them.
        register_nav(NavItem(_("API"), "api-docs", frozenset({"sysadmin"}), order=950))
        register_panel(panels.configuration_panel)
        register_panel(panels.roles_panel)
        # A stored date Python cannot hold reads as the nearest one it can (PostgreSQL).
        connection_created.connect(clamp_unreadable_dates, dispatch_uid="clamp_unreadable_dates")
