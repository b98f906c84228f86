from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases import clocks, demo, panels
        from core.demo import register_seeder
        from core.models import Role
        from core.navigation import NavItem, register_nav, register_panel
        from core.roles import CASE_RECORDERS

        clocks.register()
        case_roles = frozenset(
            {
                Role.COMMUNE_OFFICER,
                Role.COMMUNE_CHAIR,
                Role.DISTRICT_OFFICER,
                Role.PROVINCIAL_OFFICER,
            }
        )
        register_nav(NavItem(_("Cases"), "cases:list", case_roles, order=10))
        register_nav(
            NavItem(
                _("New report"),
                "cases:intake",
                frozenset(CASE_RECORDERS),
                order=20,
            )
        )
        register_nav(
            NavItem(_("Awaiting my decision"), "cases:queue", frozenset({Role.COMMUNE_CHAIR}), 30)
        )
        register_panel(panels.cases_panel)
        register_seeder(demo.seed_cases)
