"""Suppression survives differencing: a manager who reads a province and each of its communes
cannot work out a hidden commune cell by subtracting the communes' shown cells from the
province's."""

import pytest
from django.utils import timezone

from core.models import RoleMembership, Unit, UnitLevel, User
from core.roles import Role
from reports import suppression
from reports.indicators import Period, indicator_report
from tests.reports.builders import YEAR, child_case

# Children abused per commune, (girls, boys): several communes with small counts.
ABUSED = [(3, 5), (5, 6), (6, 5), (5, 5), (5, 5), (0, 2)]


@pytest.fixture
def six_communes(demo) -> list[Unit]:
    """Six communes of Ninh Bình, each with its own officer and its reports of the year."""
    communes = list(
        Unit.objects.filter(structure="2025", level=UnitLevel.COMMUNE, parent__code="37")
        .exclude(code__in=["14428", "14329"])
        .order_by("code")[: len(ABUSED) - 2]
    )
    communes = [
        Unit.objects.get(structure="2025", code="14428"),
        Unit.objects.get(structure="2025", code="14329"),
        *communes,
    ]
    for commune, (girls, boys) in zip(communes, ABUSED, strict=True):
        officer = User.objects.create_user(username=f"officer_{commune.code}")
        RoleMembership.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=commune)
        demo[officer.username] = officer
        for sex, count in (("female", girls), ("male", boys)):
            for age in range(count):
                child_case(demo, commune=commune.code, sex=sex, age=2 + age, actor=officer.username)
    return communes


def read(api, unit: str) -> dict:
    response = api.get("/api/v1/reports/indicators/", {"year": YEAR, "unit": unit})
    assert response.status_code == 200, response.content
    assert response.json()["suppressed"] is True
    return response.json()


def cells(report: dict) -> dict[tuple[str, str], int | None]:
    """(table, row) → the value shown (None when hidden), totals and timeliness included."""
    shown: dict[tuple[str, str], int | None] = {}
    for table in report["tables"]:
        if table["counts"] in ("children", "cases"):
            for row in table["rows"]:
                shown[table["key"], row["key"]] = row["value"]
            if table["total_display"]:
                shown[table["key"], "total"] = table["total"]
    for deadline in report["timeliness"]:
        for row in ("decided", "on_time", "late"):
            shown[f"deadline:{deadline['key']}", row] = deadline[row]
    return shown


def recoverable(province: dict, communes: list[dict]) -> list[tuple[str, str]]:
    """The cells the province's figure minus the communes' shown figures gives away: those of
    rows where the province's cell is shown and exactly one commune's is hidden."""
    whole = cells(province)
    parts = [cells(report) for report in communes]
    return [
        key
        for key, value in whole.items()
        if value is not None and sum(1 for part in parts if part.get(key, 0) is None) == 1
    ]


def test_subtracting_the_communes_from_the_province_recovers_no_hidden_cell(six_communes, api_as):
    manager = api_as("manager")
    province = read(manager, "37")
    communes = [read(manager, f"2025:{commune.code}") for commune in six_communes]

    without_the_siblings_the_same_figures_would_give_cells_away(six_communes)
    every_sibling_report_hides_the_same_cells(six_communes)
    assert recoverable(province, communes) == []
    # Each commune's report still holds up on its own, and small counts are still hidden.
    for report in communes:
        for (table, row), value in cells(report).items():
            assert value not in range(1, 5), (report["unit"]["code"], table, row)
    # What may be shown still is: the communes with 7, 12 and 9 children show their totals.
    totals = [table_of(r, "abused_by_sex")["total"] for r in communes]
    assert totals == [None, 11, 11, 10, 10, None]  # 8 hidden beside the 2
    assert table_of(province, "abused_by_sex")["total"] == 52


def table_of(report: dict, key: str) -> dict:
    return next(t for t in report["tables"] if t["key"] == key)


def without_the_siblings_the_same_figures_would_give_cells_away(six_communes):
    """The scenario is one where suppressing each commune on its own leaks: the test above
    would fail if the reports stopped counting the siblings."""
    now = timezone.now()
    province = suppression.hidden_in(
        indicator_report(Period(YEAR, six_communes[0].parent), now=now)
    )
    alone = [
        suppression.hidden_in(indicator_report(Period(YEAR, commune), now=now))
        for commune in six_communes
    ]
    rows = {(key, row) for hidden in alone for key, rows in hidden.items() for row in rows}
    leaks = [
        (key, row)
        for key, row in rows
        if row not in province.get(key, set())
        and sum(1 for hidden in alone if row in hidden.get(key, set())) == 1
    ]
    assert leaks, "the scenario no longer tests differencing"


def every_sibling_report_hides_the_same_cells(six_communes):
    """Counted from any sibling, the figures are the same, so the cells hidden are too: reading
    the communes one after the other never shows a cell that another reading hid."""
    now = timezone.now()
    reports = [
        indicator_report(Period(YEAR, commune, siblings=True), now=now) for commune in six_communes
    ]

    def figures(report):
        return {
            unit: [t.rows for t in tables if t.counts.is_about_children]
            for unit, tables in report.tables_of.items()
        }

    assert all(figures(report) == figures(reports[0]) for report in reports[1:])
    decisions = [suppression.hidden_by_unit(report) for report in reports]
    assert all(decision == decisions[0] for decision in decisions[1:])
