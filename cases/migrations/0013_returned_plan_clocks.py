"""The clocks a returned or revised plan started before it had a kind of its own.

Until 2 December 2026 the chair's return of a plan (`return_plan`) and its revision after a
review (`revise_plan`) started the law's plan clock again, labelled "Decree 56 Art. 28"; Art. 28
fixes the plan's time once, from the report or an emergency's end. They now start
PLAN_RESUBMISSION, a policy default. This gives the clocks they started earlier that kind.

A step starts its clocks and then writes its history row, in one transaction (core/workflow.py,
`finish`), so the step that started a plan clock is the first of the plan-starting steps in
the case's history at or after the clock's start. The initial assessment's clock starts at the
report's time, before its step; the first such step after it is that assessment.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

PLAN_SUBMISSION = "case_plan_submission"
PLAN_RESUBMISSION = "case_plan_resubmission"
PLAN_STARTING_STEPS = ("assess_initial", "end_emergency", "return_plan", "revise_plan")
RESTARTING_STEPS = ("return_plan", "revise_plan")


def plan_clocks(apps):
    Clock = apps.get_model("core", "Clock")
    ContentType = apps.get_model("contenttypes", "ContentType")
    case_type = ContentType.objects.filter(app_label="cases", model="case").first()
    return Clock.objects.none() if case_type is None else Clock.objects.filter(subject_type=case_type)


def restarted_by_a_return(apps, schema_editor=None) -> int:
    CaseEvent = apps.get_model("cases", "CaseEvent")
    starting_step = (
        CaseEvent.objects.filter(
            case_id=OuterRef("subject_id"),
            action__in=PLAN_STARTING_STEPS,
            at__gte=OuterRef("started_at"),
        )
        .order_by("at", "id")
        .values("action")[:1]
    )
    restarted = (
        plan_clocks(apps)
        .filter(kind=PLAN_SUBMISSION)
        .annotate(step=Subquery(starting_step))
        .filter(step__in=RESTARTING_STEPS)
    )
    return plan_clocks(apps).filter(pk__in=restarted.values("pk")).update(kind=PLAN_RESUBMISSION)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_province_list_index"),
        ("core", "0012_clock_next_action"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Backwards, nothing to undo: the code before this migration already starts and reads the
    # clocks of their own kind.
    operations = [migrations.RunPython(restarted_by_a_return, migrations.RunPython.noop)]
