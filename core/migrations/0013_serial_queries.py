"""No parallel workers by default in this database (core/parallel.py says why; the reports ask
for theirs).

`ALTER DATABASE … SET` is read by each new session, through PgBouncer too, and needs the
database's owner. Run by another role, the migration says what to ask the database's
administrator for, and goes on: the product is right either way, only slower.
"""

import sys

from django.db import DatabaseError, migrations, transaction

SETTING = "max_parallel_workers_per_gather"
INSUFFICIENT_PRIVILEGE = "42501"  # not the database's owner


def for_this_database(action: str) -> str:
    return (
        "DO $$ BEGIN EXECUTE format("
        f"'ALTER DATABASE %I {action}', current_database()"
        "); END $$"
    )


def run(schema_editor, action: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(for_this_database(action), None)  # no parameters: `%I` stays
    except DatabaseError as error:
        if getattr(error.__cause__, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
            raise
        sys.stderr.write(
            f"\n  Could not set {SETTING} for this database ({error}).\n"
            f"  Ask its administrator for: ALTER DATABASE <name> {action};\n"
        )


def serial(apps, schema_editor) -> None:
    run(schema_editor, f"SET {SETTING} = 0")


def as_the_server_says(apps, schema_editor) -> None:
    run(schema_editor, f"RESET {SETTING}")


class Migration(migrations.Migration):
    dependencies = [("core", "0012_clock_next_action")]

    operations = [migrations.RunPython(serial, as_the_server_says)]
