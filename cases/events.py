"""What happens to a case, as typed events (core.events) for the apps that react to it.

Every event names the row it was recorded with (the history row, or the decision it concerns):
subscribers key what they do on it, so the same step taken twice is heard twice and one event
delivered twice is acted on once.
"""

from dataclasses import dataclass

from cases.models import Case
from core.events import Event
from core.models import User


@dataclass(frozen=True, kw_only=True)
class CaseChange(Event):
    case: Case
    actor: User
    history_id: int  # the row of the case's history that records it


@dataclass(frozen=True, kw_only=True)
class CaseRecorded(CaseChange):
    """A report is recorded (Form 01): the commune's officers must assess it within 12 hours."""


@dataclass(frozen=True, kw_only=True)
class CaseStepTaken(CaseChange):
    """A step of the Decree 56 workflow (cases/workflow.py) was taken."""

    step: str
    from_status: str


@dataclass(frozen=True, kw_only=True)
class SeparationProposed(CaseChange):
    """The officer proposes to separate the child from the carer: the chair decides (Form 07).
    Recorded in the history with the emergency it belongs to."""

    decision_id: int


@dataclass(frozen=True, kw_only=True)
class SeparationDecided(CaseChange):
    approved: bool


@dataclass(frozen=True, kw_only=True)
class TransferRequested(CaseChange):
    to_unit_path: str


@dataclass(frozen=True, kw_only=True)
class TransferDecided(CaseChange):
    accepted: bool
    from_unit_path: str


@dataclass(frozen=True, kw_only=True)
class NoteAdded(CaseChange):
    silent = True  # the history shows it; nobody is waiting for it


@dataclass(frozen=True, kw_only=True)
class SanctionRecorded(CaseChange):
    """An administrative sanction decided for the abuse is recorded on the case. The history
    shows it and the yearly indicators count it; nobody is waiting for it."""

    silent = True
    sanction_id: int


@dataclass(frozen=True, kw_only=True)
class DocumentAttached(CaseChange):
    silent = True


@dataclass(frozen=True, kw_only=True)
class ReportCorrected(CaseChange):
    silent = True
