"""The indicator report as a spreadsheet (XLSX, formatted) or CSV (UTF-8 that Excel opens)."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def rows_of(report: dict) -> list[list]:
    """The report as rows: a title block, each table, then timeliness."""
    unit = report["unit"]
    rows: list[list] = [
        [_("Che Chở — indicators on child protection")],
        [_("Unit"), f"{unit['name']} ({unit['code']})"],
        [_("Year"), report["year"]],
    ]
    if report["suppressed"]:
        rows.append([_("Counts of 1 to 4 are shown as <5; x hides a cell that would reveal one.")])
    for table in report["tables"]:
        rows += [[], [table["title"]], [_("Indicator"), _("Value")]]
        rows += [[row["label"], cell(row)] for row in table["rows"]]
        if table["total_display"]:
            rows.append(
                [
                    _("Total"),
                    table["total"] if table["total"] is not None else table["total_display"],
                ]
            )
    rows += [
        [],
        [_("Timeliness")],
        [_("Deadline"), _("Decided"), _("On time"), _("Share on time (%)"), _("Median (hours)")],
    ]
    for row in report["timeliness"]:
        if row["hidden"]:
            rows.append([row["label"], "<5", "", "", ""])
        else:
            rows.append(
                [row["label"], row["decided"], row["on_time"], row["share"], row["median_hours"]]
            )
    return rows


def cell(row: dict):
    return row["value"] if row["value"] is not None else row["display"]


def as_csv(report: dict) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows_of(report))
    # The byte-order mark makes Excel read the file as UTF-8, diacritics intact.
    return buffer.getvalue().encode("utf-8-sig")


def new_sheet(book: Workbook) -> Worksheet:
    """The one sheet a new workbook starts with."""
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    return sheet


def as_xlsx(report: dict) -> bytes:
    book = Workbook()
    sheet = new_sheet(book)
    sheet.title = _("Indicators")[:31]
    for values in rows_of(report):
        sheet.append(values)
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows():
        first = row[0]
        if first.value in (_("Indicator"), _("Deadline")):
            for header in row:
                if header.value is not None:
                    header.fill, header.font = HEADER_FILL, HEADER_FONT
        elif len(row) == 1 or all(c.value is None for c in row[1:]):
            first.font = Font(bold=True)
    sheet.column_dimensions[get_column_letter(1)].width = 70
    for column in range(2, 6):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    for row in sheet.iter_rows(min_col=2):
        for value_cell in row:
            if isinstance(value_cell.value, int):
                value_cell.number_format = "#,##0"
            value_cell.alignment = Alignment(horizontal="right")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan_rows(report: dict) -> list[list]:
    rows: list[list] = [
        [f"{report['plan']['code']} — {report['plan']['title']}"],
        [_("Year"), report["year"]],
        [],
        [_("Section"), _("Task"), _("Agency"), _("Results"), _("Figures from the records")],
    ]
    for section in report["sections"]:
        for task in section["tasks"]:
            figures = "; ".join(figure_summary(table) for table in task["figures"])
            results = task["results"] or [{"agency": "", "text": ""}]
            for result in results:
                rows.append(
                    [
                        f"III.{section['number']}",
                        task["text"],
                        result["agency"],
                        result["text"],
                        figures,
                    ]
                )
    return rows


def figure_summary(table: dict) -> str:
    cells = ", ".join(f"{row['label']} {row['display']}" for row in table["rows"])
    return f"{table['title']}: {cells}"


def plan_as_csv(report: dict) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(plan_rows(report))
    return buffer.getvalue().encode("utf-8-sig")


def plan_as_xlsx(report: dict) -> bytes:
    book = Workbook()
    sheet = new_sheet(book)
    sheet.title = _("Plan outcome")[:31]
    for values in plan_rows(report):
        sheet.append(values)
    sheet["A1"].font = Font(bold=True, size=13)
    for header in sheet[4]:
        header.fill, header.font = HEADER_FILL, HEADER_FONT
    for letter, width in zip("ABCDE", (10, 70, 35, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=5):
        for value_cell in row:
            value_cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
