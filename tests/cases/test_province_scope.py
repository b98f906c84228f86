"""A province's cases and referrals are matched by their stored province (issue 17), a column
the database keeps from the unit path (core.models.units.province_column) and indexes in the
lists' order: it must follow the path whoever moves it, and a province's reader must list
exactly the rows under its path."""

import pytest
from django.db.models import Q

from cases.models import Case
from cases.selectors import case_list
from cases.visibility import cases_under
from core.scope import under_paths
from core.staff import province_of
from referrals.models import Referral
from referrals.selectors import referral_list
from tests.cases.factories import make_case
from tests.referrals.helpers import refer, sexual_abuse_case

pytestmark = pytest.mark.django_db

NINH_BINH, ELSEWHERE = "2025/37/", "2025/01/00001/"  # a path in Hà Nội (province 01)


@pytest.fixture
def rows(demo):
    """Ninh Bình's cases and a referral, and one case with its referral moved to Hà Nội by
    their paths alone, as a data repair or a reform of the units would move them (the test's
    transaction undoes it)."""
    home = [sexual_abuse_case(demo) for _ in range(3)]
    referral = refer(demo, home[0], "police_report")
    moved = make_case(demo["officer_a"])
    moved_referral = refer(demo, moved, "legal_aid")
    Case.objects.filter(pk=moved.pk).update(unit_path=ELSEWHERE)
    Referral.objects.filter(pk=moved_referral.pk).update(unit_path=ELSEWHERE)
    return {"home": home, "referral": referral, "moved": moved, "moved_referral": moved_referral}


def ids(rows) -> set[int]:
    return {row.pk for row in rows}


def test_the_stored_province_is_the_first_two_steps_of_the_path_wherever_it_moves(rows):
    for record in [*rows["home"], rows["referral"], rows["moved"], rows["moved_referral"]]:
        record.refresh_from_db()
        assert record.province_path == province_of(record.unit_path)
    assert rows["moved"].province_path == rows["moved_referral"].province_path == "2025/01/"


def test_a_provinces_cases_are_those_under_its_path(rows, demo):
    province = ids(Case.objects.filter(cases_under(NINH_BINH)))

    assert province == ids(Case.objects.filter(unit_path__startswith=NINH_BINH))
    assert ids(rows["home"]) <= province and rows["moved"].pk not in province
    assert list(Case.objects.filter(cases_under("2025/01/"))) == [rows["moved"]]
    assert ids(case_list(demo["province"])) == province
    # The commune's officer keeps the prefix of its own path.
    assert rows["moved"].pk not in ids(case_list(demo["officer_a"]))


def test_a_provinces_referrals_are_those_under_its_path(rows, demo):
    referrals = ids(referral_list(demo["province"]))

    assert referrals == ids(Referral.objects.filter(unit_path__startswith=NINH_BINH))
    assert rows["referral"].pk in referrals and rows["moved_referral"].pk not in referrals


@pytest.mark.parametrize(
    ("path", "province_matched"),
    [(NINH_BINH, True), ("2020/37/", True), ("2025/37/14428/", False), ("2025/", False)],
)
def test_only_a_provinces_path_is_matched_by_the_stored_province(path, province_matched):
    assert cases_under(path) == (
        Q(province_path=path) if province_matched else Q(unit_path__startswith=path)
    )
    assert under_paths("unit_path", [path]) == Q(unit_path__startswith=path)
