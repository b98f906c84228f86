"""What happens to an access to a case, as typed events for the notifications app."""

from dataclasses import dataclass

from access.models import CaseAccess
from core.events import Event
from core.models import User


@dataclass(frozen=True, kw_only=True)
class AccessChange(Event):
    access: CaseAccess
    actor: User
    audit_id: int  # the audit row that records it: subscribers key on it


@dataclass(frozen=True, kw_only=True)
class AccessGranted(AccessChange):
    """The commune let a user in to one case: the grantee is told."""


@dataclass(frozen=True, kw_only=True)
class AccessRevoked(AccessChange):
    """The commune ended a grant early: the grantee is told."""


@dataclass(frozen=True, kw_only=True)
class GlassBroken(AccessChange):
    """Someone opened a case in an emergency: the commune's officer and chair are told at once;
    the province reviews it."""


@dataclass(frozen=True, kw_only=True)
class GlassReviewed(AccessChange):
    """The province reviewed a use of the glass; an unjustified one is told to the user's head."""
