"""Which communes a report covers, in the structure it is shown in.

A case keeps the commune it was recorded under, in the structure of that day. A report for a unit
of either structure takes the communes under it and, through the successions, those of the other
structure that became them (or that they became), so a case recorded under a legacy commune is
counted under its successor and the other way round.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Expression, F, IntegerField, Q, Value

from core.models import Unit, UnitLevel, UnitSuccession


def communes_under(unit: Unit) -> list[int]:
    """Commune ids, of both structures, whose cases belong to `unit`'s report."""
    own = list(
        Unit.objects.under(unit).filter(level=UnitLevel.COMMUNE).values_list("pk", flat=True)
    )
    linked = UnitSuccession.objects.filter(Q(predecessor_id__in=own) | Q(successor_id__in=own))
    other = set()
    for before, after in linked.values_list("predecessor_id", "successor_id"):
        other.add(after if before in own else before)
    communes_other = Unit.objects.filter(pk__in=other, level=UnitLevel.COMMUNE)
    return sorted(set(own) | set(communes_other.values_list("pk", flat=True)))


def display_commune(unit: Unit, commune_ids: list[int]) -> dict[int, Unit]:
    """For each commune id, the commune of `unit`'s structure it is shown under.

    A legacy commune split between several new ones is shown under the first of them by code, and
    a new commune made of several legacy ones under the first of those: each case counts once.
    """
    structure = unit.structure
    units = {u.pk: u for u in Unit.objects.filter(pk__in=commune_ids)}
    mapped: dict[int, Unit] = {}
    candidates: dict[int, list[Unit]] = defaultdict(list)
    foreign = [pk for pk, u in units.items() if u.structure != structure]
    for succession in UnitSuccession.objects.filter(
        Q(predecessor_id__in=foreign) | Q(successor_id__in=foreign)
    ).select_related("predecessor", "successor"):
        for mine, theirs in (
            (succession.predecessor, succession.successor),
            (succession.successor, succession.predecessor),
        ):
            if mine.pk in foreign and theirs.structure == structure:
                candidates[mine.pk].append(theirs)
    for pk, commune in units.items():
        if commune.structure == structure:
            mapped[pk] = commune
        elif candidates[pk]:
            mapped[pk] = min(candidates[pk], key=lambda u: u.code)
    return mapped


@dataclass
class Split:
    """The communes a report counts, each given to one unit: the report's own unit, or, when the
    report must hold up against its siblings' reports (reports/suppression.py), the sibling under
    the same parent that the commune is shown under.

    A report's cases are those of the communes given to its unit, so that the communes' reports
    add up to their parent's and a case counts in one of them only.
    """

    unit: Unit
    unit_of_commune: dict[int, int]

    @classmethod
    def of(cls, unit: Unit, *, siblings: bool) -> "Split":
        parent = unit.parent
        if parent is None:
            return cls(unit, dict.fromkeys(communes_under(unit), unit.pk))
        shown = display_commune(parent, communes_under(parent))
        at_level = {
            commune: (shown_as.pk if unit.level == UnitLevel.COMMUNE else shown_as.parent_id)
            for commune, shown_as in shown.items()
        }
        if not siblings:
            return cls(unit, {c: u for c, u in at_level.items() if u == unit.pk})
        return cls(unit, {c: u for c, u in at_level.items() if u is not None})

    @property
    def communes(self) -> list[int]:
        return sorted(self.unit_of_commune)

    @property
    def own_communes(self) -> list[int]:
        return sorted(c for c, u in self.unit_of_commune.items() if u == self.unit.pk)

    @property
    def units(self) -> list[int]:
        """The units counted: the report's own first."""
        return [self.unit.pk, *sorted(set(self.unit_of_commune.values()) - {self.unit.pk})]

    def unit_expression(self, commune: str) -> Expression:
        """SQL giving, for a row whose commune is at the path `commune`, the unit it counts for."""
        if len(self.units) == 1:
            return Value(self.unit.pk, output_field=IntegerField())
        return Mapped(F(commune), self.unit_of_commune)


class Mapped(Expression):
    """`CASE column WHEN key THEN value … END`: a small lookup table written into the query.

    A `Case` of `When`s would say the same, at the cost of compiling one condition per unit in
    every query of a report; this compiles the column once. Keys and values are ids (ints), so
    they are written as literals."""

    output_field = IntegerField()

    def __init__(self, source: Any, mapping: dict[int, int]) -> None:
        super().__init__()
        self.source = source
        self.mapping = {int(key): int(value) for key, value in mapping.items()}

    def get_source_expressions(self) -> list:
        return [self.source]

    def set_source_expressions(self, expressions: Any) -> None:
        (self.source,) = expressions

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        sql, params = compiler.compile(self.source)
        whens = " ".join(f"WHEN {key} THEN {value}" for key, value in self.mapping.items())
        return f"CASE {sql} {whens} END", params
