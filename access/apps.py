from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("Access to cases")

    def ready(self) -> None:
        from access import panels, rules, services
        from access.page import access_section, emergency_banner
        from cases.events import CaseStepTaken
        from cases.labels import register_event_labels
        from cases.page import register_case_banner, register_case_section
        from cases.visibility import register_access_rule
        from core.events import subscribe
        from core.models import Role
        from core.navigation import NavItem, register_nav, register_panel
        from core.roles import AGENCY_WORKERS

        register_access_rule(rules.GrantRule())
        subscribe(CaseStepTaken, services.on_case_step)
        register_case_section(access_section)
        register_case_banner(emergency_banner)
        register_panel(panels.review_panel)
        register_panel(panels.opened_to_me_panel)
        register_nav(
            NavItem(
                _("Emergency access"),
                "access:break_glass",
                frozenset({*AGENCY_WORKERS, Role.PROVINCIAL_OFFICER}),
                order=70,
            )
        )
        register_nav(
            NavItem(
                _("Who can see what"),
                "access:users",
                frozenset({Role.SYSADMIN, Role.PROVINCIAL_OFFICER}),
                order=80,
            )
        )
        register_event_labels(
            {
                "access_granted": _("Access to the case granted"),
                "access_revoked": _("Access to the case ended"),
                "break_glass": _("Case opened in an emergency"),
            }
        )
