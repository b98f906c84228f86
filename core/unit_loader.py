"""Loads the official unit lists shipped in core/data/units into the database.

Loading is a reconciliation: rows that are missing are created, rows that differ are updated,
rows that match are left alone, so running it again changes nothing.
"""

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from core.models import Unit, UnitSuccession
from core.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data" / "units"
REFORM_DAY = datetime.date(2025, 7, 1)


@dataclass(frozen=True)
class Edition:
    """One official unit list and the dates it was in force."""

    structure: str
    file_name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None


# The three-tier list as it stood just before the 2025 reform, then the two-tier list since.
EDITIONS = (
    Edition("2020", "vn-units-legacy-2020.csv", None, REFORM_DAY - datetime.timedelta(days=1)),
    Edition("2025", "vn-units-2025.csv", REFORM_DAY, None),
)
SUCCESSIONS = ("2020", "2025", "vn-commune-successors-2025.csv")

UNIT_FIELDS = ("name", "division_type", "level", "path", "search_name", "valid_from", "valid_to")


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass
class LoadReport:
    units: Tally = field(default_factory=Tally)
    successions: Tally = field(default_factory=Tally)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def paths_by_code(structure: str, rows: list[dict[str, str]]) -> dict[str, str]:
    parent_of = {row["code"]: row["parent_code"] for row in rows}

    def chain(code: str) -> list[str]:
        codes = [code]
        while parent_of.get(codes[-1]):
            codes.append(parent_of[codes[-1]])
        return codes[::-1]

    return {code: f"{structure}/" + "".join(f"{c}/" for c in chain(code)) for code in parent_of}


@transaction.atomic
def load_units(*, province: str | None = None, data_dir: Path = DATA_DIR) -> LoadReport:
    """Reconcile the units and their successions with the files.

    With `province`, only that province of today and the legacy provinces that merged into it
    (Ninh Bình 37 absorbed Hà Nam and Nam Định) are loaded.
    """
    report = LoadReport()
    provinces = provinces_merged_into(province, data_dir) if province else None
    for edition in EDITIONS:
        load_edition(edition, provinces, data_dir, report.units)
    load_successions(data_dir, report.successions)
    return report


def provinces_merged_into(province: str, data_dir: Path) -> dict[str, set[str]]:
    """Province codes to load per structure for one province of today."""
    old_structure, new_structure, file_name = SUCCESSIONS
    province_of_new = province_by_commune(data_dir / edition_file(new_structure))
    province_of_old = province_by_commune(data_dir / edition_file(old_structure))
    if province not in province_of_new.values():
        raise ValueError(f"There is no province {province!r} in today's unit list.")
    legacy = {
        province_of_old[row["legacy_commune_code"]]
        for row in read_rows(data_dir / file_name)
        if province_of_new.get(row["new_commune_code"]) == province
    }
    return {new_structure: {province}, old_structure: legacy}


def edition_file(structure: str) -> str:
    return next(e.file_name for e in EDITIONS if e.structure == structure)


def province_by_commune(path: Path) -> dict[str, str]:
    rows = read_rows(path)
    parent_of = {row["code"]: row["parent_code"] for row in rows}
    result = {}
    for row in rows:
        if row["level"] == "commune":
            code = row["code"]
            while parent_of.get(code):
                code = parent_of[code]
            result[row["code"]] = code
    return result


def load_edition(
    edition: Edition, provinces: dict[str, set[str]] | None, data_dir: Path, tally: Tally
) -> None:
    rows = read_rows(data_dir / edition.file_name)
    paths = paths_by_code(edition.structure, rows)
    if provinces is not None:
        prefixes = tuple(f"{edition.structure}/{code}/" for code in provinces[edition.structure])
        rows = [row for row in rows if paths[row["code"]].startswith(prefixes)]

    existing = {unit.code: unit for unit in Unit.objects.filter(structure=edition.structure)}
    wanted = {
        row["code"]: {
            "name": row["name"],
            "division_type": row["division_type"],
            "level": row["level"],
            "path": paths[row["code"]],
            "search_name": fold(row["name"]),
            "valid_from": edition.valid_from,
            "valid_to": edition.valid_to,
        }
        for row in rows
    }

    # Create missing units a level at a time, parents first, so each knows its parent's id.
    ids = {code: unit.pk for code, unit in existing.items()}
    created_codes: set[str] = set()
    for depth in sorted({path.count("/") for path in paths.values()}):
        level_rows = [
            r for r in rows if r["code"] not in existing and paths[r["code"]].count("/") == depth
        ]
        created = Unit.objects.bulk_create(
            [
                Unit(
                    structure=edition.structure,
                    code=row["code"],
                    parent_id=ids.get(row["parent_code"]),
                    **wanted[row["code"]],
                )
                for row in level_rows
            ],
            batch_size=1000,
        )
        created_codes |= {unit.code for unit in created}
        ids |= dict(
            Unit.objects.filter(
                structure=edition.structure, code__in=[u.code for u in created]
            ).values_list("code", "pk")
        )

    changed = []
    for row in rows:
        unit = existing.get(row["code"])
        if unit is None:
            continue
        values = wanted[row["code"]] | {"parent_id": ids.get(row["parent_code"])}
        if any(getattr(unit, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(unit, name, value)
            changed.append(unit)
    Unit.objects.bulk_update(changed, [*UNIT_FIELDS, "parent"], batch_size=1000)

    tally.created += len(created_codes)
    tally.updated += len(changed)
    tally.unchanged += len(rows) - len(created_codes) - len(changed)


def load_successions(data_dir: Path, tally: Tally) -> None:
    """Commune successions from the file; district and province successions derived from them."""
    old_structure, new_structure, file_name = SUCCESSIONS
    old = dict(Unit.objects.filter(structure=old_structure).values_list("code", "pk"))
    new = dict(Unit.objects.filter(structure=new_structure).values_list("code", "pk"))
    old_parent = dict(Unit.objects.filter(structure=old_structure).values_list("pk", "parent_id"))
    new_parent = dict(Unit.objects.filter(structure=new_structure).values_list("pk", "parent_id"))

    wanted: dict[tuple[int, int], bool] = {}
    for row in read_rows(data_dir / file_name):
        before, after = old.get(row["legacy_commune_code"]), new.get(row["new_commune_code"])
        if before is None or after is None:
            continue  # outside the loaded provinces
        wanted[(before, after)] = row["partly_merged"] == "1"

    # A district became the communes its communes became; a province, their provinces.
    derived: dict[int, set[int]] = defaultdict(set)
    for before, after in list(wanted):
        district = old_parent[before]
        derived[district].add(after)
        derived[old_parent[district] or district].add(new_parent[after])
    for before, afters in derived.items():
        for after in afters:
            wanted.setdefault((before, after), len(afters) > 1)

    current = {
        (s.predecessor_id, s.successor_id): s
        for s in UnitSuccession.objects.filter(predecessor_id__in=old.values())
    }
    create = [
        UnitSuccession(predecessor_id=before, successor_id=after, partly=partly)
        for (before, after), partly in wanted.items()
        if (before, after) not in current
    ]
    update = []
    for key, succession in current.items():
        if key in wanted and succession.partly != wanted[key]:
            succession.partly = wanted[key]
            update.append(succession)
    stale = [s.pk for key, s in current.items() if key not in wanted]

    UnitSuccession.objects.bulk_create(create, batch_size=2000)
    UnitSuccession.objects.bulk_update(update, ["partly"], batch_size=2000)
    UnitSuccession.objects.filter(pk__in=stale).delete()
    tally.created += len(create)
    tally.updated += len(update)
    tally.removed += len(stale)
    tally.unchanged += len(wanted) - len(create) - len(update)
