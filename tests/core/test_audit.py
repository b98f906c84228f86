"""The audit helper writes who did what to which object, why, and from which address."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.audit import audit
from core.models import AuditEvent, Unit, User
from core.request_context import client_ip


@pytest.fixture
def address():
    """The client address the middleware would have remembered for the request."""
    token = client_ip.set("203.0.113.7")
    yield "203.0.113.7"
    client_ip.reset(token)


@pytest.fixture
def commune(empty_db):
    return Unit.objects.create(
        structure="2025", code="14428", name="Xã Nho Quan", division_type="xã", level="commune"
    )


def test_it_records_the_actor_action_object_reason_details_and_address(commune, address):
    actor = User.objects.create_user("officer")

    event = audit(
        actor=actor,
        action="unit.viewed",
        target=commune,
        reason="checking the jurisdiction",
        details={"fields": ["name"]},
    )

    stored = AuditEvent.objects.get()
    assert stored.pk == event.pk
    assert stored.actor == actor
    assert stored.action == "unit.viewed"
    assert stored.object_type == "core.unit"
    assert stored.object_id == str(commune.pk)
    assert stored.reason == "checking the jurisdiction"
    assert stored.details == {"fields": ["name"]}
    assert stored.ip == "203.0.113.7"
    assert stored.at is not None


def test_it_records_no_address_outside_a_request(commune):
    audit(actor=None, action="units.loaded", target=commune)

    assert AuditEvent.objects.get().ip is None


def test_an_anonymous_actor_is_recorded_as_nobody(commune, address):
    audit(actor=AnonymousUser(), action="unit.viewed", target=commune)

    event = AuditEvent.objects.get()
    assert event.actor is None
    assert (event.reason, event.details) == ("", {})


def test_an_event_without_a_target_has_no_object(empty_db):
    audit(actor=None, action="system.started")

    event = AuditEvent.objects.get()
    assert (event.object_type, event.object_id) == ("", "")
