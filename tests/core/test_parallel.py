"""A report's reads (core/parallel.py): on PostgreSQL, parallel workers for its transaction; on
SQLite nothing, not even a transaction, which there would hold the write lock for the report."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.parallel import parallel_reads

pytestmark = pytest.mark.django_db


def test_a_reports_reads_ask_for_workers_on_postgresql_only(settings):
    settings.CHECHO_REPORT_PARALLEL_WORKERS = 3
    with CaptureQueriesContext(connection) as sent, parallel_reads():
        pass

    statements = [query["sql"] for query in sent.captured_queries]
    if connection.vendor == "postgresql":
        assert any("max_parallel_workers_per_gather" in s and "'3'" in s for s in statements)
    else:
        assert statements == []
