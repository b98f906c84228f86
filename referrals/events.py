"""What happens to a referral, as typed events (core.events)."""

from dataclasses import dataclass

from core.events import Event
from core.models import User
from referrals.models import Referral


@dataclass(frozen=True, kw_only=True)
class ReferralStepTaken(Event):
    """A step of the referral's workflow (referrals/workflow.py), or its sending or waiving.
    `history_id` is the row of the case's history that records it."""

    referral: Referral
    actor: User
    step: str
    history_id: int
