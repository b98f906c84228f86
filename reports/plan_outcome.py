"""The plan's yearly outcome report: each agency's results per task, the figures filled in from the
records, which agencies have reported, and the lead agency's consolidation.

The agencies that carry out a section are those of its kinds that existed at the year's end, in
the plan's province or the provinces that succeeded it; an agency that had ended hands its tasks to
its successors (the information department's to the culture department, the labour department's
child protection to the health department). So 2021–2024 results stay with the agencies of the
time and today's agencies take over — all of it data (kinds, validity, successors) an
administrator edits.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import Forbidden, NotFound
from core.models import Agency, AgencyKind, Role, Unit, UnitSuccession, User
from core.roles import AGENCY_WORKERS
from core.scope import scope_for, under_paths
from core.validators import FREE_TEXT_MAX_LENGTH
from reports.models import Consolidation, Plan, PlanSection, PlanTask, TaskResult
from reports.services import parse_year, shown_indicators

# The readers of the report who hold their role for a unit (the others work for an agency).
PLAN_OUTCOME_UNIT_READERS = (Role.MANAGER, Role.PROVINCIAL_OFFICER)
# Agencies that answer to others in the plan rather than report on "every agency" (III.1).
NOT_EVERY_AGENCY = ["hotline_111", "school", "commune_committee", "district_committee"]


def current_plan() -> Plan:
    plan = Plan.objects.order_by("-issued_on").first()
    if plan is None:
        raise NotFound(_("No plan is loaded: run manage.py load_plan."))
    return plan


def my_agencies(user: User) -> QuerySet[Agency]:
    return Agency.objects.filter(
        pk__in=scope_for(user).agency_ids(*AGENCY_WORKERS), is_active=True
    ).prefetch_related("kinds")


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def provinces_of(plan: Plan) -> list[Unit]:
    """The plan's province and the provinces that succeeded it."""
    if plan.province is None:
        return []
    after = UnitSuccession.objects.filter(predecessor=plan.province).values("successor")
    return [plan.province, *Unit.objects.filter(pk__in=after)]


def report_province(plan: Plan, year: int) -> Unit | None:
    """The province the year's figures are counted for: the one that existed at the year's end."""
    provinces = provinces_of(plan)
    valid = [unit for unit in provinces if unit.is_valid_on(year_end(year))]
    if valid:
        return valid[0]
    return provinces[-1] if provinces else None


def expected_agencies(plan: Plan, section: PlanSection, year: int) -> list[Agency]:
    """The agencies that carry out `section` for `year` (see `ProvinceAgencies.expected`)."""
    return ProvinceAgencies(provinces_of(plan)).expected(section, year_end(year))


class ProvinceAgencies:
    """The active agencies of the plan's provinces and of their successions, read once: each of
    the plan's sections then finds its agencies without a query (the report has a dozen)."""

    def __init__(self, provinces: list[Unit]) -> None:
        in_province = under_paths("jurisdiction__path", (p.path for p in provinces))
        self.of_province = list(
            Agency.objects.filter(in_province, is_active=True).prefetch_related("kinds")
        )
        self.by_pk = {agency.pk: agency for agency in self.of_province}
        self.successors: dict[int, set[int]] = {}
        unread = set(self.by_pk)
        for _depth in range(10):  # successions are short chains; the bound guards against a cycle
            if not unread:
                break
            edges = Agency.successors.through.objects.filter(from_agency__in=unread)
            for before, after in edges.values_list("from_agency_id", "to_agency_id"):
                self.successors.setdefault(before, set()).add(after)
            # Successors outside the provinces (an active one carries a duty on).
            missing = {pk for before in unread for pk in self.after(before)} - self.by_pk.keys()
            found = list(Agency.objects.filter(pk__in=missing, is_active=True)) if missing else []
            self.by_pk |= {agency.pk: agency for agency in found}
            unread = {agency.pk for agency in found}

    def after(self, pk: int) -> set[int]:
        return self.successors.get(pk, set())

    def expected(self, section: PlanSection, end: datetime.date) -> list[Agency]:
        """The agencies that carry out `section` in the year ending on `end`: those of its kinds
        that existed that day in the province. An agency whose predecessor of the same kind still
        existed then had not taken the duty over yet (the health department before it became the
        child-protection lead); one of those kinds that had ended hands the duty to its
        successors (the information department's to the culture department)."""
        every_agency = "*" in section.agency_kinds
        if every_agency:
            candidates = [a for a in self.of_province if not a.has_kind(*NOT_EVERY_AGENCY)]
        else:
            candidates = [a for a in self.of_province if a.has_kind(*section.agency_kinds)]
        existing = [agency for agency in candidates if agency.is_valid_on(end)]
        if not every_agency:
            taken_over = {pk for agency in existing for pk in self.after(agency.pk)}
            existing = [agency for agency in existing if agency.pk not in taken_over]
        found = {agency.pk: agency for agency in existing}
        ended = [agency for agency in candidates if agency.valid_to and agency.valid_to < end]
        for _depth in range(10):  # as above
            if not ended:
                break
            successors = [
                self.by_pk[pk]
                for pk in {pk for agency in ended for pk in self.after(agency.pk)}
                if pk in self.by_pk
            ]
            found |= {agency.pk: agency for agency in successors if agency.is_valid_on(end)}
            ended = [agency for agency in successors if agency.valid_to and agency.valid_to < end]
        return sorted(found.values(), key=lambda agency: agency.name)


@transaction.atomic
def task_result_record(*, actor: User, task_id: int, year: int, text: str) -> TaskResult:
    """An agency records what it did for one of its tasks in the year (Plan 114 §IV), a year
    that has come (from 2000 to this one)."""
    year = parse_year(year)
    task = PlanTask.objects.select_related("section__plan").filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    expected = expected_agencies(task.section.plan, task.section, year)
    agencies = [agency for agency in my_agencies(actor) if agency in expected]
    if not agencies:
        raise Forbidden(_("Your agency does not report on this task for this year."))
    if not text.strip():
        raise ValidationError({"text": [_("Describe what was done.")]})
    if len(text) > FREE_TEXT_MAX_LENGTH:
        raise ValidationError({"text": [too_long(FREE_TEXT_MAX_LENGTH)]})
    result, _created = TaskResult.objects.update_or_create(
        task=task, agency=agencies[0], year=year, defaults={"text": text, "recorded_by": actor}
    )
    audit(actor=actor, action="plan.result", target=result, details={"year": year})
    return result


def plan_agencies(user: User, plan: Plan) -> QuerySet[Agency]:
    """The user's agencies that work in the plan's province (or the provinces after it)."""
    provinces = (province.path for province in provinces_of(plan))
    return my_agencies(user).filter(under_paths("jurisdiction__path", provinces))


def lead_agencies(user: User, plan: Plan) -> list[Agency]:
    """The user's agencies that consolidate the plan's report: of its kind and its province."""
    return [agency for agency in plan_agencies(user, plan) if agency.has_kind(plan.consolidated_by)]


@transaction.atomic
def consolidate(*, actor: User, year: int, notes: str = "") -> Consolidation:
    year = parse_year(year)
    plan = current_plan()
    if not may_read(actor, plan):
        raise NotFound()  # another province's report
    leads = lead_agencies(actor, plan)
    if not leads:
        raise Forbidden(_("Only the lead agency consolidates the report."))
    if len(notes) > FREE_TEXT_MAX_LENGTH:
        raise ValidationError({"notes": [too_long(FREE_TEXT_MAX_LENGTH)]})
    consolidation, _created = Consolidation.objects.update_or_create(
        plan=plan, year=year, agency=leads[0], defaults={"consolidated_by": actor, "notes": notes}
    )
    audit(actor=actor, action="plan.consolidate", target=consolidation, details={"year": year})
    return consolidation


def too_long(limit: int) -> str:
    return _("Write at most %(limit)s characters.") % {"limit": limit}


def may_read(user: User, plan: Plan) -> bool:
    """The plan is its province's: its managers and provincial officers (or a level above), and
    the staff of its agencies, read the report; another province's do not."""
    scope = scope_for(user)
    if any(
        scope.acts_for_unit(province.path, *PLAN_OUTCOME_UNIT_READERS)
        for province in provinces_of(plan)
    ):
        return True
    return plan_agencies(user, plan).exists()


def outcome_report(*, user: User, year: int) -> dict[str, Any]:
    """The year's report on the current plan. Its figures leave the case-handling roles, so they
    are suppressed, like every export; organisations' counts stay exact."""
    plan = current_plan()
    if not may_read(user, plan):
        raise NotFound()
    province = report_province(plan, year)
    indicators = None
    if province is not None:
        indicators = shown_indicators(
            actor=user, year=year, unit=province, suppress=True, action="report.plan_outcome"
        )
    tables = {t["key"]: t for t in indicators["tables"]} if indicators else {}
    results = TaskResult.objects.filter(task__section__plan=plan, year=year).select_related(
        "agency", "task"
    )
    by_task: dict[int, list[TaskResult]] = {}
    for result in results:
        by_task.setdefault(result.task_id, []).append(result)
    mine = list(my_agencies(user))
    kinds = {kind.code: kind.label for kind in AgencyKind.objects.all()}
    agencies = ProvinceAgencies(provinces_of(plan))
    sections = []
    for section in plan.sections.prefetch_related("tasks"):
        expected = agencies.expected(section, year_end(year))
        reported = {r.agency_id for task in section.tasks.all() for r in by_task.get(task.pk, [])}
        sections.append(
            {
                "number": section.number,
                "title": section.title,
                "mine": any(agency in expected for agency in mine),
                "agencies": [
                    {"id": a.pk, "name": a.name, "reported": a.pk in reported} for a in expected
                ],
                "tasks": [
                    {
                        "id": task.pk,
                        "number": task.number,
                        "text": task.text,
                        "coordinating": [kinds.get(c, c) for c in task.coordinating],
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
        "generated_at": timezone.now(),
        "consolidated_at": consolidation.consolidated_at if consolidation else None,
        "is_lead": bool(lead_agencies(user, plan)),
        "sections": sections,
    }
