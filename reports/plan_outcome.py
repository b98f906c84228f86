"""The plan's yearly outcome report: each agency's results per task, the figures filled in from the
records, which agencies have reported, and the lead agency's consolidation."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import Forbidden, NotFound
from core.models import Agency, Role, Unit, User
from core.roles import AGENCY_WORKERS, PLAN_OUTCOME_READERS
from core.scope import scope_for
from reports.models import Consolidation, Plan, PlanSection, PlanTask, TaskResult
from reports.services import indicators_for


def current_plan() -> Plan:
    plan = Plan.objects.order_by("-issued_on").first()
    if plan is None:
        raise NotFound(_("No plan is loaded: run manage.py load_plan."))
    return plan


def my_agencies(user: User) -> QuerySet[Agency]:
    return Agency.objects.filter(
        pk__in=scope_for(user).agency_ids(*AGENCY_WORKERS), is_active=True
    ).select_related("kind", "jurisdiction")


def reports_on(agency: Agency, section: PlanSection) -> bool:
    return "*" in section.agency_kinds or agency.kind.code in section.agency_kinds


def expected_agencies(section: PlanSection, province_path: str) -> QuerySet[Agency]:
    agencies = Agency.objects.filter(is_active=True, jurisdiction__path__startswith=province_path)
    if "*" in section.agency_kinds:
        return agencies.exclude(kind__code__in=["hotline_111", "school", "commune_committee"])
    return agencies.filter(kind__code__in=section.agency_kinds)


@transaction.atomic
def task_result_record(*, actor: User, task_id: int, year: int, text: str) -> TaskResult:
    """An agency records what it did for one of its tasks in the year (Plan 114 §IV)."""
    task = PlanTask.objects.select_related("section").filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    agencies = [a for a in my_agencies(actor) if reports_on(a, task.section)]
    if not agencies:
        raise Forbidden(_("Your agency does not report on this task."))
    if not text.strip():
        raise ValidationError({"text": [_("Describe what was done.")]})
    result, _created = TaskResult.objects.update_or_create(
        task=task, agency=agencies[0], year=year, defaults={"text": text, "recorded_by": actor}
    )
    audit(actor=actor, action="plan.result", target=result, details={"year": year})
    return result


@transaction.atomic
def consolidate(*, actor: User, year: int, notes: str = "") -> Consolidation:
    plan = current_plan()
    leads = [a for a in my_agencies(actor) if a.kind.code == plan.consolidated_by]
    if not leads:
        raise Forbidden(_("Only the lead agency consolidates the report."))
    consolidation, _created = Consolidation.objects.update_or_create(
        plan=plan, year=year, agency=leads[0], defaults={"consolidated_by": actor, "notes": notes}
    )
    audit(actor=actor, action="plan.consolidate", target=consolidation, details={"year": year})
    return consolidation


def may_read(user: User) -> bool:
    scope = scope_for(user)
    return scope.has_role(*PLAN_OUTCOME_READERS)


def province_of(path: str) -> str:
    """ "2025/37/14428/" → "2025/37/"."""
    return "/".join(path.split("/")[:2]) + "/"


def outcome_report(*, user: User, year: int, unit: str) -> dict[str, Any]:
    """The report for the province of `unit`. Its figures leave the case-handling agencies, so
    they are always suppressed; agencies without a report unit see the texts only."""
    if not may_read(user):
        raise NotFound()
    plan = current_plan()
    indicators = None
    if scope_for(user).has_role(Role.MANAGER, Role.PROVINCIAL_OFFICER):
        indicators = indicators_for(user=user, year=year, unit=unit, export=True)
    tables = {t["key"]: t for t in indicators["tables"]} if indicators else {}
    if indicators:
        shown = Unit.objects.get(
            structure=indicators["unit"]["structure"], code=indicators["unit"]["code"]
        )
        province_path = province_of(shown.path)
    else:
        agency = my_agencies(user).first()
        province_path = province_of(agency.jurisdiction.path) if agency else ""
    results = TaskResult.objects.filter(task__section__plan=plan, year=year).select_related(
        "agency", "task"
    )
    by_task: dict[int, list[TaskResult]] = {}
    for result in results:
        by_task.setdefault(result.task_id, []).append(result)
    sections = []
    for section in plan.sections.prefetch_related("tasks"):
        expected = list(expected_agencies(section, province_path)) if province_path else []
        reported = {r.agency_id for task in section.tasks.all() for r in by_task.get(task.pk, [])}
        sections.append(
            {
                "number": section.number,
                "title": section.title,
                "agencies": [
                    {"id": a.pk, "name": a.name, "reported": a.pk in reported} for a in expected
                ],
                "tasks": [
                    {
                        "id": task.pk,
                        "number": task.number,
                        "text": task.text,
                        "results": [
                            {"agency": r.agency.name, "text": r.text}
                            for r in by_task.get(task.pk, [])
                        ],
                        "figures": [tables[key] for key in task.figures if key in tables],
                    }
                    for task in section.tasks.all()
                ],
            }
        )
    consolidation = Consolidation.objects.filter(plan=plan, year=year).first()
    return {
        "plan": {"code": plan.code, "title": plan.title},
        "year": year,
        "unit": indicators["unit"] if indicators else None,
        "consolidated_at": consolidation.consolidated_at if consolidation else None,
        "sections": sections,
    }
