"""Parallel workers for the reports only (core/parallel.py, migration core/0013): a new session
of the database runs each query alone; a report's transaction allows the workers, for as long
as it lasts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.selectors import case_list
from core.models import Unit
from core.parallel import parallel_reads
from reports.indicators import Period, indicator_report
from scale.generate import generate
from tests.services.test_query_plans import plan

pytestmark = pytest.mark.django_db

SETTING = "max_parallel_workers_per_gather"
# What makes the planner split even a small generated country's queries across workers when it
# may: a plan with workers then says the setting allowed them, whatever the data's size.
EAGER = (
    "SET parallel_setup_cost = 0",
    "SET parallel_tuple_cost = 0",
    "SET min_parallel_table_scan_size = 0",
    "SET min_parallel_index_scan_size = 0",
)


def workers(cursor) -> str:
    cursor.execute(f"SHOW {SETTING}")
    return cursor.fetchone()[0]


def test_a_reports_transaction_may_plan_with_workers_and_the_setting_ends_with_it(demo, settings):
    """Inside the test's transaction the block is a savepoint, which a transaction-local setting
    would outlive: it is put back when the block ends."""
    settings.CHECHO_REPORT_PARALLEL_WORKERS = 2
    generate(3000, lambda line: None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case, cases_child")
        cursor.execute(f"SET {SETTING} = 0")  # as a new session has it (test_database_defaults)
        for statement in EAGER:
            cursor.execute(statement)
    searched = case_list(demo["officer_a"], q="lan").order_by()

    with parallel_reads(), connection.cursor() as cursor:
        assert workers(cursor) == "2"
        assert "Gather" in plan(searched), plan(searched)
    with connection.cursor() as cursor:
        assert workers(cursor) == "0"
        cursor.execute(f"RESET {SETTING}")


def test_the_indicator_report_asks_for_its_workers_first(demo):
    province = Unit.objects.get(structure="2025", code="37", level="province")
    with CaptureQueriesContext(connection) as statements:
        indicator_report(Period(timezone.localdate().year, province), now=timezone.now())

    sent = [s["sql"] for s in statements.captured_queries if "SAVEPOINT" not in s["sql"]]
    assert SETTING in sent[0], sent[0]
