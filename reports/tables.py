"""What a report is made of: tables of counts, each saying what it counts and its indicator code.

A table counts children, cases or organisations. Counts of children and cases leave the
case-handling roles suppressed (reports/suppression.py); counts about organisations — inspections,
violations and fines, agencies' tasks — are not about any child and are always exact.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from core.typing import StrOrPromise


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


def by(queryset: QuerySet, dimension: str, *, distinct: str) -> dict[Any, int]:
    """One grouped COUNT(DISTINCT …): {value of the dimension: count}."""
    grouped = queryset.values(dimension).annotate(n=Count(distinct, distinct=True))
    return {row[dimension]: row["n"] for row in grouped}


def labelled(counts: dict, choices) -> list[tuple[str, Any, int]]:
    return [(str(code), label, counts.get(code, 0)) for code, label in choices]
