"""What a report is made of: tables of counts, each saying what it counts and its indicator code.

A table counts children, cases or organisations. Counts of children and cases leave the
case-handling roles suppressed (reports/suppression.py); counts about organisations — inspections,
violations and fines, agencies' tasks — are not about any child and are always exact.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from core.typing import StrOrPromise
from reports.units import Split


class Counted(models.TextChoices):
    CHILDREN = "children", _("children")
    CASES = "cases", _("cases")
    ORGANISATIONS = "organisations", _("organisations and sanctions")
    MONEY = "money", _("amount (VND)")

    @property
    def is_about_children(self) -> bool:
        """Whether a small count could point at a child: children and cases, never the rest."""
        return self in (Counted.CHILDREN, Counted.CASES)


@dataclass
class Row:
    key: str
    label: StrOrPromise
    value: int | float | None


@dataclass
class Table:
    key: str
    title: StrOrPromise
    rows: list[Row]
    # The sum of the rows when they partition it (None when a child may fall in several rows):
    # shown as the table's total, and why hiding one small cell is never enough.
    total: int | None = None
    counts: Counted = Counted.CHILDREN
    # The indicator's code in Circular 13/2021/TT-BLĐTBXH, where the circular gives one.
    code: str = ""


TOTAL = "total"  # the key of a table's total among its hidden cells (reports/suppression.py)


def table(
    key: str,
    title: StrOrPromise,
    pairs: list[tuple[str, Any, int]],
    *,
    total: int | None,
    counts: Counted = Counted.CHILDREN,
    code: str = "",
) -> Table:
    return Table(key, title, [Row(k, label, v) for k, label, v in pairs], total, counts, code)


# Every count is grouped by the unit it is counted for (reports/units.Split): the report's own
# unit alone, or each of its siblings when its suppression must hold up against theirs.
UNIT = "counted_for"
PerUnit = dict[int, list[Table]]


def by(
    queryset: QuerySet, dimension: str, *, distinct: str, split: Split, commune: str = "commune_id"
) -> defaultdict[int, dict[Any, int]]:
    """One grouped COUNT(DISTINCT …): {unit: {value of the dimension: count}}."""
    grouped = (
        queryset.annotate(**{UNIT: split.unit_expression(commune)})
        .values(UNIT, dimension)
        .annotate(n=Count(distinct, distinct=True))
        .order_by()  # a model's ordering would join the GROUP BY (PostgreSQL refuses it)
    )
    counts: defaultdict[int, dict[Any, int]] = defaultdict(dict)
    for row in grouped:
        counts[row[UNIT]][row[dimension]] = row["n"]
    return counts


def totals(
    queryset: QuerySet, aggregates: dict[str, Any], *, split: Split, commune: str = "commune_id"
) -> defaultdict[int, defaultdict[str, int]]:
    """One grouped query of several aggregates: {unit: {name: value}}, 0 where none."""
    grouped = (
        queryset.annotate(**{UNIT: split.unit_expression(commune)})
        .values(UNIT)
        .annotate(**aggregates)
        .order_by()
    )
    counts: defaultdict[int, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in grouped:
        counts[row.pop(UNIT)].update({k: v or 0 for k, v in row.items()})
    return counts


def labelled(counts: dict, choices) -> list[tuple[str, Any, int]]:
    return [(str(code), label, counts.get(code, 0)) for code, label in choices]
