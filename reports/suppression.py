"""Small-count suppression: the one rule for every count of children or cases that leaves the
case-handling roles (DOMAIN §9) — the dashboard, the printable page, XLSX, CSV, the API and the
plan's outcome report all pass through `suppress_cells`.

A count of 1 to threshold − 1 (policy default 5: CHECHO_SMALL_COUNT_THRESHOLD, changed by an
administrator in "Policy settings") is shown as "<5", so that no child can be recognised in a
small commune. Where the cells add up to a shown total, one hidden cell could be worked out by
subtraction, so the next smallest cell is hidden too ("x"); a small total hides all its cells.
Counts about organisations (inspections, violations, fines, agencies' tasks) are never hidden.
"""

from dataclasses import dataclass

from core.policy import small_count_threshold
from reports.tables import Table
from reports.timeliness import Deadline

SECONDARY = "x"


def small_counts() -> range:
    """The counts hidden: 1 to one less than the policy's threshold."""
    return range(1, small_count_threshold())


def primary_mark() -> str:
    return f"<{small_count_threshold()}"


@dataclass
class Cell:
    value: int | float | None  # None once hidden
    display: str

    @property
    def hidden(self) -> bool:
        return self.value is None


def suppress_cells(values: list[int], total: int | None) -> tuple[list[Cell], Cell | None]:
    """The cells (and their total) as they may be shown outside the case-handling roles."""
    small = small_counts()
    cells = [Cell(value, format_number(value)) for value in values]
    total_cell = Cell(total, format_number(total)) if total is not None else None
    hidden = [cell for cell in cells if cell.value in small]
    if total_cell is not None and total in small:
        hidden = [cell for cell in cells if cell.value]
        total_cell = Cell(None, primary_mark())
    elif total_cell is not None and len(hidden) == 1:
        others = sorted(
            (cell for cell in cells if cell.value and cell not in hidden),
            key=lambda cell: cell.value or 0,  # every cell kept has a value; `or 0` is for mypy
        )
        hidden += others[:1]
    for cell in hidden:
        cell.display = primary_mark() if cell.value in small else SECONDARY
        cell.value = None
    return cells, total_cell


def shown_table(table: Table, *, suppress: bool) -> dict:
    """A table as the reports show and export it: each row's value, or None and its mark."""
    values = [row.value for row in table.rows]
    hide = suppress and table.counts.is_about_children
    if hide:
        cells, total = suppress_cells([int(v or 0) for v in values], table.total)
    else:
        cells = [Cell(v, format_number(v)) for v in values]
        total = Cell(table.total, format_number(table.total)) if table.total is not None else None
    return {
        "key": table.key,
        "code": table.code,
        "title": str(table.title),
        "counts": table.counts.value,
        "total": total.value if total else None,
        "total_display": total.display if total else "",
        "rows": [
            {"key": row.key, "label": str(row.label), "value": cell.value, "display": cell.display}
            for row, cell in zip(table.rows, cells, strict=True)
        ],
        "suppressed": hide,
    }


def shown_deadline(deadline: Deadline, *, suppress: bool) -> dict:
    """A timeliness row: deadlines decided, met in time and missed are counts of cases, hidden by
    the same rule; the share would give a hidden count away, so it goes with it."""
    values = [deadline.on_time, deadline.late]
    if suppress:
        (on_time, late), decided = suppress_cells(values, deadline.decided)
    else:
        on_time, late = (Cell(v, format_number(v)) for v in values)
        decided = Cell(deadline.decided, format_number(deadline.decided))
    assert decided is not None  # a deadline always has its total
    hidden = on_time.hidden or late.hidden
    share = round(100 * deadline.on_time / deadline.decided, 1) if deadline.decided else None
    return {
        "key": deadline.key,
        "label": str(deadline.label),
        "decided": decided.value,
        "decided_display": decided.display,
        "on_time": on_time.value,
        "on_time_display": on_time.display,
        "late": late.value,
        "late_display": late.display,
        "share": None if hidden else share,
        "median": None if decided.hidden else deadline.median,
        "median_unit": deadline.unit,
    }


def format_number(value: int | float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "·").replace(".", ",").replace("·", ".")
    return f"{value:,}".replace(",", ".")  # Vietnamese thousands separator
