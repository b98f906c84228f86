"""The plan's yearly outcome report: the plan as data, each agency's results, consolidation."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl.worksheet.worksheet import Worksheet

from core.errors import Forbidden, NotFound
from core.models import Agency, RoleMembership, User
from reports import plan_outcome
from reports.models import Plan, PlanTask

YEAR = timezone.localdate().year


@pytest.fixture
def plan(demo) -> Plan:
    call_command("load_plan", verbosity=0)
    return Plan.objects.get(code="114/KH-UBND")


def police_task() -> PlanTask:
    return PlanTask.objects.get(section__number=9, number=1)


def test_the_plan_loads_its_twelve_sections_and_their_tasks_once(plan, capsys):
    call_command("load_plan")
    assert "114/KH-UBND: 12 sections, 50 tasks" in capsys.readouterr().out
    assert plan.sections.count() == 12
    assert PlanTask.objects.filter(section__plan=plan).count() == 50
    police = plan.sections.get(number=9)
    assert police.title == "Công an tỉnh" and police.agency_kinds == ["police"]
    # III.11 lists no task: the request to the Fatherland Front is its own task.
    assert plan.sections.get(number=11).tasks.get().text.startswith("Đề nghị Ủy ban Mặt trận")


def test_an_agency_records_results_for_its_own_tasks_only(plan, demo):
    result = plan_outcome.task_result_record(
        actor=demo["police"], task_id=police_task().pk, year=YEAR, text="Tiếp nhận 12 tin báo."
    )
    assert result.agency.name == "Công an tỉnh Ninh Bình"
    education = PlanTask.objects.get(section__number=3, number=1)
    with pytest.raises(Forbidden):
        plan_outcome.task_result_record(
            actor=demo["police"], task_id=education.pk, year=YEAR, text="x"
        )
    with pytest.raises(Forbidden):
        plan_outcome.task_result_record(
            actor=demo["officer_a"], task_id=police_task().pk, year=YEAR, text="x"
        )


def test_the_report_shows_results_figures_and_who_has_reported(plan, demo):
    plan_outcome.task_result_record(
        actor=demo["police"], task_id=police_task().pk, year=YEAR, text="Tiếp nhận 12 tin báo."
    )
    report = plan_outcome.outcome_report(user=demo["manager"], year=YEAR, unit="37")
    section = next(s for s in report["sections"] if s["number"] == 9)
    assert section["agencies"] == [
        {
            "id": Agency.objects.get(name="Công an tỉnh Ninh Bình").pk,
            "name": "Công an tỉnh Ninh Bình",
            "reported": True,
        }
    ]
    task = section["tasks"][0]
    assert task["results"] == [
        {"agency": "Công an tỉnh Ninh Bình", "text": "Tiếp nhận 12 tin báo."}
    ]
    assert [f["key"] for f in task["figures"]] == ["crime_reports"]
    health = next(s for s in report["sections"] if s["number"] == 5)
    assert health["agencies"] == []  # no health department is configured in the demo


def test_only_the_lead_agency_consolidates(plan, demo):
    with pytest.raises(Forbidden):
        plan_outcome.consolidate(actor=demo["police"], year=YEAR)
    lead_staff = User.objects.create_user("lead_staff", password="x")
    RoleMembership.objects.create(
        user=lead_staff,
        role="agency_staff",
        agency=Agency.objects.get(name="Sở Y tế tỉnh Ninh Bình"),
    )
    plan_outcome.consolidate(actor=lead_staff, year=YEAR, notes="Gửi Bộ Y tế")
    report = plan_outcome.outcome_report(user=demo["manager"], year=YEAR, unit="37")
    assert report["consolidated_at"] is not None


def test_people_outside_the_plan_do_not_find_the_report(plan, demo):
    with pytest.raises(NotFound):
        plan_outcome.outcome_report(user=demo["officer_a"], year=YEAR, unit="14428")


def test_the_api_exports_the_report(plan, demo, api_as):
    plan_outcome.task_result_record(
        actor=demo["police"], task_id=police_task().pk, year=YEAR, text="Tiếp nhận 12 tin báo."
    )
    client = api_as("manager")
    response = client.get(
        "/api/v1/reports/plan-outcome/", {"year": YEAR, "unit": "37", "format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(
        r[0] == "III.9" and r[2] == "Công an tỉnh Ninh Bình" and r[3] == "Tiếp nhận 12 tin báo."
        for r in rows
    )
    created = api_as("police").post(
        "/api/v1/reports/plan-outcome/",
        {"task": police_task().pk, "year": YEAR, "text": "Cập nhật"},
        format="json",
    )
    assert created.status_code == 201
    refused = api_as("police").post(
        "/api/v1/reports/plan-outcome/",
        {"task": police_task().pk, "year": YEAR, "text": " "},
        format="json",
    )
    assert refused.status_code == 400


def test_the_agency_records_through_the_web_page(plan, demo, client):
    client.force_login(demo["police"])
    page = client.get("/reports/plan/", {"year": YEAR})
    assert page.status_code == 200
    response = client.post(
        f"/reports/plan/?year={YEAR}", {"task": police_task().pk, "text": "Đã tập huấn"}
    )
    assert response.status_code == 302
    assert police_task().results.get(year=YEAR).text == "Đã tập huấn"
