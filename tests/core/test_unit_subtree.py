"""Everything under a unit is one prefix query on the materialised path, however deep the tree
(docs/decisions/0001)."""

from collections import Counter

from core.models import Unit


def unit(structure, code):
    return Unit.objects.get(structure=structure, code=code)


def test_under_a_legacy_province_gives_it_with_its_districts_and_communes_in_one_query(
    ninh_binh, django_assert_num_queries
):
    province = unit("2020", "37")

    with django_assert_num_queries(1) as captured:
        units = list(Unit.objects.under(province))

    assert Counter(u.level for u in units) == {"province": 1, "district": 7, "commune": 125}
    assert all(u.path.startswith("2020/37/") for u in units)
    assert unit("2020", "14428") in units
    # A prefix LIKE that an index on path can serve, not a walk down the tree.
    assert "LIKE '2020/37/%'" in captured.captured_queries[0]["sql"]


def test_under_a_legacy_district_gives_only_that_district(ninh_binh):
    district = unit("2020", "372")

    codes = set(Unit.objects.under(district).values_list("code", flat=True))

    assert len(codes) == 1 + 23
    assert {"372", "14428"} <= codes
    assert "370" not in codes  # a sibling district


def test_under_todays_province_leaves_out_the_legacy_units_with_the_same_code(ninh_binh):
    units = Unit.objects.under(unit("2025", "37"))

    assert set(units.values_list("structure", flat=True)) == {"2025"}
    assert units.count() == 1 + 129


def test_under_a_commune_gives_just_the_commune(ninh_binh):
    commune = unit("2025", "14428")

    assert list(Unit.objects.under(commune)) == [commune]


def test_a_unit_contains_its_descendants_and_not_its_ancestors(ninh_binh):
    province, commune = unit("2020", "37"), unit("2020", "14428")

    assert province.contains(commune)
    assert province.contains(province)
    assert not commune.contains(province)
    assert not unit("2025", "37").contains(commune)
