from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core: units, agencies, people")

    def ready(self) -> None:
        from core import panels
        from core.navigation import NavItem, register_nav, register_panel
        from core.scope import ALL_ROLES

        register_nav(NavItem(_("Home"), "home", frozenset(ALL_ROLES), order=0))
        register_nav(NavItem(_("Administration"), "admin:index", frozenset({"sysadmin"}), 900))
        register_nav(NavItem(_("API"), "api-docs", frozenset(ALL_ROLES), order=950))
        register_panel(panels.configuration_panel)
        register_panel(panels.roles_panel)
