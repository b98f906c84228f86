"""Settings the migrations make this database's defaults (PostgreSQL): read by each new session,
through PgBouncer too, so no connection has to remember them. Kept stable: migrations call it.

`ALTER DATABASE … SET` needs the database's owner. Run by another role, a migration says what to
ask the database's administrator for, and goes on: the product is right either way, only slower.
"""

import sys

from django.db import DatabaseError, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

INSUFFICIENT_PRIVILEGE = "42501"  # not the database's owner


def alter_this_database(schema_editor: BaseDatabaseSchemaEditor, action: str) -> None:
    """`ALTER DATABASE <this one> <action>`, e.g. "SET jit = off" or "RESET jit"."""
    if schema_editor.connection.vendor != "postgresql":
        return
    statement = (
        f"DO $$ BEGIN EXECUTE format('ALTER DATABASE %I {action}', current_database()); END $$"
    )
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(statement, None)  # no parameters: `%I` stays
    except DatabaseError as error:
        if getattr(error.__cause__, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
            raise
        sys.stderr.write(
            f"\n  Could not change this database's settings ({error}).\n"
            f"  Ask its administrator for: ALTER DATABASE <name> {action};\n"
        )
