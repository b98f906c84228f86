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
@pytest.mark.parametrize(
    "by_key,hashed",
    [(1000, 50_000), (0, 50_000), (0, -1)],
    ids=["few-named", "many-named", "most-named"],
)
def test_a_search_finds_what_each_case_holds_for_every_reader(
    cases, demo, monkeypatch, username, q, by_key, hashed
):
    """The three ways a province finds the children named: read first when few, hashed when
    more, else each case's child read by its key (`NAMED_BY_KEY` 0: every name counts as
    common; `NAMED_HASHED_AT_MOST` -1: as named by more than any estimate)."""
    monkeypatch.setattr("cases.selectors.NAMED_BY_KEY", by_key)
    monkeypatch.setattr("cases.selectors.NAMED_HASHED_AT_MOST", hashed)
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
