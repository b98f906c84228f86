"""Each indicator equals the count stated here, on records built through the services."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl.worksheet.worksheet import Worksheet

from cases import services as case_services
from cases.choices import Sex
from cases.models import Case
from core.models import Unit
from reports.indicators import Period, indicator_report
from reports.services import indicators_for
from tests.referrals.helpers import outcome, refer
from tests.referrals.helpers import staff_of as agency_staff

YEAR = timezone.localdate().year


def child_case(
    demo,
    *,
    commune="14428",
    sex="female",
    age=9,
    situation="abused",
    forms=("physical_violence",),
    ethnicity="01",
    disability=False,
    actor="officer_a",
):
    return case_services.case_create(
        actor=demo[actor],
        commune=Unit.objects.get(structure="2025", code=commune),
        received_at=timezone.now() - datetime.timedelta(hours=1),
        channel="phone",
        source="family",
        description="…",
        situation=situation,
        abuse_forms=list(forms),
        setting="family",
        child=case_services.ChildData(
            full_name=f"Trẻ {sex} {age}",
            sex=sex,
            estimated_age=age,
            ethnicity=ethnicity,
            disability=disability,
        ),
    )


@pytest.fixture
def world(demo):
    """Ten abused children and two at risk in commune A, three abused in commune B."""
    for n in range(6):
        child_case(demo, sex="female", age=4 + n)  # ages 4..9
    for n in range(4):
        child_case(demo, sex="male", age=12 + n, ethnicity="03", forms=("sexual_abuse",))
    child_case(demo, situation="at_risk", forms=("neglect",))
    child_case(demo, situation="at_risk", forms=("child_marriage",), age=15, ethnicity="06")
    for _ in range(3):
        child_case(demo, commune="14329", actor="officer_b", disability=True)
    return demo


def values(report, key):
    table = next(t for t in report["tables"] if t.key == key)
    return {row.key: row.value for row in table.rows}, table.total


def report_for(code: str, structure: str = "2025"):
    unit = Unit.objects.get(structure=structure, code=code)
    return indicator_report(Period(YEAR, unit), now=timezone.now())


def test_children_abused_by_sex_age_ethnicity_and_disability(world):
    report = report_for("14428")
    assert values(report, "abused_by_sex") == ({"female": 6, "male": 4, "unknown": 0}, 10)
    ages, total = values(report, "abused_by_age")
    assert (ages["0-5"], ages["6-10"], ages["11-15"], ages["16-17"], total) == (2, 4, 4, 0, 10)
    assert values(report, "abused_by_ethnicity") == ({"01": 6, "03": 4}, 10)
    assert values(report, "abused_by_disability")[0] == {"yes": 0, "no": 10}
    forms, _ = values(report, "abused_by_form")
    assert (forms["physical_violence"], forms["sexual_abuse"], forms["neglect"]) == (6, 4, 0)


def test_the_province_adds_up_its_communes(world):
    province = report_for("37")
    assert values(province, "abused_by_sex")[1] == 13
    assert values(province, "abused_by_disability")[0] == {"yes": 3, "no": 10}
    assert values(province, "cases")[0]["received"] == 15


def test_legacy_and_two_tier_views_agree(world):
    two_tier = report_for("37")
    legacy = report_for("37", structure="2020")  # old Ninh Bình holds both demo communes
    for key in ("abused_by_sex", "abused_by_age", "cases", "child_marriage_by_ethnicity"):
        assert values(two_tier, key) == values(legacy, key)
    district = report_for("372", structure="2020")  # old Nho Quan district: commune A's cases
    assert values(district, "abused_by_sex")[1] == 10


def test_a_case_recorded_under_a_legacy_commune_counts_under_its_successor(world):
    case = child_case(world, sex="male", age=8)
    # As if recorded before the 2025 reform, under the old town of Nho Quan.
    Case.objects.filter(pk=case.pk).update(commune=Unit.objects.get(structure="2020", code="14428"))
    assert values(report_for("14428"), "abused_by_sex")[1] == 11


def test_child_marriages_by_commune_and_ethnicity(world):
    report = report_for("37")
    by_commune, total = values(report, "child_marriage_by_commune")
    assert (by_commune, total) == ({"14428": 1}, 1)
    assert values(report, "child_marriage_by_ethnicity")[0] == {"06": 1}


def test_referrals_crime_reports_and_decisions(world):
    case = Case.objects.filter(abuse_form_rows__form="sexual_abuse").first()
    police = refer(world, case, "police_report")
    hospital = refer(world, case, "medical_care")
    from referrals import services

    services.referral_accept(actor=world["police"], referral_id=police.pk)
    services.referral_complete(
        actor=world["police"], referral_id=police.pk, outcome=outcome("police_report")
    )
    services.referral_decline(
        actor=agency_staff(world, "medical_care"), referral_id=hospital.pk, reason="…"
    )
    report = report_for("14428")
    services_count, total = values(report, "referrals_by_service")
    assert (services_count["police_report"], services_count["medical_care"], total) == (1, 1, 2)
    assert values(report, "referrals_by_outcome")[0]["completed"] == 1
    crime, _ = values(report, "crime_reports")
    assert (crime["reported"], crime["prosecuted"], crime["not_prosecuted"]) == (1, 1, 0)


def test_inspections_violations_and_fines(world):
    from tests.inspections.test_services_lifecycle import fine, plan, step

    inspection = plan(world)
    step(world, inspection, "start")
    fine(world, inspection, fine_amount=5_000_000, head_held_accountable=True)
    fine(world, inspection, sanction="warning", fine_amount=None)
    report = report_for("37")
    assert values(report, "inspections") == ({"interagency": 1, "thematic": 0}, 1)
    violations, total = values(report, "violations")
    assert (violations["fine"], violations["warning"], violations["heads"], total) == (1, 1, 1, 2)
    assert values(report, "fines")[0] == {"count": 1, "amount": 5_000_000}


def test_timeliness_counts_what_met_its_deadline(world):
    case = Case.objects.filter(commune__code="14428").first()
    case_services.case_assess_initial(
        actor=world["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    report = report_for("14428")
    row = next(r for r in report["timeliness"] if r["key"] == "initial_assessment")
    assert (row["decided"], row["on_time"], row["share"]) == (1, 1, 100.0)
    assert 0.9 < row["median_hours"] < 1.1  # received an hour before it was assessed


def test_the_report_query_count_does_not_grow_with_cases(demo):
    for _ in range(3):
        child_case(demo, forms=("neglect", "child_marriage"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            report_for("37")
        return len(captured.captured_queries)

    few = queries()
    for _ in range(12):
        child_case(demo, forms=("neglect", "child_marriage"))
    assert queries() == few


def test_a_manager_gets_small_counts_suppressed_and_cannot_undo_it_from_totals(world):
    report = indicators_for(user=world["manager"], year=YEAR, unit="37")
    assert report["suppressed"] is True
    disability = next(t for t in report["tables"] if t["key"] == "abused_by_disability")
    shown = {row["key"]: row["display"] for row in disability["rows"]}
    # 3 with a disability is hidden; 10 without would give it away against the total of 13.
    assert shown == {"yes": "<5", "no": "x"}
    assert disability["total"] == 13
    officer = indicators_for(user=world["province"], year=YEAR, unit="37")
    assert officer["suppressed"] is False


def test_a_commune_officer_reports_only_on_their_commune(world):
    from core.errors import NotFound

    report = indicators_for(user=world["officer_a"], year=YEAR, unit="14428")
    assert report["unit"]["code"] == "14428"
    with pytest.raises(NotFound):
        indicators_for(user=world["officer_a"], year=YEAR, unit="14329")
    with pytest.raises(NotFound):
        indicators_for(user=world["police"], year=YEAR, unit="37")


def test_the_api_answers_json_xlsx_and_csv(world, api_as):
    client = api_as("manager")
    body = client.get("/api/v1/reports/indicators/", {"year": YEAR, "unit": "37"}).json()
    assert body["unit"]["name"] == "Tỉnh Ninh Bình" and body["suppressed"] is True

    xlsx = client.get("/api/v1/reports/indicators/", {"year": YEAR, "unit": "37", "format": "xlsx"})
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert isinstance(sheet, Worksheet)
    cells = {row[0].value: row[1].value for row in sheet.iter_rows() if row[0].value}
    with translation.override("vi"):  # exports speak the request's language, Vietnamese here
        male, female = str(Sex.MALE.label), str(Sex.FEMALE.label)
    # 4 boys is a small count; 9 girls would give it away against the total of 13.
    assert cells[male] == "<5" and cells[female] == "x"

    csv = client.get("/api/v1/reports/indicators/", {"year": YEAR, "unit": "37", "format": "csv"})
    assert csv.content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with its mark
    assert "Tỉnh Ninh Bình" in csv.content.decode("utf-8-sig")


def test_the_api_refuses_a_bad_year_and_an_unknown_unit(world, api_as):
    client = api_as("manager")
    assert (
        client.get("/api/v1/reports/indicators/", {"year": "soon", "unit": "37"}).status_code == 400
    )
    assert (
        client.get("/api/v1/reports/indicators/", {"year": YEAR, "unit": "01"}).status_code == 404
    )
    assert (
        api_as("police")
        .get("/api/v1/reports/indicators/", {"year": YEAR, "unit": "37"})
        .status_code
        == 404
    )


def test_the_dashboard_and_its_exports(world, client):
    client.force_login(world["manager"])
    page = client.get("/reports/", {"year": YEAR, "unit": "2025:37"})
    assert page.status_code == 200
    assert 'id="table-abused_by_sex"' in page.content.decode()
    export = client.get("/reports/export.xlsx", {"year": YEAR, "unit": "2025:37"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(world["police"])
    assert client.get("/reports/").status_code == 403
