from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.models import Role
        from core.navigation import NavItem, register_nav
        from reports import benchmark  # noqa: F401 — registers the benchmark
        from reports.plan_outcome import AGENCY_ROLES
        from reports.services import REPORT_ROLES

        register_nav(NavItem(_("Reports"), "reports:dashboard", frozenset(REPORT_ROLES), order=80))
        plan_roles = frozenset({Role.MANAGER, Role.PROVINCIAL_OFFICER, *AGENCY_ROLES})
        register_nav(NavItem(_("Plan outcome report"), "reports:plan", plan_roles, order=85))
