"""No table of the product is indexed twice on PostgreSQL: an index whose columns begin another
index of the same table (both whole, not partial) answers nothing the longer one does not, and is
one more to write on every insert. Django gives each foreign key an index of its own; where a
composite index or a unique constraint already leads with the column, the field says
`db_index=False` (docs/performance.md, "No index twice")."""

import pytest
from django.apps import apps
from django.db import connection, models

pytestmark = pytest.mark.django_db

OUR_APPS = {"core", "cases", "referrals", "access", "notifications", "inspections", "reports"}

# Each index of the tables: its columns and operator classes, whether it is unique or partial.
INDEXES = """
SELECT t.relname, c.relname, i.indkey::text, i.indclass::text, i.indisunique,
       i.indpred IS NOT NULL, am.amname
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_am am ON am.oid = c.relam
WHERE t.relname = ANY(%s)
"""


def our_tables() -> list[str]:
    """The tables of the product's own models (not the ones Django makes for a many-to-many)."""
    return [
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and model._meta.managed
    ]


def begins(short: str, long: str) -> bool:
    """Whether the list `short` ("3 5", as pg_index writes it) is the start of `long`."""
    return (long + " ").startswith(short + " ")


def redundant_indexes() -> list[tuple[str, str, str]]:
    """(table, index, the longer index that begins with its columns), for whole indexes."""
    with connection.cursor() as cursor:
        cursor.execute(INDEXES, [our_tables()])
        indexes = [row for row in cursor.fetchall() if not row[5]]  # partial ones aside
    return [
        (table, name, other)
        for table, name, columns, classes, unique, _partial, method in indexes
        if not unique  # a constraint says something an index does not
        for other_table, other, other_columns, other_classes, *_rest, other_method in indexes
        if other_table == table
        and other != name
        and other_method == method
        and begins(columns, other_columns)
        and begins(classes, other_classes)
    ]


def test_no_index_begins_another_of_the_same_table():
    assert redundant_indexes() == []


def test_the_check_finds_an_index_that_another_begins():
    with connection.cursor() as cursor:
        cursor.execute('CREATE INDEX twice_idx ON "cases_caseevent" ("case_id")')

    assert ("cases_caseevent", "twice_idx", "case_event_idx") in redundant_indexes()


KEYS = """
SELECT t.relname, a.attname
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
"""


def without_index(key: models.ForeignKey) -> bool:
    """A key declared `db_index=False` (and not `db_constraint=False`): as it deconstructs."""
    declared = key.deconstruct()[3]
    return declared.get("db_index", True) is False and declared.get("db_constraint", True)


def test_a_key_without_an_index_of_its_own_keeps_its_constraint():
    """Its migration dropped the index alone (core/migration_operations.py)."""
    unindexed = {
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and without_index(field)
    }
    with connection.cursor() as cursor:
        cursor.execute(KEYS)
        constrained = set(cursor.fetchall())

    assert ("referrals_referral", "case_id") in unindexed
    assert unindexed <= constrained, unindexed - constrained
