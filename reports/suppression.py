"""Small-count suppression for aggregates that leave the case-handling agencies (DOMAIN §9).

A count of 1–4 (policy default: CHECHO_SMALL_COUNT_THRESHOLD, changed by an administrator in the
admin's "Policy settings") is shown as "<5" so that no child can be recognised in a small commune.
Where a table has a total, hiding one cell is not enough — it could be worked out by subtraction —
so the next smallest cell is hidden too ("x"), and a small total hides its whole table.
"""

from dataclasses import dataclass

from core.policy import small_count_threshold
from reports.indicators import Table

SECONDARY = "x"


def small_counts() -> range:
    """The counts hidden: 1 to one less than the policy's threshold."""
    return range(1, small_count_threshold())


def primary_mark() -> str:
    return f"<{small_count_threshold()}"


@dataclass
class Shown:
    key: str
    label: str
    value: int | float | None  # None when hidden
    display: str


def shown_table(table: Table, *, suppress: bool) -> dict:
    rows = [Shown(r.key, str(r.label), r.value, format_number(r.value)) for r in table.rows]
    total_display = format_number(table.total) if table.total is not None else ""
    total_value = table.total
    if suppress and table.counts_people:
        small, primary = small_counts(), primary_mark()
        hidden = [row for row in rows if row.value in small]
        if table.total is not None and table.total in small:
            hidden = [row for row in rows if row.value]
            total_value, total_display = None, primary
        elif table.total is not None and len(hidden) == 1:
            others = sorted(
                (row for row in rows if row.value and row not in hidden),
                key=lambda r: r.value or 0,  # every row kept has a value; `or 0` is for the types
            )
            hidden += others[:1]
        for row in hidden:
            row.display = primary if row.value in small else SECONDARY
            row.value = None
    return {
        "key": table.key,
        "title": str(table.title),
        "total": total_value,
        "total_display": total_display,
        "rows": [row.__dict__ for row in rows],
        "suppressed": suppress and table.counts_people,
    }


def shown_timeliness(row: dict, *, suppress: bool) -> dict:
    if suppress and row["decided"] in small_counts():
        hidden = {"decided": None, "on_time": None, "share": None, "median_hours": None}
        return row | hidden | {"hidden": True}
    return row | {"hidden": False}


def format_number(value: int | float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", ".")
    return f"{value:,}".replace(",", ".")  # Vietnamese thousands separator
