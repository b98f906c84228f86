"""The clocks of a case (DOMAIN §7) and their spans."""

from django.utils.translation import gettext_lazy as _

from core.clocks import Span, register_clock

INITIAL_ASSESSMENT = "case_initial_assessment"
PLAN_SUBMISSION = "case_plan_submission"
PLAN_DECISION = "case_plan_decision"
REVIEW = "case_review"

LABELS = {
    INITIAL_ASSESSMENT: _("Initial assessment or emergency decision (12 hours, Decree 56 Art. 26)"),
    PLAN_SUBMISSION: _("Plan submitted (5 working days, Decree 56 Art. 28)"),
    PLAN_DECISION: _("Plan decision by the chair (2 working days)"),
    REVIEW: _("Review of the intervention (30 days)"),
}


def register() -> None:
    register_clock(INITIAL_ASSESSMENT, Span(hours=12))  # law
    register_clock(PLAN_SUBMISSION, Span(working_days=5))  # law
    register_clock(PLAN_DECISION, Span(working_days=2))  # policy default
    register_clock(REVIEW, Span(days=30))  # policy default
