"""The one helper every service calls to write the audit trail."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from core.models import AuditEvent, User
from core.request_context import client_ip


def audit(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Record that `actor` did `action` to `target`, with the client address of the request.

    A record that is gone (or was never loaded) is named by `object_type` ("app.model") and
    `object_id` instead. The event is chained to the one before it (core/audit_chain.py)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=target._meta.label_lower if target is not None else object_type,
        object_id=str(target.pk) if target is not None else object_id,
        ip=client_ip.get(),
        reason=reason,
        details=details or {},
    )
