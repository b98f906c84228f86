"""Parallel workers for the reports only (docs/performance.md, "Parallel workers").

PostgreSQL may split one query across worker processes. For a report that reads a province's
year that nearly halves its time; for a commune's page it is the opposite: starting the workers
costs more than the query (the officer's search by a child's name at 1,000,000 cases: 2 ms
alone, 6–30 ms with two workers). Migration core/0013 makes no workers the database's default,
and a report asks for them for its own transaction: a setting scoped to a transaction, which
PgBouncer in transaction mode keeps to that transaction.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction

SETTING = "max_parallel_workers_per_gather"
# `set_config(…, true)` is SET LOCAL: it ends with the transaction (or the savepoint rolled back).
SET_LOCAL = f"SELECT set_config('{SETTING}', %s, true)"


@contextmanager
def parallel_reads() -> Iterator[None]:
    """Within the block, one transaction, each query may use the report's parallel workers
    (`CHECHO_REPORT_PARALLEL_WORKERS`); also a decorator. Inside a transaction already begun (a
    task's, a test's), the block is a savepoint, which the setting would outlive: it is put
    back as it was when the block ends. Nothing on SQLite, which has no workers, and whose every
    transaction takes the write lock (core/settings.py)."""
    if connection.vendor != "postgresql":
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            before = None
            if nested:
                cursor.execute(f"SELECT current_setting('{SETTING}')")
                (before,) = cursor.fetchone()
            cursor.execute(SET_LOCAL, [str(settings.CHECHO_REPORT_PARALLEL_WORKERS)])
        yield
        # An error above rolls the savepoint back, and the setting with it.
        if before is not None:
            with connection.cursor() as cursor:
                cursor.execute(SET_LOCAL, [before])
