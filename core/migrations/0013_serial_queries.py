"""No parallel workers by default in this database (core/parallel.py says why; the reports ask
for theirs). Through core/database_defaults.py, which says who may and what happens otherwise.
"""

from django.db import migrations

from core.database_defaults import database_default


class Migration(migrations.Migration):
    dependencies = [("core", "0012_clock_next_action")]

    operations = [database_default("max_parallel_workers_per_gather", "0")]
