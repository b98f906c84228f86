from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.navigation import NavItem, register_nav, register_panel
        from core.roles import INDICATOR_READERS, PLAN_OUTCOME_READERS
        from reports import (
            benchmark,  # noqa: F401 — registers the benchmark
            panels,
        )

        register_nav(
            NavItem(_("Reports"), "reports:dashboard", frozenset(INDICATOR_READERS), order=80)
        )
        plan_roles = frozenset(PLAN_OUTCOME_READERS)
        register_nav(NavItem(_("Plan outcome report"), "reports:plan", plan_roles, order=85))
        register_panel(panels.figures_panel)
