"""Which communes a report covers, in the structure it is shown in.

A case keeps the commune it was recorded under, in the structure of that day. A report for a unit
of either structure takes the communes under it and, through the successions, those of the other
structure that became them (or that they became), so a case recorded under a legacy commune is
counted under its successor and the other way round.
"""

from collections import defaultdict

from django.db.models import Q

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
