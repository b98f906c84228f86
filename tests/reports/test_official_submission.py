"""The official statistical submission: exact figures, marked confidential, for provincial
officers and the head of the provincial lead agency only; every one is an audit row."""

import io

import openpyxl
import pytest

from core.errors import Forbidden, NotFound
from core.models import Agency, AuditEvent, Role, RoleMembership, User
from reports.services import official_submission
from tests.reports.builders import YEAR, child_case


@pytest.fixture
def lead_head(demo) -> User:
    head = User.objects.create_user("lead_head", password="x")
    RoleMembership.objects.create(
        user=head, role=Role.AGENCY_HEAD, agency=Agency.objects.get(name="Sở Y tế tỉnh Ninh Bình")
    )
    return head


@pytest.fixture
def few(demo):
    child_case(demo, sex="male", age=8)
    child_case(demo, sex="female", age=9)
    return demo


def sexes(report: dict) -> dict:
    table = next(t for t in report["tables"] if t["key"] == "abused_by_sex")
    return {row["key"]: row["value"] for row in table["rows"]}


def test_a_provincial_officer_and_the_leads_head_get_exact_figures(few, lead_head):
    for user in (few["province"], lead_head):
        report = official_submission(user=user, year=YEAR, unit="37")
        assert report["suppressed"] is False and report["confidential"] is True
        assert sexes(report) == {"male": 1, "female": 1, "unknown": 0}
    events = AuditEvent.objects.filter(action="report.official_submission").order_by("pk")
    assert [e.actor for e in events] == [few["province"], lead_head]
    assert events[0].details == {"year": YEAR, "unit": "2025:37", "exact": True}
    assert events[0].at is not None


def test_managers_and_everyone_else_cannot(few):
    for name in ("manager", "officer_a", "police", "admin"):
        with pytest.raises(Forbidden):
            official_submission(user=few[name], year=YEAR, unit="37")
    assert not AuditEvent.objects.filter(action="report.official_submission").exists()


def test_only_for_units_under_ones_own(few, lead_head):
    with pytest.raises(NotFound):
        official_submission(user=few["province"], year=YEAR, unit="01")  # Hà Nội


def test_the_file_is_marked_confidential_and_named_for_what_it_holds(few, api_as, client):
    response = api_as("province").get(
        "/api/v1/reports/official-submission/", {"year": YEAR, "unit": "37", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert (
        f'filename="bao-cao-thong-ke-chinh-thuc-{YEAR}-37.xlsx"' in response["Content-Disposition"]
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert "MẬT" in str(sheet["A1"].value).upper() or "CONFIDENTIAL" in str(sheet["A1"].value)
    assert sheet.oddHeader is not None and sheet.oddHeader.center.text == sheet["A1"].value
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(r[0] == "0101" and r[3] == 1 for r in rows)  # exact: a count of 1 is shown
    year_row = next(r for r in sheet.iter_rows() if r[1].value == YEAR)
    assert year_row[1].number_format == "0"  # 2026, not 2.026

    assert (
        api_as("manager")
        .get("/api/v1/reports/official-submission/", {"year": YEAR, "unit": "37"})
        .status_code
        == 403
    )
    client.force_login(few["province"])
    page = client.get("/reports/", {"year": YEAR, "unit": "2025:37"}).content.decode()
    assert 'id="official"' in page
    assert (
        client.get("/reports/official.xlsx", {"year": YEAR, "unit": "2025:37"}).status_code == 200
    )
    client.force_login(few["manager"])
    page = client.get("/reports/", {"year": YEAR, "unit": "2025:37"}).content.decode()
    assert 'id="official"' not in page
    assert (
        client.get("/reports/official.xlsx", {"year": YEAR, "unit": "2025:37"}).status_code == 403
    )
