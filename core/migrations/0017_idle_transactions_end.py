"""A transaction left open and idle ends after ten minutes in this database (docs/operations.md,
"Transactions left open").

An open transaction holds the oldest snapshot, so VACUUM cleans no table behind it, and it
keeps whatever rows it locked: a `BEGIN` forgotten in an operator's psql session, or a process
stuck between two statements of one transaction, would do that for as long as it lasts. No
transaction of the product waits anywhere near ten minutes between its statements (a request
ends within 30 s, a sweep's batch within a second, a report's transaction within seconds), so
PostgreSQL ends the session that does. The web's statements have their own limit
(core/statement_limit.py); this one binds every session, whoever opened it.
"""

from django.db import migrations

from core.database_defaults import database_default


class Migration(migrations.Migration):
    dependencies = [("core", "0016_no_jit")]

    operations = [database_default("idle_in_transaction_session_timeout", "600000")]  # 10 min
