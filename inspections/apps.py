from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from core.demo import register_seeder
        from core.models import Role
        from core.navigation import NavItem, register_nav, register_panel
        from core.roles import INSPECTION_OVERSEERS
        from inspections import clocks, demo, panels

        clocks.register()
        register_nav(
            NavItem(
                _("Inspections"),
                "inspections:list",
                frozenset({Role.INSPECTOR, *INSPECTION_OVERSEERS, Role.AGENCY_HEAD}),
                order=60,
            )
        )
        register_seeder(demo.seed_inspections)
        register_panel(panels.inspections_panel)
