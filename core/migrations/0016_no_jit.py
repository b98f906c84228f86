"""No JIT compilation by default in this database (docs/performance.md, "JIT").

PostgreSQL compiles a statement whose estimated cost passes `jit_above_cost`. The product's
statements are a page's, which the planner may overestimate (a province's search by one common
word: 10 ms of compiling for a 13 ms page), and the reports', which JIT made slower, not faster:
the province-year report at 1,000,000 cases took 8.1–8.9 s with it, 5.9–6.4 s without, each of
its parallel workers compiling the same plan again. An operator who measures otherwise sets it
back (`ALTER DATABASE <name> RESET jit`).
"""

from django.db import migrations

from core.database_defaults import database_default


class Migration(migrations.Migration):
    dependencies = [("core", "0015_open_clocks_with_subject")]

    operations = [database_default("jit", "off")]
