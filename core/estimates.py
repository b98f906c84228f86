"""What PostgreSQL's planner expects of a query before it is run, from its statistics: how many
rows a table holds, how many a query would return. A choice between two ways of reading (or the
admin's count of a table of millions) costs a plan, not the reading."""

import json
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet


def table_rows(model: type[Model], using: str = "default") -> int | None:
    """The rows of `model`'s table as last counted by ANALYZE or VACUUM; None off PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        (estimate,) = cursor.fetchone()
    return int(estimate)


def planned_rows(queryset: QuerySet[Any]) -> int | None:
    """The rows the planner expects `queryset` to return (EXPLAIN, not run); None off
    PostgreSQL."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    # Django reads json columns as text (it decodes JSONField values itself).
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
