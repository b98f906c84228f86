"""The report's unit list reads as a tree: each unit below its own parent, never below the last
district of the other structure (found in a user's walk: the 2020 communes of Ninh Bình were listed
after the last of today's units, under the wrong parent)."""

import re

import pytest

from core.models import Unit

pytestmark = pytest.mark.django_db


def listed_units(client) -> list[Unit]:
    page = client.get("/reports/").content.decode()
    (select,) = re.findall(r'<select name="unit"[^>]*>(.*?)</select>', page, re.S)
    keys = re.findall(r'<option value="(\d{4}):(\w+)"', select)
    units = {(u.structure, u.code): u for u in Unit.objects.all()}
    return [units[key] for key in keys]


def test_each_unit_is_listed_below_its_parent_with_nothing_foreign_between(demo, client):
    client.force_login(demo["province"])
    listed = listed_units(client)
    paths = [unit.path for unit in listed]

    assert {unit.structure for unit in listed} == {"2020", "2025"}
    assert listed[0].structure == "2025"  # today's first
    for position, unit in enumerate(listed):
        parent = unit.parent
        if parent is None or parent.path not in paths:
            continue
        between = paths[paths.index(parent.path) + 1 : position]
        assert all(path.startswith(parent.path) for path in between), unit
        assert paths.index(parent.path) < position, unit
