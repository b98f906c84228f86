"""The audit trail is tamper-evident (issue 13): each event is chained to the one before it by a
hash, and `manage.py verify_audit` finds a row changed or removed behind the application's back."""

import importlib
import itertools
import threading
import time
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from core.audit import audit
from core.audit_chain import GENESIS, link
from core.models import AuditEvent, User

TABLE = "core_auditevent"


def behind_the_apps_back(sql: str, params: list) -> None:
    """Raw SQL as whoever owns the table could run it: on PostgreSQL the append-only trigger
    is set aside first (as the owner may), then put back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The foreign keys' deferred checks must run first, or the table cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER core_auditevent_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER core_auditevent_append_only")


def verify_audit(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def events(db) -> list[AuditEvent]:
    actor = User.objects.create_user("officer")
    return [
        audit(actor=actor, action="case.read", details={"n": n, "why": ["visit", n / 2]})
        for n in range(5)
    ]


def test_each_event_follows_the_one_before(events):
    chain = list(AuditEvent.objects.order_by("id"))

    assert chain[0].previous_hash == GENESIS
    for before, after in itertools.pairwise(chain):
        assert after.previous_hash == before.chain_hash
    for event in chain:
        assert event.chain_hash == link(event.previous_hash, event.chained_fields())
        assert len(event.chain_hash) == 64


def test_an_intact_trail_verifies(events):
    last = events[-1]

    assert (
        verify_audit()
        == f"OK: 5 audit events, the chain holds. Last: {last.pk}:{last.chain_hash}\n"
    )
    assert "OK: 5 audit events" in verify_audit(
        "--anchor", f"{events[2].pk}:{events[2].chain_hash}"
    )


def test_the_trail_is_read_in_batches_across_their_edges(events, monkeypatch):
    """verify_audit reads the events a batch at a time by id (no server-side cursor): with
    batches of two, five events are three batches, and a change in the last one is found."""
    monkeypatch.setattr("core.management.commands.verify_audit.BATCH", 2)

    assert "OK: 5 audit events" in verify_audit()
    behind_the_apps_back(
        "UPDATE core_auditevent SET reason = %s WHERE id = %s", ["x", events[4].pk]
    )
    with pytest.raises(CommandError, match=f"BROKEN at audit event #{events[4].pk}"):
        verify_audit()


def test_an_empty_trail_verifies(db):
    assert verify_audit() == "OK: 0 audit events.\n"


def test_a_row_changed_behind_the_apps_back_is_found(events):
    changed = events[2]
    behind_the_apps_back(f"UPDATE {TABLE} SET reason = %s WHERE id = %s", ["rewritten", changed.pk])

    with pytest.raises(CommandError) as broken:
        verify_audit()

    assert str(broken.value) == (
        f"BROKEN at audit event #{changed.pk}: its content does not match its hash: it was "
        f"changed. 2 events before it hold (the last: #{events[1].pk})."
    )
    assert broken.value.returncode == 1


def test_a_row_changed_and_rehashed_is_found_by_the_next_one(events):
    changed = events[1]
    fields = changed.chained_fields() | {"action": "case.forged"}
    behind_the_apps_back(
        f"UPDATE {TABLE} SET action = %s, chain_hash = %s WHERE id = %s",
        ["case.forged", link(changed.previous_hash, fields), changed.pk],
    )

    with pytest.raises(
        CommandError,
        match=rf"BROKEN at audit event #{events[2].pk}: it does not follow #{changed.pk}",
    ):
        verify_audit()


def test_a_row_deleted_in_the_middle_is_found(events):
    behind_the_apps_back(f"DELETE FROM {TABLE} WHERE id = %s", [events[2].pk])

    with pytest.raises(CommandError) as broken:
        verify_audit()

    assert str(broken.value).startswith(
        f"BROKEN at audit event #{events[3].pk}: it does not follow #{events[1].pk}: an event "
        "between them was removed"
    )


def test_the_first_row_deleted_is_found(events):
    behind_the_apps_back(f"DELETE FROM {TABLE} WHERE id = %s", [events[0].pk])

    with pytest.raises(CommandError, match="it does not follow the start of the trail"):
        verify_audit()


def test_the_newest_rows_deleted_are_found_by_an_anchor_noted_earlier(events):
    noted = f"{events[-1].pk}:{events[-1].chain_hash}"
    behind_the_apps_back(f"DELETE FROM {TABLE} WHERE id >= %s", [events[3].pk])

    assert "OK: 3 audit events" in verify_audit()  # the chain alone cannot tell
    with pytest.raises(
        CommandError, match=rf"#{events[-1].pk}: it was noted earlier and is no longer there"
    ):
        verify_audit("--anchor", noted)


def test_an_archived_start_is_verified_from_the_archives_last_hash(events):
    archived_last = events[1].chain_hash
    behind_the_apps_back(f"DELETE FROM {TABLE} WHERE id <= %s", [events[1].pk])

    with pytest.raises(CommandError):
        verify_audit()
    assert "OK: 3 audit events" in verify_audit("--after", archived_last)


def test_a_row_inserted_behind_the_apps_back_is_found(events):
    behind_the_apps_back(
        f"INSERT INTO {TABLE} (action, object_type, object_id, at, reason, details, "
        "previous_hash, chain_hash) VALUES ('case.forged', '', '', %s, '', '{}', %s, %s)",
        [events[-1].at, events[-1].chain_hash, "f" * 64],
    )

    with pytest.raises(CommandError, match="its content does not match its hash"):
        verify_audit()


def test_a_bulk_create_chains_each_event(db):
    AuditEvent.objects.bulk_create([AuditEvent(action="a"), AuditEvent(action="b")])

    assert "OK: 2 audit events" in verify_audit()


def test_the_migration_hashes_the_events_already_there(events):
    behind_the_apps_back(f"UPDATE {TABLE} SET previous_hash = '', chain_hash = ''", [])
    with pytest.raises(CommandError):
        verify_audit()

    migration = importlib.import_module("core.migrations.0009_audit_hash_chain")
    migration.hash_the_trail(apps, SimpleNamespace(connection=connection))

    assert "OK: 5 audit events" in verify_audit()
    assert list(AuditEvent.objects.order_by("id").values_list("chain_hash", flat=True)) == [
        event.chain_hash for event in events
    ]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_do_not_fork_the_chain_on_postgresql():
    """Writers that audit and then keep their transaction open a while: each waits for the one
    before it, so every event follows a different one and the chain holds."""
    assert connection.vendor == "postgresql"
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def writer(n: int) -> None:
        try:
            start.wait()
            for round_ in range(3):
                with transaction.atomic():
                    audit(actor=None, action="case.read", details={"writer": n, "round": round_})
                    time.sleep(0.01)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    previous = list(AuditEvent.objects.values_list("previous_hash", flat=True))
    assert len(previous) == 18 and len(set(previous)) == 18
    assert "OK: 18 audit events" in verify_audit()
