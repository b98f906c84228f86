"""Small-count suppression: the one rule for every count of children or cases that leaves the
case-handling roles (DOMAIN §9) — the dashboard, the printable page, XLSX, CSV, the API and the
plan's outcome report all pass through `hidden_cells`.

A count of 1 to threshold − 1 (policy default 5: CHECHO_SMALL_COUNT_THRESHOLD, changed by an
administrator in "Policy settings") is shown as "<5", so that no child can be recognised in a
small commune. Where the cells add up to a shown total, one hidden cell could be worked out by
subtraction, so the next smallest cell is hidden too ("x"); a small total hides all its cells.
A unit's report is decided beside its siblings' (reports/units.Split), so that subtracting the
siblings' reports from their parent's gives no hidden cell away either (differencing).
Counts about organisations (inspections, violations, fines, agencies' tasks) are never hidden.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from core.policy import small_count_threshold
from reports.indicators import REPEATED_FIGURES, Report
from reports.tables import TOTAL, Table
from reports.timeliness import Deadline

SECONDARY = "x"


def small_counts() -> range:
    """The counts hidden: 1 to one less than the policy's threshold."""
    return range(1, small_count_threshold())


def primary_mark() -> str:
    return f"<{small_count_threshold()}"


# Cells that show one figure, each as (table key, row key or TOTAL).
Repeated = Iterable[tuple[tuple[str, str], ...]]


@dataclass
class Figures:
    """One table's counts of children or cases for one unit: what suppression decides on."""

    values: dict[str, int]  # row key → count
    total: int | None  # None when the rows do not partition a total


def hidden_cells(
    figures: dict[int, dict[str, Figures]], repeated: Repeated = ()
) -> dict[int, dict[str, set[str]]]:
    """For each unit and table, the cells to hide: row keys, and TOTAL for the total.

    `figures` holds one unit, or a unit and its siblings under one parent. With siblings, a cell
    hidden in one of them only would be the parent's figure minus the others' (differencing), so
    each row hides a second sibling's cell too, and so on until every table and every row holds:
    the outcome depends on the figures only, so every sibling's report hides the same cells.
    A figure `repeated` in two tables is hidden in both as soon as it is hidden in one.
    """
    small = small_counts()
    hidden = {
        unit: {key: primary(table, small) for key, table in tables.items()}
        for unit, tables in figures.items()
    }
    rows = sorted(
        {
            (key, row)
            for tables in figures.values()
            for key, table in tables.items()
            for row in [*table.values, *([TOTAL] if table.total is not None else [])]
        }
    )
    changed = True
    while changed:
        changed = False
        for unit, tables in figures.items():
            for key, table in tables.items():
                changed |= complete_table(table, hidden[unit][key])
            for cells in repeated:
                changed |= hide_together(hidden[unit], cells)
        if len(figures) > 1:
            for key, row in rows:
                changed |= complete_row(figures, hidden, key, row)
    return hidden


def primary(table: Figures, small: range) -> set[str]:
    """The small counts; a small total hides every cell of its table."""
    if table.total in small:
        return {TOTAL, *(row for row, value in table.values.items() if value)}
    return {row for row, value in table.values.items() if value in small}


def complete_table(table: Figures, hidden: set[str]) -> bool:
    """Within a table whose rows add up to its total, one hidden cell could be worked out by
    subtraction, and so could a hidden total beside cells all shown: hide the smallest shown."""
    if table.total is None:
        return False
    cells_hidden = len(hidden - {TOTAL})
    if cells_hidden != (0 if TOTAL in hidden else 1):
        return False
    return hide_smallest(table.values, hidden)


def complete_row(
    figures: dict[int, dict[str, Figures]],
    hidden: dict[int, dict[str, set[str]]],
    key: str,
    row: str,
) -> bool:
    """Across siblings: a cell hidden in one of them only is the parent's figure minus the
    others'; hide the smallest shown cell of the row in another sibling."""

    def figure(unit: int) -> int | None:
        table = figures[unit].get(key)
        if table is None:
            return None
        return table.total if row == TOTAL else table.values.get(row, 0)

    if sum(1 for unit in figures if row in hidden[unit].get(key, ())) != 1:
        return False
    candidates = sorted(
        (value, unit)
        for unit in figures
        if (value := figure(unit)) and row not in hidden[unit][key]
    )
    if not candidates:
        return False
    hidden[candidates[0][1]][key].add(row)
    return True


def hide_together(hidden: dict[str, set[str]], cells: tuple[tuple[str, str], ...]) -> bool:
    """One figure shown in several tables: hidden in one, it is hidden in all of them."""
    present = [(table, row) for table, row in cells if table in hidden]
    if not any(row in hidden[table] for table, row in present):
        return False
    missing = [(table, row) for table, row in present if row not in hidden[table]]
    for table, row in missing:
        hidden[table].add(row)
    return bool(missing)


def hide_smallest(values: dict[str, int], hidden: set[str]) -> bool:
    shown = sorted((value, row) for row, value in values.items() if value and row not in hidden)
    if not shown:
        return False
    hidden.add(shown[0][1])
    return True


@dataclass
class Cell:
    value: int | float | None  # None once hidden
    display: str

    @property
    def hidden(self) -> bool:
        return self.value is None


def shown_cell(value: int | float | None, hide: bool) -> Cell:
    if not hide:
        return Cell(value, format_number(value))
    return Cell(None, primary_mark() if value in small_counts() else SECONDARY)


def suppress_cells(values: list[int], total: int | None) -> tuple[list[Cell], Cell | None]:
    """One table's cells (and total) as they may be shown outside the case-handling roles."""
    keys = [str(i) for i in range(len(values))]
    hidden = hidden_cells({0: {"": Figures(dict(zip(keys, values, strict=True)), total)}})[0][""]
    cells = [shown_cell(value, key in hidden) for key, value in zip(keys, values, strict=True)]
    return cells, (shown_cell(total, TOTAL in hidden) if total is not None else None)


def figures_of(tables: list[Table], deadlines: list[Deadline]) -> dict[str, Figures]:
    """The counts of children and cases of one unit's report, by table (and deadline) key."""
    figures = {
        table.key: Figures({row.key: int(row.value or 0) for row in table.rows}, table.total)
        for table in tables
        if table.counts.is_about_children
    }
    for deadline in deadlines:
        figures[deadline_key(deadline)] = Figures(
            {"on_time": deadline.on_time, "late": deadline.late}, deadline.decided
        )
    return figures


def deadline_key(deadline: Deadline) -> str:
    return f"deadline:{deadline.key}"


def hidden_by_unit(report: Report) -> dict[int, dict[str, set[str]]]:
    """The cells hidden in every unit `report` counted: its own, and its siblings when counted."""
    return hidden_cells(
        {
            unit: figures_of(tables, report.timeliness_of[unit])
            for unit, tables in report.tables_of.items()
        },
        REPEATED_FIGURES,
    )


def hidden_in(report: Report) -> dict[str, set[str]]:
    """The cells hidden in `report`'s own unit, decided with its siblings' figures when the report
    counted them."""
    return hidden_by_unit(report)[report.unit]


def shown_table(table: Table, *, hidden: set[str] | None) -> dict:
    """A table as the reports show and export it: each row's value, or None and its mark.
    `hidden` is None when the table is shown exact."""
    hide = hidden is not None and table.counts.is_about_children
    hidden = (hidden or set()) if hide else set()
    cells = [shown_cell(row.value, row.key in hidden) for row in table.rows]
    total = shown_cell(table.total, TOTAL in hidden) if table.total is not None else None
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


def shown_deadline(deadline: Deadline, *, hidden: set[str] | None) -> dict:
    """A timeliness row: deadlines decided, met in time and missed are counts of cases, hidden by
    the same rule; the share would give a hidden count away, so it goes with it."""
    hidden = hidden or set()
    on_time = shown_cell(deadline.on_time, "on_time" in hidden)
    late = shown_cell(deadline.late, "late" in hidden)
    decided = shown_cell(deadline.decided, TOTAL in hidden)
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
        "share": None if hidden & {"on_time", "late"} else share,
        "median": None if TOTAL in hidden else deadline.median,
        "median_unit": deadline.unit,
    }


def format_number(value: int | float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "·").replace(".", ",").replace("·", ".")
    return f"{value:,}".replace(",", ".")  # Vietnamese thousands separator
