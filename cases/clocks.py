"""The clocks of a case (DOMAIN §7): spans, labels and owners, registered once in core."""

from django.utils.translation import gettext_lazy as _

from cases.models import Case
from core.clocks import ClockKind, Span, register_clock_kind
from core.models import Clock, Role, User
from core.staff import staff_of_unit

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


def commune_officers(clock: Clock, case: Case) -> list[User]:
    """The officers of the commune the clock started in: they assess, plan and review."""
    return staff_of_unit(clock.unit_path, Role.COMMUNE_OFFICER)


def commune_chairs(clock: Clock, case: Case) -> list[User]:
    """The chair decides on the plan."""
    return staff_of_unit(clock.unit_path, Role.COMMUNE_CHAIR)


def case_code(case: Case) -> str:
    return case.code


def case_link(case: Case) -> str:
    return f"/cases/{case.pk}/"


def register() -> None:
    for kind, span, owners in (
        (INITIAL_ASSESSMENT, Span(hours=12), commune_officers),  # law
        (PLAN_SUBMISSION, Span(working_days=5), commune_officers),  # law
        (PLAN_DECISION, Span(working_days=2), commune_chairs),  # policy default
        (REVIEW, Span(days=30), commune_officers),  # policy default
    ):
        register_clock_kind(
            ClockKind(
                kind=kind,
                label=LABELS[kind],
                span=span,
                model=Case,
                owners=owners,
                code=case_code,
                link=case_link,
            )
        )
