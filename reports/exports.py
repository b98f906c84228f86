"""The reports as files: XLSX (formatted to print on A4 landscape) and CSV (UTF-8 that Excel
opens). Every figure has its own row and its value its own column, so the ministry's tools can
read them; years are plain numbers; each file is named after what it holds.
"""

import csv
import io
from collections.abc import Iterable

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

# A text beginning with one of these is a formula to a spreadsheet (OWASP, "CSV injection"): an
# agency's results or a unit's name must never run as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADER_FILL = PatternFill("solid", fgColor="0B6E4F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
CONFIDENTIAL_FONT = Font(bold=True, color="C00000", size=12)


def file_name(*parts: object, extension: str) -> str:
    """`chi-tieu-bao-ve-tre-em-2026-37.xlsx`: words without diacritics, then year and unit."""
    return f"{slugify('-'.join(str(part) for part in parts))}.{extension}"


# --- The indicator report -----------------------------------------------------------------------


def title_block(report: dict, title: str) -> list[list]:
    unit = report["unit"]
    rows: list[list] = [
        [title],
        [_("Unit"), f"{unit['name']} ({unit['code']})"],
        [_("Year"), report["year"]],
    ]
    if report.get("confidential"):
        rows.insert(0, [confidential_mark()])
    if report["suppressed"]:
        rows.append([_("Counts of 1 to 4 are shown as <5; x hides a cell that would reveal one.")])
    return rows


def confidential_mark() -> str:
    return _("CONFIDENTIAL — exact figures for the official statistical submission only")


def figure_header() -> list[str]:
    return [_("Code"), _("Indicator"), _("Breakdown"), _("Value")]


def figure_rows(report: dict) -> list[list]:
    """One row per figure: the circular's code, the indicator, the breakdown, the value."""
    rows = []
    for t in report["tables"]:
        for row in t["rows"]:
            rows.append([t["code"], t["title"], row["label"], shown(row["value"], row["display"])])
        if t["total_display"]:
            rows.append([t["code"], t["title"], _("Total"), shown(t["total"], t["total_display"])])
    return rows


def timeliness_header() -> list[str]:
    return [
        _("Deadline"),
        _("Decided"),
        _("On time"),
        _("Late"),
        _("Share on time (%)"),
        _("Median"),
        _("Unit of the median"),
    ]


def timeliness_rows(report: dict) -> list[list]:
    units = {"hours": _("hours"), "days": _("days")}
    return [
        [
            row["label"],
            shown(row["decided"], row["decided_display"]),
            shown(row["on_time"], row["on_time_display"]),
            shown(row["late"], row["late_display"]),
            row["share"] if row["share"] is not None else "",
            row["median"] if row["median"] is not None else "",
            units[row["median_unit"]],
        ]
        for row in report["timeliness"]
    ]


def shown(value, display: str):
    """A number where it may be shown, else its mark ("<5", "x")."""
    return value if value is not None else display


def report_title(report: dict) -> str:
    if report["confidential"]:
        return _("Official statistical submission on child abuse (Circular 13/2021/TT-BLĐTBXH)")
    return _("Che Chở — indicators on child protection")


def indicators_csv(report: dict) -> bytes:
    rows = [
        *title_block(report, report_title(report)),
        [],
        figure_header(),
        *figure_rows(report),
        [],
        timeliness_header(),
        *timeliness_rows(report),
    ]
    return as_csv(rows)


def indicators_xlsx(report: dict) -> bytes:
    book = Workbook()
    sheet = first_sheet(book, _("Indicators"))
    header_at = write(sheet, title_block(report, report_title(report))) + 2
    sheet.append([])
    write(sheet, [figure_header(), *figure_rows(report)])
    style_table(sheet, header_row=header_at, widths=(10, 60, 45, 14))
    times = book.create_sheet(_("Timeliness")[:31])
    write(times, [timeliness_header(), *timeliness_rows(report)])
    style_table(times, header_row=1, widths=(60, 12, 12, 12, 16, 12, 16))
    if report.get("confidential"):
        for page in (sheet, times):
            mark_confidential(page)
    return saved(book)


# --- Shared by every workbook -------------------------------------------------------------------


def first_sheet(book: Workbook, title: str) -> Worksheet:
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook starts with one worksheet
    sheet.title = title[:31]
    return sheet


def write(sheet: Worksheet, rows: Iterable[list]) -> int:
    """Appends the rows, every text as text (never a formula); returns the last row's number."""
    for values in rows:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
    return sheet.max_row


def style_table(sheet: Worksheet, *, header_row: int, widths: tuple[int, ...]) -> None:
    """Column widths, a coloured header repeated on every printed page, A4 landscape fitted to
    the page's width, numbers with thousands separators — except years, which stay plain."""
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for cell in sheet[header_row]:
        if cell.value is not None:
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, int) and not isinstance(cell.value, bool):
                cell.number_format = "#,##0"
    for row in sheet.iter_rows(max_row=header_row - 1):
        for cell in row:
            if isinstance(cell.value, int):
                cell.number_format = "0"  # the year: 2026, never 2.026
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = f"A{header_row + 1}"
    setup = sheet.page_setup
    setup.orientation, setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    page_footer(sheet).center.text = "&P / &N"


def page_header(sheet: Worksheet) -> HeaderFooterItem:
    assert sheet.oddHeader is not None  # every worksheet has one; the stubs say it may not
    return sheet.oddHeader


def page_footer(sheet: Worksheet) -> HeaderFooterItem:
    assert sheet.oddFooter is not None
    return sheet.oddFooter


def mark_confidential(sheet: Worksheet) -> None:
    page_header(sheet).center.text = confidential_mark()
    page_header(sheet).center.color = "C00000"
    for row in sheet.iter_rows(max_row=2):
        for cell in row:
            if cell.value == confidential_mark():
                cell.font = CONFIDENTIAL_FONT


def saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[csv_field(value) for value in row] for row in rows])
    # The byte-order mark makes Excel read the file as UTF-8, diacritics intact.
    return buffer.getvalue().encode("utf-8-sig")


# --- The plan's outcome report ------------------------------------------------------------------


def plan_header() -> list[str]:
    return [
        _("Section"),
        _("Task"),
        _("Task text"),
        _("Coordinating"),
        _("Agency"),
        _("Results"),
        _("Code"),
        _("Indicator"),
        _("Breakdown"),
        _("Value"),
    ]


def plan_rows(report: dict) -> list[list]:
    """Per task: a row for each agency's results, then a row for each figure from the records,
    its value in a column of its own."""
    rows = []
    for section in report["sections"]:
        for task in section["tasks"]:
            lead = [
                f"III.{section['number']}",
                task["number"],
                task["text"],
                ", ".join(task["coordinating"]),
            ]
            for result in task["results"] or [{"agency": "", "text": ""}]:
                rows.append([*lead, result["agency"], result["text"], "", "", "", ""])
            for figure in task["figures"]:
                for row in figure["rows"]:
                    value = shown(row["value"], row["display"])
                    rows.append(
                        [*lead, "", "", figure["code"], figure["title"], row["label"], value]
                    )
    return rows


def reporting_rows(report: dict) -> list[list]:
    """Who has reported, in words (a colour alone says nothing printed in black and white)."""
    words = {True: _("Reported"), False: _("Not yet reported")}
    return [
        [f"III.{section['number']}", agency["name"], words[agency["reported"]]]
        for section in report["sections"]
        for agency in section["agencies"]
    ]


def plan_title_block(report: dict) -> list[list]:
    unit = report["unit"]
    return [
        [f"{report['plan']['code']} — {report['plan']['title']}"],
        [_("Year"), report["year"]],
        [_("Unit"), f"{unit['name']} ({unit['code']})" if unit else ""],
        [_("Counts of 1 to 4 are shown as <5; x hides a cell that would reveal one.")],
    ]


def plan_csv(report: dict) -> bytes:
    return as_csv([*plan_title_block(report), [], plan_header(), *plan_rows(report)])


def plan_xlsx(report: dict) -> bytes:
    book = Workbook()
    sheet = first_sheet(book, _("Plan outcome"))
    header_at = write(sheet, plan_title_block(report)) + 2
    sheet.append([])
    write(sheet, [plan_header(), *plan_rows(report)])
    style_table(sheet, header_row=header_at, widths=(8, 6, 60, 25, 30, 60, 8, 35, 30, 10))
    reporting = book.create_sheet(_("Who has reported")[:31])
    write(reporting, [[_("Section"), _("Agency"), _("Status")], *reporting_rows(report)])
    style_table(reporting, header_row=1, widths=(10, 60, 25))
    return saved(book)


def csv_field(value):
    """A text that a spreadsheet would read as a formula, quoted so that it reads as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# --- Which file for which report ----------------------------------------------------------------

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def render(report: dict, fmt: str) -> bytes:
    """The report (indicators, official submission or plan outcome) as an XLSX or CSV file."""
    if "sections" in report:
        return plan_xlsx(report) if fmt == "xlsx" else plan_csv(report)
    return indicators_xlsx(report) if fmt == "xlsx" else indicators_csv(report)


def name_of(report: dict, fmt: str) -> str:
    """`bao-cao-ket-qua-ke-hoach-114-2026-37.xlsx`, `bao-cao-thong-ke-chinh-thuc-2026-37.xlsx`,
    `chi-tieu-bao-ve-tre-em-2026-37.csv`: in Vietnamese, as the province files them."""
    unit = report["unit"]["code"] if report.get("unit") else ""
    if "sections" in report:
        plan_number = report["plan"]["code"].split("/")[0]
        return file_name(
            "bao-cao-ket-qua-ke-hoach", plan_number, report["year"], unit, extension=fmt
        )
    if report["confidential"]:
        return file_name("bao-cao-thong-ke-chinh-thuc", report["year"], unit, extension=fmt)
    return file_name("chi-tieu-bao-ve-tre-em", report["year"], unit, extension=fmt)
