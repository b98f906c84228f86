"""The audit trail is evidence: rows are inserted, never rewritten or removed. The ORM refuses
it everywhere; on PostgreSQL a trigger refuses it even to raw SQL."""

import pytest
from django.db import connection, transaction
from django.db.utils import Error as DatabaseError

from core.audit import audit
from core.models import AuditEvent, AuditLogIsAppendOnly, User


@pytest.fixture
def event(db):
    actor = User.objects.create_user("officer")
    return audit(actor=actor, action="case.viewed", reason="visit", details={"n": 1})


def as_stored(event):
    return AuditEvent.objects.filter(pk=event.pk).values(
        "actor_id", "action", "object_type", "object_id", "at", "ip", "reason", "details"
    )[0]


def test_saving_an_existing_event_is_refused(event):
    before = as_stored(event)
    event.reason = "rewritten"

    with pytest.raises(AuditLogIsAppendOnly):
        event.save()

    assert as_stored(event) == before


def test_deleting_an_event_is_refused(event):
    before = as_stored(event)

    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()

    assert as_stored(event) == before


def test_updating_events_through_a_queryset_is_refused(event):
    before = as_stored(event)

    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")

    assert as_stored(event) == before


def test_deleting_events_through_a_queryset_is_refused(event):
    before = as_stored(event)

    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()

    assert as_stored(event) == before
    assert AuditEvent.objects.count() == 1


def test_saving_a_new_object_with_an_existing_id_does_not_overwrite_the_event(event):
    before = as_stored(event)

    with pytest.raises((AuditLogIsAppendOnly, DatabaseError)), transaction.atomic():
        AuditEvent(pk=event.pk, action="case.forged").save()

    assert as_stored(event) == before


def test_a_bulk_create_that_updates_on_conflict_does_not_overwrite_the_event(event):
    before = as_stored(event)

    with pytest.raises((AuditLogIsAppendOnly, DatabaseError)), transaction.atomic():
        AuditEvent.objects.bulk_create(
            [AuditEvent(pk=event.pk, action="case.forged")],
            update_conflicts=True,
            update_fields=["action"],
            unique_fields=["id"],
        )

    assert as_stored(event) == before


@pytest.mark.services
def test_postgresql_refuses_raw_sql_updates_and_deletes(event):
    assert connection.vendor == "postgresql"
    before = as_stored(event)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'rewritten' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])

    assert as_stored(event) == before
