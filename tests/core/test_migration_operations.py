"""core/migration_operations.py: a foreign key's own index is dropped, and only it; Django's
AlterField would drop the key's constraint and add it back, checked row by row with the tables
closed to writes (a minute at 1,000,000 cases)."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from core.migration_operations import DropForeignKeyIndex

MIGRATION = ("referrals", "0007_no_redundant_foreign_key_indexes")
BEFORE = ("referrals", "0006_province_column")


# Outside a test's transaction: SQLite's schema editor refuses to start inside one.
@pytest.mark.django_db(transaction=True)
def test_a_keys_own_index_is_dropped_and_nothing_else():
    loader = MigrationLoader(connection)
    before, after = loader.project_state(BEFORE), loader.project_state(MIGRATION)
    drop_case_index = next(
        operation
        for operation in loader.disk_migrations[MIGRATION].operations
        if isinstance(operation, DropForeignKeyIndex) and operation.name == "case"
    )

    with connection.schema_editor(collect_sql=True) as editor:
        drop_case_index.database_forwards("referrals", editor, before, after)

    # The index referrals' first migration made for the key (its name is Django's hash of the
    # table and column); tests/services/test_indexes.py finds none left on PostgreSQL.
    index = editor.quote_name("referrals_referral_case_id_b6a3f342")
    assert editor.collected_sql == [f"DROP INDEX IF EXISTS {index};"]
