"""Four users take the same step on one case at the same moment: one succeeds, the others are told
the case has moved on (409), and nothing answers 500 (issue 13).

Each request runs in its own thread with its own database connection, on whatever database the
suite runs on: SQLite in `make test` (the embedded default, with WAL, immediate transactions and
a busy timeout, core/settings.py) and PostgreSQL in CI.
"""

import datetime
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabase
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services
from cases.models import Case, CaseEvent
from core.models import Unit, User

RACERS = 4
STEP = {
    "harm_level": "low",
    "immediate_danger": False,
    "confirmed": "risk",
    "safety_measures": "Ở nhà bà.",
    "findings": "Đã gặp gia đình.",
}


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """A database every thread's own connection reaches, committed for real.

    PostgreSQL and a file-based SQLite are that already. The in-memory SQLite database of the
    tests is not what the product runs on: its connections share one cache whose table locks
    fail at once instead of waiting, and WAL does not apply to it. For this test it is copied to
    a file, which the settings' options (WAL, immediate transactions, the busy timeout) then
    govern as they govern the demo's database; the in-memory one is put back afterwards."""
    database = connections["default"]
    if not (isinstance(database, SQLiteDatabase) and database.is_in_memory_db()):
        yield
        return
    settings = database.settings_dict  # the dict each thread's new connection is built from
    in_memory = settings["NAME"]
    keeper = sqlite3.connect(in_memory, uri=True)  # the in-memory database lives while it is open
    copy = tmp_path / "concurrency.sqlite3"
    database.ensure_connection()
    with sqlite3.connect(copy) as target:
        database.connection.backup(target)
    target.close()
    settings["NAME"] = str(copy)
    database.close()  # no longer in memory: really closed; the next query opens the file
    try:
        yield
    finally:
        database.close()
        settings["NAME"] = in_memory
        database.ensure_connection()
        keeper.close()


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Each call in its own thread (so its own connection), all released at once."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # the outcome under test, kept for the assertions
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def new_case(officer: User) -> Case:
    return services.case_create(
        actor=officer,
        commune=Unit.objects.get(structure="2025", code="14428"),
        received_at=timezone.now() - datetime.timedelta(hours=1),
        channel="phone",
        source="family",
        description="…",
        situation="abused",
        abuse_forms=["physical_violence"],
        setting="family",
        child=services.ChildData(full_name="Lê Thị Hoa", sex="female", estimated_age=8),
    )


def test_four_concurrent_transitions_on_one_case_give_one_success_and_409s(
    shared_database: None, demo: dict[str, User]
):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    officer = demo["officer_a"]
    case = new_case(officer)

    def assess() -> int:
        client = APIClient()
        client.force_authenticate(officer)
        url = f"/api/v1/cases/{case.pk}/transitions/assess_initial/"
        return client.post(url, STEP, format="json").status_code

    statuses = run_together([assess] * RACERS)

    assert sorted(statuses) == [200] + [409] * (RACERS - 1), statuses
    case.refresh_from_db()
    assert case.status == "assessment"
    assert case.initialassessments.count() == 1
    assert CaseEvent.objects.filter(case=case).exclude(action="create").count() == 1
