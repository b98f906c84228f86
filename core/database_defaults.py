"""Settings the migrations make this database's defaults (PostgreSQL): read by each new session,
through PgBouncer too, so no connection has to remember them. Kept stable: migrations call it.

`ALTER DATABASE … SET` needs the database's owner. Run by another role, a migration says what to
ask the database's administrator for, and goes on: the product is right either way, only slower.
"""

import sys

from django.db import DatabaseError, migrations, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from core.errors import sqlstate_of

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
        if sqlstate_of(error) != INSUFFICIENT_PRIVILEGE:
            raise
        sys.stderr.write(
            f"\n  Could not change this database's settings ({error}).\n"
            f"  Ask its administrator for: ALTER DATABASE <name> {action};\n"
        )


def database_default(setting: str, value: str) -> migrations.RunPython:
    """A migration's operation making `value` this database's default for `setting`, and, in
    reverse, the server's own default again. `value` is written into a quoted string: a number
    or a bare word (`off`, `600000` milliseconds), never a quoted one."""
    return migrations.RunPython(
        lambda apps, schema_editor: alter_this_database(schema_editor, f"SET {setting} = {value}"),
        lambda apps, schema_editor: alter_this_database(schema_editor, f"RESET {setting}"),
    )
