"""The plan's yearly outcome report: the plan as data, the agencies of each year, each agency's
results, the figures each task names, consolidation and the files."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.errors import Forbidden, NotFound
from core.models import Agency, Role, RoleMembership, Unit, User
from reports import plan_outcome
from reports.models import Plan, PlanSection, PlanTask
from tests.reports.builders import child_case

YEAR = timezone.localdate().year
HEALTH = "Sở Y tế tỉnh Ninh Bình"


@pytest.fixture
def plan(demo) -> Plan:
    call_command("load_plan", verbosity=0)
    return Plan.objects.get(code="114/KH-UBND")


def task(section: int, number: int) -> PlanTask:
    return PlanTask.objects.get(section__number=section, number=number)


def staff_of(name: str, username: str, role=Role.AGENCY_STAFF) -> User:
    user = User.objects.create_user(username, password="x")
    RoleMembership.objects.create(user=user, role=role, agency=Agency.objects.get(name=name))
    return user


def expected(plan: Plan, section: int, year: int) -> list[str]:
    chosen = PlanSection.objects.get(plan=plan, number=section)
    return [agency.name for agency in plan_outcome.expected_agencies(plan, chosen, year)]


def test_the_plan_loads_its_sections_tasks_and_reviewed_figures_once(plan, capsys):
    call_command("load_plan")
    assert "114/KH-UBND: 12 sections, 50 tasks" in capsys.readouterr().out
    assert PlanTask.objects.filter(section__plan=plan).count() == 50
    assert plan.province is not None and plan.province.code == "37"
    police = plan.sections.get(number=9)
    assert police.title == "Công an tỉnh" and police.agency_kinds == ["police"]
    assert task(9, 2).figures == ["crime_reports", "child_friendly_room"]
    assert task(9, 3).coordinating == ["health_facility", "child_protection_service"]
    # Child-marriage tasks get child-marriage figures, never "children abused by sex".
    for marriage in PlanTask.objects.filter(text__icontains="tảo hôn", figures__isnull=False):
        assert "abused_by_sex" not in marriage.figures
    assert task(12, 6).figures == ["child_marriage_by_commune", "child_marriage_by_ethnicity"]
    # III.11 lists no task: the request to the Fatherland Front is its own task.
    assert plan.sections.get(number=11).tasks.get().text.startswith("Đề nghị Ủy ban Mặt trận")


def test_every_figure_a_task_names_is_an_indicator_table(plan, demo):
    report = plan_outcome.outcome_report(user=demo["manager"], year=YEAR)
    named = {key for t in PlanTask.objects.all() for key in t.figures}
    shown = {f["key"] for s in report["sections"] for t in s["tasks"] for f in t["figures"]}
    assert named and named == shown


def test_the_health_department_reports_on_both_of_its_sections(plan, demo):
    staff = staff_of(HEALTH, "health_staff")
    for section in (2, 5):  # child-protection lead and health department
        result = plan_outcome.task_result_record(
            actor=staff, task_id=task(section, 1).pk, year=YEAR, text="Đã thực hiện."
        )
        assert result.agency.name == HEALTH
    report = plan_outcome.outcome_report(user=staff, year=YEAR)
    mine = {s["number"] for s in report["sections"] if s["mine"]}
    assert {1, 2, 5} <= mine and 9 not in mine
    with pytest.raises(Forbidden):
        plan_outcome.task_result_record(actor=staff, task_id=task(9, 1).pk, year=YEAR, text="x")


def test_each_year_has_the_agencies_of_its_time(plan, demo):
    # Before the 2025 reforms: the labour department led child protection, the information
    # department and the district committees carried their sections.
    assert expected(plan, 2, 2023) == ["Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình"]
    assert expected(plan, 5, 2023) == [HEALTH]
    assert expected(plan, 6, 2023) == ["Sở Thông tin và Truyền thông tỉnh Ninh Bình"]
    assert "Ủy ban nhân dân huyện Nho Quan" in expected(plan, 12, 2024)
    # Today: the health department leads, the culture department took section III.6 over as
    # the information department's successor, the commune committees carry III.12.
    assert expected(plan, 2, YEAR) == [HEALTH]
    assert expected(plan, 6, YEAR) == ["Sở Văn hóa, Thể thao và Du lịch tỉnh Ninh Bình"]
    assert "Ủy ban nhân dân huyện Nho Quan" not in expected(plan, 12, YEAR)
    assert "Ủy ban nhân dân xã Nho Quan" in expected(plan, 12, YEAR)


def test_the_report_costs_the_same_queries_however_many_sections_the_plan_has(plan, demo):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            plan_outcome.outcome_report(user=demo["manager"], year=YEAR)
        return len(captured)

    queries()  # warm the caches (content types, clock policies)
    before = queries()
    for section in list(plan.sections.all()):
        copy = PlanSection.objects.create(
            plan=plan,
            number=section.number + 100,
            title=section.title,
            agency_kinds=section.agency_kinds,
        )
        PlanTask.objects.create(section=copy, number=1, text="Nhiệm vụ thêm")
    assert plan.sections.count() == 24
    assert queries() == before


def test_a_duty_follows_a_chain_of_successions_to_the_agency_that_exists(plan, demo):
    information = Agency.objects.get(name="Sở Thông tin và Truyền thông tỉnh Ninh Bình")
    culture = Agency.objects.get(name="Sở Văn hóa, Thể thao và Du lịch tỉnh Ninh Bình")
    # An interim agency, outside the province and of no plan kind, held the duty in between.
    elsewhere = Unit.objects.filter(level="province").exclude(pk=plan.province_id)[0]
    interim = Agency.objects.create(
        name="Ban tạm thời",
        jurisdiction=elsewhere,
        valid_from=information.valid_to,
        valid_to=datetime.date(YEAR - 1, 12, 30),
    )
    information.successors.set([interim])
    assert expected(plan, 6, YEAR) == []  # the duty ended with the interim agency
    interim.successors.set([culture])
    assert expected(plan, 6, YEAR) == [culture.name]
    interim.valid_to = None
    interim.save()
    assert expected(plan, 6, YEAR) == [interim.name]  # still holds it: the duty stops there


def test_a_cycle_of_successions_ends(plan, demo):
    information = Agency.objects.get(name="Sở Thông tin và Truyền thông tỉnh Ninh Bình")
    elsewhere = Unit.objects.filter(level="province").exclude(pk=plan.province_id)[0]
    ended = datetime.date(YEAR - 1, 1, 1)
    interim = Agency.objects.create(name="Ban tạm thời", jurisdiction=elsewhere, valid_to=ended)
    information.successors.set([interim])
    interim.successors.set([information])  # an administrator's mistake: a loop
    assert expected(plan, 6, YEAR) == []


def test_a_result_of_2023_stays_with_the_agency_of_the_time(plan, demo):
    old = staff_of("Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình", "labour_staff")
    plan_outcome.task_result_record(actor=old, task_id=task(2, 1).pk, year=2023, text="Năm 2023.")
    with pytest.raises(Forbidden):  # the health department did not lead child protection then
        plan_outcome.task_result_record(
            actor=staff_of(HEALTH, "health_staff"), task_id=task(2, 1).pk, year=2023, text="x"
        )
    report = plan_outcome.outcome_report(user=demo["manager"], year=2023)
    section = next(s for s in report["sections"] if s["number"] == 2)
    assert section["tasks"][0]["results"] == [
        {"agency": "Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình", "text": "Năm 2023."}
    ]
    assert section["agencies"][0]["reported"] is True
    assert report["unit"]["structure"] == "2020"  # the old province's figures


def test_the_report_shows_results_figures_and_who_has_reported(plan, demo):
    child_case(demo)
    plan_outcome.task_result_record(
        actor=demo["police"], task_id=task(9, 2).pk, year=YEAR, text="Tiếp nhận 12 tin báo."
    )
    report = plan_outcome.outcome_report(user=demo["manager"], year=YEAR)
    section = next(s for s in report["sections"] if s["number"] == 9)
    assert section["agencies"] == [
        {
            "id": Agency.objects.get(name="Công an tỉnh Ninh Bình").pk,
            "name": "Công an tỉnh Ninh Bình",
            "reported": True,
        }
    ]
    police_task = section["tasks"][1]
    assert police_task["results"] == [
        {"agency": "Công an tỉnh Ninh Bình", "text": "Tiếp nhận 12 tin báo."}
    ]
    assert [f["key"] for f in police_task["figures"]] == ["crime_reports", "child_friendly_room"]
    health = next(s for s in report["sections"] if s["number"] == 5)
    assert health["agencies"] == [
        {"id": Agency.objects.get(name=HEALTH).pk, "name": HEALTH, "reported": False}
    ]


def test_only_the_lead_agency_consolidates(plan, demo):
    with pytest.raises(Forbidden):
        plan_outcome.consolidate(actor=demo["police"], year=YEAR)
    plan_outcome.consolidate(actor=staff_of(HEALTH, "lead_staff"), year=YEAR, notes="Gửi Bộ")
    report = plan_outcome.outcome_report(user=demo["manager"], year=YEAR)
    assert report["consolidated_at"] is not None


def test_people_outside_the_plan_do_not_find_the_report(plan, demo):
    with pytest.raises(NotFound):
        plan_outcome.outcome_report(user=demo["officer_a"], year=YEAR)


def test_the_files_are_named_print_on_a4_and_have_a_column_per_figure(plan, demo, api_as):
    child_case(demo)
    plan_outcome.task_result_record(
        actor=demo["police"], task_id=task(9, 2).pk, year=YEAR, text="Tiếp nhận 12 tin báo."
    )
    client = api_as("manager")
    response = client.get("/api/v1/reports/plan-outcome/", {"year": YEAR, "format": "xlsx"})
    assert response.status_code == 200
    name = f"bao-cao-ket-qua-ke-hoach-114-{YEAR}-37.xlsx"
    assert f'filename="{name}"' in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, reporting = book.worksheets
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(
        r[0] == "III.9" and r[4] == "Công an tỉnh Ninh Bình" and r[5] == "Tiếp nhận 12 tin báo."
        for r in rows
    )
    figure_rows = [r for r in rows if r[0] == "III.9" and r[1] == 2 and r[7]]
    assert figure_rows and all(isinstance(r[9], int) or r[9] in ("<5", "x") for r in figure_rows)
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize or 0) == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.print_title_rows
    year_cell = next(row[1] for row in sheet.iter_rows() if row[1].value == YEAR)
    assert year_cell.number_format == "0"
    words = {row[2].value for row in reporting.iter_rows(min_row=2)}
    assert words == {"Đã báo cáo", "Chưa báo cáo"}
    csv = client.get("/api/v1/reports/plan-outcome/", {"year": YEAR, "format": "csv"})
    assert name.replace(".xlsx", ".csv") in csv["Content-Disposition"]


def test_the_api_records_and_refuses(plan, demo, api_as):
    created = api_as("police").post(
        "/api/v1/reports/plan-outcome/",
        {"task": task(9, 1).pk, "year": YEAR, "text": "Cập nhật"},
        format="json",
    )
    assert created.status_code == 201
    too_long = {"task": task(9, 1).pk, "year": YEAR, "text": "x" * 10_001}
    for bad in ({"task": task(9, 1).pk, "year": YEAR, "text": " "}, {"task": "x"}, too_long):
        assert (
            api_as("police").post("/api/v1/reports/plan-outcome/", bad, format="json").status_code
            == 400
        )
    assert (
        api_as("manager").get("/api/v1/reports/plan-outcome/", {"year": "soon"}).status_code == 400
    )


def test_the_agency_records_through_the_web_page(plan, demo, client):
    client.force_login(demo["police"])
    page = client.get("/reports/plan/", {"year": YEAR})
    assert page.status_code == 200
    response = client.post(f"/reports/plan/?year={YEAR}", {"task": task(9, 1).pk, "text": "Đã làm"})
    assert response.status_code == 302
    assert task(9, 1).results.get(year=YEAR).text == "Đã làm"
    assert client.post(f"/reports/plan/?year={YEAR}", {"task": "x", "text": "y"}).status_code == 404
    client.post(f"/reports/plan/?year={YEAR}", {"task": task(9, 1).pk, "text": "x" * 10_001})
    assert task(9, 1).results.get(year=YEAR).text == "Đã làm"  # too long: refused, unchanged
    client.force_login(demo["manager"])
    html = client.get("/reports/plan/", {"year": YEAR}).content.decode()
    assert "chưa báo cáo" in html  # not reported, in words as well as in colour


def test_a_year_out_of_range_shows_this_year_and_says_what_the_field_takes(plan, demo, client):
    client.force_login(demo["police"])
    for typed in ("1999", str(YEAR + 1), "năm ngoái"):
        page = client.get("/reports/plan/", {"year": typed})
        assert page.status_code == 400
        html = page.content.decode()
        assert "Hãy chọn năm từ 2000 đến năm nay." in html
        assert f'value="{YEAR}"' in html and 'aria-invalid="true"' in html
    posted = client.post(f"/reports/plan/?year={YEAR + 1}", {"task": task(9, 1).pk, "text": "x"})
    assert posted.status_code == 400
    assert not task(9, 1).results.exists()  # nothing recorded for a year that has not come
    page = client.get("/reports/plan/", {"year": YEAR}).content.decode()
    assert f'min="2000" max="{YEAR}"' in page and "aria-invalid" not in page
    client.force_login(demo["officer_a"])  # not a reader of the plan, whatever the year
    assert client.get("/reports/plan/", {"year": "1999"}).status_code == 404


def test_the_plan_report_document_carries_the_agencies_results(client, plan, demo):
    from pypdf import PdfReader

    staff = staff_of(HEALTH, "health_staff_doc")
    plan_outcome.task_result_record(
        actor=staff, task_id=task(2, 1).pk, year=YEAR, text="Đã tổ chức 12 lớp tập huấn."
    )
    client.force_login(demo["province"])

    response = client.get(f"/reports/plan-report.pdf?year={YEAR}")

    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "BÁO CÁO" in text and f"năm {YEAR}" in text
    assert "Đã tổ chức 12 lớp tập huấn." in text
    client.force_login(demo["officer_a"])
    assert client.get(f"/reports/plan-report.pdf?year={YEAR}").status_code == 404
    client.force_login(demo["province"])
    assert client.get("/reports/plan-report.pdf?year=nineteen").status_code == 404
    assert client.get(f"/reports/plan-report.odt?year={YEAR}").status_code == 404
