"""A province's cases are matched by their path and by their province (cases/visibility.py:
cases_under), whose index keeps them in the lists' order; the two always agree."""

from django.db.models import Q

from cases.models import Case
from cases.selectors import case_list
from cases.visibility import cases_under
from tests.cases.factories import make_case


def test_a_provinces_cases_are_those_under_its_path(demo):
    home = [make_case(demo["officer_a"]) for _ in range(3)]
    elsewhere = make_case(demo["officer_a"])
    # As if it lay in another province (the test's transaction undoes it).
    Case.objects.filter(pk=elsewhere.pk).update(unit_path="2025/01/00001/")

    province = set(Case.objects.filter(cases_under("2025/37/")).values_list("pk", flat=True))

    assert province == set(
        Case.objects.filter(unit_path__startswith="2025/37/").values_list("pk", flat=True)
    )
    assert {case.pk for case in home} <= province and elsewhere.pk not in province
    assert list(Case.objects.filter(cases_under("2025/01/"))) == [elsewhere]
    assert {case.pk for case in case_list(demo["province"])} == province


def test_a_commune_and_the_whole_structure_are_matched_by_their_path_alone():
    for path in ("2025/37/14428/", "2025/"):
        assert cases_under(path) == Q(unit_path__startswith=path)
