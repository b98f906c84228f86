"""No parallel workers by default in this database (core/parallel.py says why; the reports ask
for theirs). Through core/database_defaults.py, which says who may and what happens otherwise.
"""

from django.db import migrations

from core.database_defaults import alter_this_database

SETTING = "max_parallel_workers_per_gather"


def serial(apps, schema_editor) -> None:
    alter_this_database(schema_editor, f"SET {SETTING} = 0")


def as_the_server_says(apps, schema_editor) -> None:
    alter_this_database(schema_editor, f"RESET {SETTING}")


class Migration(migrations.Migration):
    dependencies = [("core", "0012_clock_next_action")]

    operations = [migrations.RunPython(serial, as_the_server_says)]
