"""A search finds the same cases whoever reads: a commune's staff read each of their cases' child
by its key, a province's readers find the children named first (cases/selectors.py: `named`),
and both must answer what the case's code and the child's folded name hold."""

import pytest

from cases.models import Case
from cases.selectors import case_list
from core.text import fold
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

COMMUNE_B = "14329"


@pytest.fixture
def cases(demo):
    return {
        "lan": make_case(demo["officer_a"], full_name="Đỗ Thị Lan"),
        "mai": make_case(demo["officer_a"], full_name="Trần Thị Mai"),
        "nam": make_case(demo["officer_b"], commune_code=COMMUNE_B, full_name="Trần Văn Nam"),
    }


def expected(reader_cases: set[int], q: str) -> set[int]:
    """What a search should find among a reader's cases, by reading each one."""
    needle, folded = q.strip().upper(), fold(q)
    return {
        case.pk
        for case in Case.objects.filter(pk__in=reader_cases).select_related("child")
        if needle in case.code or folded in case.child.search_name
    }


@pytest.mark.parametrize("username", ["officer_a", "officer_b", "chair_a", "province"])
@pytest.mark.parametrize("q", ["tran", "Trần Thị", "do thi lan", "ĐỖ", "nobody", "%", "_"])
@pytest.mark.parametrize("by_key", [1000, 0], ids=["few-named", "many-named"])
def test_a_search_finds_what_each_case_holds_for_every_reader(
    cases, demo, monkeypatch, username, q, by_key
):
    """Both ways a province finds the children named: read first when few, else matched as its
    cases are read (`NAMED_BY_KEY` 0: every name counts as common)."""
    monkeypatch.setattr("cases.selectors.NAMED_BY_KEY", by_key)
    reader = demo[username]
    mine = {case.pk for case in case_list(reader)}
    assert {case.pk for case in case_list(reader, q=q)} == expected(mine, q)


def test_a_province_finds_by_name_and_by_code_across_its_communes(cases, demo):
    province = demo["province"]
    assert {c.pk for c in case_list(province, q="tran")} == {cases["mai"].pk, cases["nam"].pk}
    code = cases["nam"].code
    assert [c.pk for c in case_list(province, q=code.lower())] == [cases["nam"].pk]
    # The commune's officer searching the same name finds its own case alone.
    assert [c.pk for c in case_list(demo["officer_a"], q="tran")] == [cases["mai"].pk]
