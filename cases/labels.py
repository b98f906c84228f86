"""How the events of a case's history are named to people (the codes stay in English).

The workflow's steps name themselves (cases/workflow.py); this adds the history's other events,
and apps that write to a case's history (referrals) add theirs.
"""

from django.utils.translation import gettext_lazy as _

from cases.workflow import CASE_WORKFLOW
from core.typing import StrOrPromise

EVENT_LABELS: dict[str, StrOrPromise] = {
    "create": _("Report recorded"),
    **{step.name: step.done for step in CASE_WORKFLOW.steps},
    "separation_decided": _("Separation decided"),
    "note": _("Note added"),
    "sanction": _("Administrative sanction recorded"),
    "attach": _("Document attached"),
    "correct": _("Report corrected"),
    "transfer_requested": _("Transfer requested"),
    "transfer_accepted": _("Transfer accepted"),
    "transfer_declined": _("Transfer declined"),
}


def register_event_labels(labels: dict[str, StrOrPromise]) -> None:
    EVENT_LABELS.update(labels)


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action.replace("_", " ")))
