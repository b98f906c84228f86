"""Loading the official unit lists: the 2025 two-tier structure, the legacy three-tier structure
in force until 30 June 2025, and the successions between them."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Unit, UnitLevel, UnitSuccession
from core.unit_loader import Tally, load_units

LAST_LEGACY_DAY = datetime.date(2025, 6, 30)
REFORM_DAY = datetime.date(2025, 7, 1)
# 63 provinces, 696 districts and 10,051 communes before the reform; 34 and 3,321 since.
ALL_UNITS = 63 + 696 + 10051 + 34 + 3321
# 10,554 commune successions from the file, 3,647 derived for districts, 63 for provinces.
ALL_SUCCESSIONS = 10554 + 3647 + 63


@pytest.fixture
def ninh_binh(empty_db: None) -> None:
    # The loader under test builds the units itself, from an empty database, rather than
    # relying on the copy the session loaded (tests/conftest.py).
    load_units(province="37")


def unit(structure, code):
    return Unit.objects.get(structure=structure, code=code)


def successors_of(structure, code):
    rows = UnitSuccession.objects.filter(predecessor=unit(structure, code)).select_related(
        "successor"
    )
    return {(row.successor.structure, row.successor.code): row.partly for row in rows}


def snapshot():
    units = set(Unit.objects.values_list("pk", "structure", "code", "parent_id", "path", "name"))
    successions = set(
        UnitSuccession.objects.values_list("pk", "predecessor_id", "successor_id", "partly")
    )
    return units, successions


def test_a_full_load_has_34_provinces_and_3321_communes_today_and_the_legacy_tree_before(empty_db):
    out = StringIO()
    call_command("load_units", stdout=out)

    today = Unit.objects.valid_on(timezone.localdate())
    assert today.filter(level=UnitLevel.PROVINCE).count() == 34
    assert today.filter(level=UnitLevel.COMMUNE).count() == 3321
    assert today.filter(level=UnitLevel.DISTRICT).count() == 0
    ninh_binh = today.get(code="37")
    assert (ninh_binh.structure, ninh_binh.name) == ("2025", "Tỉnh Ninh Bình")
    assert today.filter(parent=ninh_binh, level=UnitLevel.COMMUNE).count() == 129

    before = Unit.objects.valid_on(LAST_LEGACY_DAY)
    assert before.filter(level=UnitLevel.PROVINCE).count() == 63
    assert before.filter(level=UnitLevel.DISTRICT).count() == 696
    assert before.filter(level=UnitLevel.COMMUNE).count() == 10051
    legacy_ninh_binh = before.get(code="37")
    assert legacy_ninh_binh.structure == "2020"
    assert before.filter(parent=legacy_ninh_binh, level=UnitLevel.DISTRICT).count() == 7

    assert UnitSuccession.objects.count() == ALL_SUCCESSIONS
    assert out.getvalue().splitlines() == [
        f"units: {ALL_UNITS} created, 0 updated, 0 unchanged, 0 removed",
        f"successions: {ALL_SUCCESSIONS} created, 0 updated, 0 unchanged, 0 removed",
        "valid today: 34 provinces, 3321 communes",
    ]


def test_loading_again_changes_nothing(empty_db):
    first = load_units()
    assert first.units == Tally(created=ALL_UNITS)
    before = snapshot()

    out = StringIO()
    call_command("load_units", stdout=out)

    assert snapshot() == before
    assert out.getvalue().splitlines()[:2] == [
        f"units: 0 created, 0 updated, {ALL_UNITS} unchanged, 0 removed",
        f"successions: 0 created, 0 updated, {ALL_SUCCESSIONS} unchanged, 0 removed",
    ]


def test_a_province_load_brings_todays_province_and_the_legacy_provinces_it_absorbed(empty_db):
    report = load_units(province="37")

    provinces = Unit.objects.filter(level=UnitLevel.PROVINCE).values_list("structure", "code")
    assert sorted(provinces) == [("2020", "35"), ("2020", "36"), ("2020", "37"), ("2025", "37")]
    # Ninh Bình and its 129 communes; Hà Nam, Nam Định and the old Ninh Bình with 22 districts
    # and 398 communes.
    assert Unit.objects.filter(structure="2025").count() == 1 + 129
    assert Unit.objects.filter(structure="2020").count() == 3 + 22 + 398
    assert report.units == Tally(created=130 + 423)


def test_units_carry_their_structure_validity_and_path(ninh_binh):
    legacy = unit("2020", "14428")
    assert (legacy.name, legacy.division_type, legacy.level) == (
        "Thị trấn Nho Quan",
        "thị trấn",
        UnitLevel.COMMUNE,
    )
    assert legacy.path == "2020/37/372/14428/"
    assert (legacy.valid_from, legacy.valid_to) == (None, LAST_LEGACY_DAY)
    assert legacy.parent == unit("2020", "372")
    assert legacy.search_name == "thi tran nho quan"

    current = unit("2025", "14428")
    assert (current.name, current.path) == ("Xã Nho Quan", "2025/37/14428/")
    assert (current.valid_from, current.valid_to) == (REFORM_DAY, None)
    assert current.parent == unit("2025", "37")


def test_legacy_commune_14428_is_succeeded_by_commune_14428_of_2025(ninh_binh):
    assert successors_of("2020", "14428") == {("2025", "14428"): False}
    # The new commune took in two more legacy communes, and (derived) part of their district.
    predecessors = unit("2025", "14428").predecessors.values_list("structure", "code")
    assert sorted(predecessors) == [
        ("2020", "14416"),
        ("2020", "14419"),
        ("2020", "14428"),
        ("2020", "372"),
    ]


def test_a_legacy_district_is_succeeded_by_the_communes_its_communes_became(ninh_binh):
    # Huyện Nho Quan went to ten communes, so each of them received only part of it.
    assert successors_of("2020", "372") == {
        ("2025", code): True
        for code in (
            "14371",
            "14389",
            "14401",
            "14404",
            "14407",
            "14428",
            "14434",
            "14452",
            "14458",
            "14533",
        )
    }


def test_a_legacy_province_is_succeeded_by_the_province_it_merged_into(ninh_binh):
    for code in ("35", "36", "37"):
        assert successors_of("2020", code) == {("2025", "37"): False}
    predecessors = unit("2025", "37").predecessors.values_list("structure", "code")
    assert sorted(predecessors) == [("2020", "35"), ("2020", "36"), ("2020", "37")]


def test_loading_again_puts_back_a_unit_edited_in_the_database(ninh_binh):
    Unit.objects.filter(structure="2025", code="14428").update(name="Xã Sai Tên", search_name="x")

    report = load_units(province="37")

    assert (report.units.created, report.units.updated, report.units.removed) == (0, 1, 0)
    assert report.units.unchanged == 130 + 423 - 1
    current = unit("2025", "14428")
    assert (current.name, current.search_name) == ("Xã Nho Quan", "xa nho quan")


def test_loading_again_removes_a_succession_the_files_do_not_have(ninh_binh):
    stray = UnitSuccession.objects.create(
        predecessor=unit("2020", "14428"), successor=unit("2025", "14329")
    )
    UnitSuccession.objects.filter(
        predecessor=unit("2020", "372"), successor=unit("2025", "14428")
    ).update(partly=False)
    count = UnitSuccession.objects.count()

    report = load_units(province="37")

    assert (report.successions.created, report.successions.updated) == (0, 1)
    assert report.successions.removed == 1
    assert not UnitSuccession.objects.filter(pk=stray.pk).exists()
    assert UnitSuccession.objects.count() == count - 1
    assert successors_of("2020", "372")[("2025", "14428")] is True


def test_an_unknown_province_is_refused_and_loads_nothing(empty_db):
    from django.core.management import CommandError, call_command

    from core.models import Unit

    with pytest.raises(CommandError, match="99"):
        call_command("load_units", province="99")
    assert not Unit.objects.exists()
