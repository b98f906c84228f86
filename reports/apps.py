from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav
        from reports.services import REPORT_ROLES

        register_nav(NavItem(_("Reports"), "reports:dashboard", frozenset(REPORT_ROLES), order=80))
