"""The inspection's history and audit rows, written together by every service that changes it."""

from typing import Any

from core.audit import audit
from core.models import User
from inspections.models import Inspection, InspectionEvent


def record_event(
    *,
    inspection: Inspection,
    actor: User,
    action: str,
    from_status: str = "",
    details: dict[str, Any] | None = None,
) -> InspectionEvent:
    """One row in the inspection's history (read by its team and overseers) and one in the
    audit trail, in the caller's transaction."""
    audit(actor=actor, action=f"inspection.{action}", target=inspection, details=details or {})
    return InspectionEvent.objects.create(
        inspection=inspection,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=inspection.status,
        details=details or {},
    )
