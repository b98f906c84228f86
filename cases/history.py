"""The case's history and audit rows, written together by every service that changes a case."""

from typing import Any

from cases.models import Case, CaseEvent
from core.audit import audit
from core.models import User


def record_event(
    *,
    case: Case,
    actor: User,
    action: str,
    from_status: str = "",
    details: dict[str, Any] | None = None,
) -> CaseEvent:
    """One row in the case's history (read by its people) and one in the audit trail (kept for
    inspectors and courts), in the caller's transaction."""
    audit(actor=actor, action=f"case.{action}", target=case, details=details or {})
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=case.status,
        details=details or {},
    )
