"""Small-count suppression for aggregates that leave the case-handling agencies (DOMAIN §9).

A count of 1–4 (policy default) is shown as "<5" so that no child can be recognised in a small
commune. Where a table has a total, hiding one cell is not enough — it could be worked out by
subtraction — so the next smallest cell is hidden too ("x"), and a small total hides its whole
table.
"""

from dataclasses import dataclass

from reports.indicators import Table

SMALL = range(1, 5)
PRIMARY, SECONDARY = "<5", "x"


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
        hidden = [row for row in rows if row.value in SMALL]
        if table.total is not None and table.total in SMALL:
            hidden = [row for row in rows if row.value]
            total_value, total_display = None, PRIMARY
        elif table.total is not None and len(hidden) == 1:
            others = sorted(
                (row for row in rows if row.value and row not in hidden),
                key=lambda r: r.value or 0,  # every row kept has a value; `or 0` is for the types
            )
            hidden += others[:1]
        for row in hidden:
            row.display = PRIMARY if row.value in SMALL else SECONDARY
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
    if suppress and row["decided"] in SMALL:
        hidden = {"decided": None, "on_time": None, "share": None, "median_hours": None}
        return row | hidden | {"hidden": True}
    return row | {"hidden": False}


def format_number(value: int | float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", ".")
    return f"{value:,}".replace(",", ".")  # Vietnamese thousands separator
