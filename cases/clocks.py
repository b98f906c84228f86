"""The clocks of a case (DOMAIN §7): spans, labels and owners, registered once in core."""

from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.sections import ASSESSMENTS, CARERS, CLOSURE, PLAN, REPORT
from core.clocks import ClockKind, Span, register_clock_kind
from core.models import Clock, Role, User
from core.staff import staff_of_unit

INITIAL_ASSESSMENT = "case_initial_assessment"
PLAN_SUBMISSION = "case_plan_submission"
# A plan returned by the chair or revised after a review: the law fixes no time for it again.
PLAN_RESUBMISSION = "case_plan_resubmission"
PLAN_DECISION = "case_plan_decision"
REVIEW = "case_review"
REVIEW_CONCLUSION = "case_review_conclusion"
CLOSURE_DECISION = "case_closure_decision"
SEPARATION_DECISION = "case_separation_decision"
SEPARATION_END = "case_separation_end"

LABELS = {
    INITIAL_ASSESSMENT: _("Initial assessment or emergency decision (12 hours, Decree 56 Art. 26)"),
    PLAN_SUBMISSION: _("Plan submitted (5 working days, Decree 56 Art. 28)"),
    PLAN_RESUBMISSION: _("Returned or revised plan submitted again (5 working days)"),
    PLAN_DECISION: _("Plan decision by the chair (2 working days)"),
    REVIEW: _("Review of the intervention (30 days)"),
    REVIEW_CONCLUSION: _("Review concluded: closure proposed or plan revised (30 days)"),
    CLOSURE_DECISION: _("Closure decision by the chair (2 working days)"),
    SEPARATION_DECISION: _("Separation decision by the chair (12 hours, Decree 56 Art. 32)"),
    SEPARATION_END: _("End of the temporary separation (Decree 56 Art. 32)"),
}

# The sections whose readers are shown each clock: a separation's deadlines would tell an agency
# what the assessments hide. The initial assessment's 12 hours run from the report's receipt,
# which its readers see; a separation's end is also when the child's whereabouts change, which
# the carers' section tells (`current_placement`, until its end).
SECTIONS: dict[str, frozenset[str]] = {
    INITIAL_ASSESSMENT: frozenset({REPORT}),
    PLAN_SUBMISSION: frozenset({PLAN}),
    PLAN_RESUBMISSION: frozenset({PLAN}),
    PLAN_DECISION: frozenset({PLAN}),
    REVIEW: frozenset({PLAN}),
    REVIEW_CONCLUSION: frozenset({PLAN}),
    CLOSURE_DECISION: frozenset({CLOSURE}),
    SEPARATION_DECISION: frozenset({ASSESSMENTS}),
    SEPARATION_END: frozenset({ASSESSMENTS, CARERS}),
}


def readable(kind: str, shown: frozenset[str]) -> bool:
    """Whether a reader of the `shown` sections is shown a case's clock of `kind`."""
    return bool(SECTIONS[kind] & shown)


def readable_clocks(clocks: list[Clock], shown: frozenset[str]) -> list[Clock]:
    return [clock for clock in clocks if readable(clock.kind, shown)]


def commune_officers(clock: Clock, case: Case) -> list[User]:
    """The officers of the commune the clock started in: they assess, plan and review."""
    return staff_of_unit(clock.unit_path, Role.COMMUNE_OFFICER)


def commune_chairs(clock: Clock, case: Case) -> list[User]:
    """The chair decides on the plan, the closure and the separation."""
    return staff_of_unit(clock.unit_path, Role.COMMUNE_CHAIR)


def chairs_and_officers(clock: Clock, case: Case) -> list[User]:
    """A separation's end: the chair extends it before, the officers see to the child after."""
    return staff_of_unit(clock.unit_path, Role.COMMUNE_CHAIR, Role.COMMUNE_OFFICER)


def case_code(case: Case) -> str:
    return case.code


def case_link(case: Case) -> str:
    return f"/cases/{case.pk}/"


# The clocks the law fixes: an administrator's deadline policy cannot change them (DOMAIN §7).
LEGAL_BASIS = {
    INITIAL_ASSESSMENT: "Decree 56/2017 Art. 26",
    PLAN_SUBMISSION: "Decree 56/2017 Art. 28",
    SEPARATION_DECISION: "Decree 56/2017 Art. 32",
    SEPARATION_END: "Decree 56/2017 Art. 32",
}


def register() -> None:
    for kind, span, owners in (
        (INITIAL_ASSESSMENT, Span(hours=12), commune_officers),  # law
        (PLAN_SUBMISSION, Span(working_days=5), commune_officers),  # law
        (PLAN_RESUBMISSION, Span(working_days=5), commune_officers),  # policy default
        (PLAN_DECISION, Span(working_days=2), commune_chairs),  # policy default
        (REVIEW, Span(days=30), commune_officers),  # policy default
        (REVIEW_CONCLUSION, Span(days=30), commune_officers),  # policy default
        (CLOSURE_DECISION, Span(working_days=2), commune_chairs),  # policy default
        (SEPARATION_DECISION, Span(hours=12), commune_chairs),  # law
        # Started with the decision's own end (its period, at most 15 days in all, Art. 32).
        (SEPARATION_END, Span(days=15), chairs_and_officers),  # law: the maximum
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
                legal_basis=LEGAL_BASIS.get(kind, ""),
                # A separation is not overdue when its period runs out: it ends (Art. 32(2)).
                end_event="separation_ended" if kind == SEPARATION_END else "",
            )
        )
