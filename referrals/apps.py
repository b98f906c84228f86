from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from cases import services as case_services
        from cases.closure import register_closure_blocker
        from cases.events import CaseStepTaken, TransferDecided
        from cases.labels import register_event_labels
        from cases.page import register_case_section
        from cases.todo import register_todo
        from cases.visibility import register_access_rule
        from core.demo import register_defaults, register_seeder
        from core.events import subscribe
        from core.navigation import NavItem, register_nav, register_panel
        from core.roles import AGENCY_WORKERS, CASE_HANDLERS
        from referrals import access, case_events, clocks, demo, page, panels, pathways, services
        from referrals.providers import providers
        from referrals.workflow import PAST_TENSE, REFERRAL_WORKFLOW

        clocks.register()
        register_access_rule(access.ReferralRule())
        register_closure_blocker(services.closure_blocker)
        case_services.register_plan_approved_hook(services.raise_plan_referrals)
        case_services.register_plan_validator(services.check_plan_measures)
        case_services.register_measure_agencies(lambda case: providers(case.unit_path))
        register_defaults(pathways.ensure_default_pathway)
        register_nav(
            NavItem(
                _("Referrals"),
                "referrals:inbox",
                frozenset({*AGENCY_WORKERS, *CASE_HANDLERS}),
                order=40,
            )
        )
        register_seeder(demo.seed_referrals)
        subscribe(TransferDecided, case_events.on_transfer_decided)
        subscribe(CaseStepTaken, case_events.on_case_step)
        register_case_section(page.case_referrals_section)
        register_todo(page.referral_todo)
        register_panel(panels.referrals_panel)
        # The history names each step as the workflow's table does.
        register_event_labels(
            {f"referral_{PAST_TENSE[step.name]}": step.done for step in REFERRAL_WORKFLOW.steps}
            | {
                "referral_sent": _("Referral sent"),
                "referral_waived": _("Required service waived"),
            }
        )
