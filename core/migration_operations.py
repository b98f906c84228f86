"""Migration operations of our own, where Django's would lock a national table for long."""

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from django.db import migrations, models, transaction


class DropForeignKeyIndex(migrations.AlterField):
    """`AlterField` to `db_index=False` that drops the foreign key's own index and nothing else.

    Django's drops the key's constraint and adds it back, and PostgreSQL checks the constraint
    row by row with both tables closed to writes: 53 s for the 24 keys it was first used for,
    on 1,000,000 cases, the cases, referrals and outbox unwritable meanwhile. Dropping the index
    takes a moment. Going back rebuilds it the slow way, Django's.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        table, column = model._meta.db_table, model._meta.get_field(self.name).column
        # The name Django gave the index, computed as its schema editor computes it (reading it
        # back from the database instead trips on SQLite's introspection of these tables).
        name = schema_editor._create_index_name(table, [column])
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


# How long a statement that closes a table for a moment waits for the lock before giving up: a
# long transaction holding the table (a report, a worker's task) would otherwise make it queue,
# and every read and write of the table queue behind it. `migrate` fails naming the lock; run it
# again when the table is quiet.
LOCK_WAIT = "5s"


@contextlib.contextmanager
def lock_wait_bounded(schema_editor) -> Iterator[None]:
    schema_editor.execute(f"SET lock_timeout = '{LOCK_WAIT}'")
    try:
        yield
    finally:
        schema_editor.execute("RESET lock_timeout")


class OnlineAddConstraint(migrations.AddConstraint):
    """`AddConstraint` that, on PostgreSQL, keeps the table open to writes while its rows are
    checked (`add_online`), in a migration with `atomic = False`; other databases get Django's,
    in a transaction of its own (SQLite rebuilds the table: a failure leaves no half-made copy)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            with transaction.atomic(using=connection.alias):
                return super().database_forwards(app_label, schema_editor, from_state, to_state)
        if connection.in_atomic_block:
            # In one transaction the moment's lock would be held through the whole check.
            raise ValueError(f"{self.constraint.name}: run it in a migration with atomic = False.")
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(connection.alias, model):
            self.add_online(schema_editor, model)

    # Each kind of constraint says how it is added online.
    add_online: Callable[[Any, type[models.Model]], None]


class AddCheckConstraintNotValid(OnlineAddConstraint):
    """A check added without closing a national table to reads and writes.

    Django's adds the check in one statement that reads every row with the table closed to
    reads and writes. This adds it `NOT VALID` (new rows are checked from then on, after a
    moment's lock), commits, then checks the old rows with `VALIDATE CONSTRAINT`, which lets
    reads and writes go on. Should an old row break the rule, the check is dropped again, so
    that the migration can run once the row is mended.
    """

    def add_online(self, schema_editor, model) -> None:
        table = schema_editor.quote_name(model._meta.db_table)
        name = schema_editor.quote_name(self.constraint.name)
        with lock_wait_bounded(schema_editor):
            # Left by an earlier run of this migration that failed after it (a non-atomic
            # migration is recorded only once all of it has run): each run starts clean.
            schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}")
            # Interpolated already: no parameters, so that its % stay as they are.
            schema_editor.execute(
                f"{self.constraint.create_sql(model, schema_editor)} NOT VALID", params=None
            )
        try:
            schema_editor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")
        except Exception:
            with lock_wait_bounded(schema_editor):
                schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            raise


class AddUniqueConstraintConcurrently(OnlineAddConstraint):
    """A partial unique constraint (a unique index) built `CONCURRENTLY`: the table stays open to
    writes while the index is built. A build that fails (two rows already break the rule) leaves
    an invalid index behind, which is dropped, so that the migration can run again once the rows
    are mended; an index left by an earlier run is built again."""

    def add_online(self, schema_editor, model) -> None:
        statement = str(self.constraint.create_sql(model, schema_editor))
        prefix = "CREATE UNIQUE INDEX "
        if not statement.startswith(prefix):
            raise ValueError(f"{self.constraint.name} is not built as an index: {statement}")
        name = schema_editor.quote_name(self.constraint.name)
        # Left by an earlier run of this migration, as for the checks above.
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        try:
            schema_editor.execute(
                statement.replace(prefix, "CREATE UNIQUE INDEX CONCURRENTLY ", 1), params=None
            )
        except Exception:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            raise
