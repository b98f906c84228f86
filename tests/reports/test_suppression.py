"""One privacy rule: every table and every file a manager gets shows no count of 1–4 children or
cases, and no hidden cell can be worked out from a total; counts of organisations stay exact."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases.services import case_dismiss
from core.models import PolicySettings
from reports.services import indicators_for
from reports.suppression import SECONDARY, primary_mark, suppress_cells
from tests.inspections.test_services_lifecycle import fine, plan, step
from tests.referrals.helpers import refer
from tests.reports.builders import YEAR, child_case

SMALL = range(1, 5)


@pytest.fixture
def small_world(demo):
    """Small counts everywhere: 7 girls and 2 boys abused, 3 with a disability, a child marriage,
    a referral to the police and a dismissed report (counts of cases), and an inspection that
    fined four times (organisations' counts, shown as they are)."""
    for n in range(7):
        child_case(demo, sex="female", age=3 + n)
    married = child_case(demo, sex="male", age=12, disability=True, forms=("child_marriage",))
    refer(demo, married, "police_report")
    dismissed = child_case(demo, confirmed=None)
    case_dismiss(
        actor=demo["officer_a"], case_id=dismissed.pk, reason="unfounded", verification="…"
    )
    child_case(demo, sex="male", age=13, disability=True)
    child_case(demo, commune="14329", actor="officer_b", disability=True)
    inspection = plan(demo)
    step(demo, inspection, "start")
    for n in range(4):  # four establishments fined
        fine(demo, inspection, fine_amount=1_000_000, responsible=f"Cơ sở số {n + 1}")
    call_command("load_plan", verbosity=0)
    return demo


def about_children(report: dict) -> dict[str, str]:
    """Title → what the table counts, for the tables about children or cases."""
    return {
        t["title"]: t["counts"] for t in report["tables"] if t["counts"] in ("children", "cases")
    }


def assert_no_small_count(numbers, where: str) -> None:
    small = [n for n in numbers if isinstance(n, int) and not isinstance(n, bool) and n in SMALL]
    assert not small, f"{where}: small counts shown {small}"


def assert_nothing_recoverable(report: dict) -> None:
    for t in report["tables"]:
        if t["counts"] in ("children", "cases") and t["total"] is not None:
            hidden = [row for row in t["rows"] if row["value"] is None]
            assert len(hidden) != 1, f"{t['key']}: one hidden cell beside its total"
    for row in report["timeliness"]:
        if row["decided"] is not None:
            assert (row["on_time"] is None) == (row["late"] is None), row["key"]


def test_the_dashboard_data_and_api_json_hide_small_counts(small_world, api_as):
    report = api_as("manager").get("/api/v1/reports/indicators/", {"year": YEAR, "unit": "37"})
    body = report.json()
    assert body["suppressed"] is True
    for t in body["tables"]:
        if t["counts"] in ("children", "cases"):
            assert_no_small_count([r["value"] for r in t["rows"]] + [t["total"]], t["key"])
    for row in body["timeliness"]:
        assert_no_small_count([row["decided"], row["on_time"], row["late"]], row["key"])
    assert_nothing_recoverable(body)
    sexes = {r["key"]: r["display"] for r in table(body, "abused_by_sex")["rows"]}
    assert sexes == {"female": "x", "male": "<5", "unknown": "0"}  # 7 + 3 = 10 shown
    fines = {r["key"]: r["value"] for r in table(body, "fines")["rows"]}
    violations = {r["key"]: r["value"] for r in table(body, "violations")["rows"]}
    assert fines["count"] == 4 and violations["fine"] == 4  # organisations: exact, consistent


def table(report: dict, key: str) -> dict:
    return next(t for t in report["tables"] if t["key"] == key)


def test_the_xlsx_and_csv_hide_small_counts(small_world, api_as, client):
    with translation.override("vi"):  # the files speak the request's language, Vietnamese
        reference = indicators_for(user=small_world["manager"], year=YEAR, unit="37", export=True)
    titles = about_children(reference)
    client.force_login(small_world["manager"])
    query = {"year": YEAR, "unit": "2025:37"}
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/export.xlsx", query).content))
    figures, times = book.worksheets
    rows = [[c.value for c in row] for row in figures.iter_rows()]
    checked = [r for r in rows if len(r) >= 4 and r[1] in titles]
    assert checked
    assert_no_small_count([r[3] for r in checked], "xlsx")
    timeliness = [[c.value for c in row] for row in times.iter_rows(min_row=2)]
    assert_no_small_count([v for r in timeliness for v in r[1:4]], "xlsx timeliness")

    text = client.get("/reports/export.csv", query).content.decode("utf-8-sig")
    csv_rows = list(csv.reader(io.StringIO(text)))
    values = [r[3] for r in csv_rows if len(r) >= 4 and r[1] in titles]
    assert values and all(v not in {"1", "2", "3", "4"} for v in values)


def test_the_page_and_printable_page_hide_small_counts(small_world, client):
    client.force_login(small_world["manager"])
    for extra in ({}, {"print": "1"}):
        html = client.get("/reports/", {"year": YEAR, "unit": "2025:37", **extra}).content.decode()
        sections = re.findall(r'data-counts="(children|cases)">(.*?)</section>', html, re.S)
        assert sections
        shown = [
            v
            for _counts, body in sections
            for v in re.findall(r'class="value"[^>]*>([^<]*)<', body)
        ]
        assert shown and not {"1", "2", "3", "4"} & set(shown)
        timeliness = re.search(r'id="timeliness">(.*?)</section>', html, re.S)
        assert timeliness
        cells = re.findall(r'class="value">([^<]*)<', timeliness.group(1))
        assert not {"1", "2", "3", "4"} & set(cells)


def test_the_plan_outcome_hides_small_counts_in_every_form(small_world, api_as, client):
    client_api = api_as("manager")
    body = client_api.get("/api/v1/reports/plan-outcome/", {"year": YEAR}).json()
    figures = [f for s in body["sections"] for t in s["tasks"] for f in t["figures"]]
    assert figures
    for figure in figures:
        if figure["counts"] in ("children", "cases"):
            assert_no_small_count([r["value"] for r in figure["rows"]], figure["key"])
    titles = {f["title"] for f in figures if f["counts"] in ("children", "cases")}
    xlsx = client_api.get("/api/v1/reports/plan-outcome/", {"year": YEAR, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    checked = [r[9] for r in rows if len(r) >= 10 and r[7] in titles]
    assert checked
    assert_no_small_count(checked, "plan xlsx")
    plan_csv = client_api.get("/api/v1/reports/plan-outcome/", {"year": YEAR, "format": "csv"})
    csv_rows = list(csv.reader(io.StringIO(plan_csv.content.decode("utf-8-sig"))))
    values = [r[9] for r in csv_rows if len(r) >= 10 and r[7] in titles]
    assert values and not {"1", "2", "3", "4"} & set(values)
    client.force_login(small_world["manager"])
    html = client.get("/reports/plan/", {"year": YEAR}).content.decode()
    assert "<5" in html or "&lt;5" in html


def test_hiding_one_cell_beside_a_total_hides_a_second(db):
    cells, total = suppress_cells([7, 3, 0], 10)
    assert [c.display for c in cells] == [SECONDARY, primary_mark(), "0"]
    assert total is not None and total.value == 10
    cells, total = suppress_cells([2, 1], 3)  # a small total hides everything
    assert [c.display for c in cells] == ["<5", "<5"] and total is not None and total.hidden
    cells, _ = suppress_cells([9, 3, 2], 14)  # two hidden already: nothing more to hide
    assert [c.display for c in cells] == ["9", "<5", "<5"]


def test_the_threshold_is_the_policy_setting(db):
    PolicySettings.objects.create(small_count_threshold=3)
    cells, _ = suppress_cells([4, 2, 9], None)
    assert [c.display for c in cells] == ["4", "<3", "9"]


def test_a_report_reads_the_threshold_once_however_many_cells_it_hides(small_world):
    PolicySettings.objects.create(small_count_threshold=5)
    with CaptureQueriesContext(connection) as captured:
        report = indicators_for(user=small_world["manager"], year=YEAR, unit="37", export=True)

    hidden = [r for t in report["tables"] for r in t["rows"] if r["value"] is None]
    policy_reads = [q for q in captured if "core_policysettings" in q["sql"]]
    assert len(hidden) > 1
    assert len(policy_reads) == 1
