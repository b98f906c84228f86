"""The database's defaults the migrations set (core/database_defaults.py), as a session opened
after them sees them: no JIT compiling (core 0016), no parallel workers (core 0013, and
test_parallel_workers.py for the reports that ask for theirs), no transaction left idle for
more than ten minutes (core 0017)."""

import pytest
from django.db import connections

pytestmark = pytest.mark.django_db


def shown(setting: str) -> str:
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute(f"SHOW {setting}")
            return cursor.fetchone()[0]
    finally:
        fresh.close()


def test_a_new_session_compiles_no_statement():
    assert shown("jit") == "off"


def test_a_new_session_runs_each_query_without_workers():
    assert shown("max_parallel_workers_per_gather") == "0"


def test_a_new_session_left_idle_in_a_transaction_is_ended_after_ten_minutes():
    assert shown("idle_in_transaction_session_timeout") == "10min"
