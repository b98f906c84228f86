"""The planner's estimates (core/estimates.py): close to what the queries return on PostgreSQL,
none elsewhere (the demo's SQLite), so that a caller always has a way without them."""

import pytest
from django.db import connection

from core.estimates import planned_rows, table_rows
from core.models import Unit, UnitLevel

pytestmark = pytest.mark.django_db


def test_the_planner_expects_about_the_rows_a_table_and_a_query_hold(demo):
    communes = Unit.objects.filter(level=UnitLevel.COMMUNE)
    if connection.vendor != "postgresql":
        assert planned_rows(communes) is None and table_rows(Unit) is None
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_unit")
    assert table_rows(Unit) == Unit.objects.count()
    actual, expected = communes.count(), planned_rows(communes)
    assert expected is not None and actual > 0 and actual / 2 <= expected <= actual * 2
    assert planned_rows(communes.filter(code="no such code")) == 1  # the planner's floor
