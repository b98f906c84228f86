"""What a step of a case's history tells the one reading it.

The history is a section of its own (HISTORY), but its steps keep words of other sections: the
chair's comments returning a plan (the plan), a correction's old and new values (the corrected
field's section), the reason a separation was revoked (the assessments). A reader of the history
is told a step's detail with the section it belongs to only. A detail named nowhere below is told
to the case's commune and its supervisors alone, so that what a new step keeps stays hidden until
someone decides who may read it.
"""

from typing import Any

from cases.sections import (
    ASSESSMENTS,
    CASE_FIELDS,
    CHILD,
    CHILD_FIELDS,
    CLOSURE,
    PLAN,
    REPORT,
    REPORTER,
)
from cases.visibility import SUPERVISOR_SECTIONS

# A value the reader may not see, where the history names what changed.
HIDDEN = "…"

# The case's own records a step made or acted on, by id: no more than the step's name says.
RECORD_IDS = frozenset(
    {"plan", "review", "refusal", "closure", "decision", "extension", "note", "attachment"}
)

# Each step's details and the section each belongs to.
DETAIL_SECTIONS: dict[str, dict[str, str]] = {
    "create": {"channel": REPORT},
    "reopen": {"information": REPORT},
    "declare_emergency": {"separation_proposed": ASSESSMENTS},
    "decide_separation": {"approved": ASSESSMENTS, "period_days": ASSESSMENTS},
    "separation_decided": {"approved": ASSESSMENTS},
    "extend_separation": {"days": ASSESSMENTS},
    "revoke_separation": {"reason": ASSESSMENTS},
    "return_plan": {"comments": PLAN},
    "start_review": {"notes": PLAN},
    "revise_plan": {"reason": PLAN},
    "propose_closure": {"reason": CLOSURE},
    "return_closure": {"comments": CLOSURE},
    "close": {"reason": CLOSURE, "work": CLOSURE},
    "dismiss": {"reason": CLOSURE, "duplicate_of": CLOSURE},
}


def details_for(action: str, details: dict[str, Any], shown: frozenset[str]) -> dict[str, Any]:
    """The details of a step of `action` that a reader of the `shown` sections is told."""
    if action == "correct":
        return {"changed": corrections_for(details.get("changed") or {}, shown)}
    sections = DETAIL_SECTIONS.get(action, {})
    staff = shown >= SUPERVISOR_SECTIONS  # the case's commune and its supervisors
    return {
        key: value
        for key, value in details.items()
        if key in RECORD_IDS or (sections[key] in shown if key in sections else staff)
    }


def corrections_for(changed: dict[str, Any], shown: frozenset[str]) -> dict[str, Any]:
    """Each corrected field, with its old and new values where the reader may read its
    section (the reporter's were never kept: they are already hidden)."""
    told: dict[str, Any] = {}
    for name, change in changed.items():
        if name == "child":
            told["child"] = {
                field: value if CHILD_FIELDS.get(field, CHILD) in shown else HIDDEN
                for field, value in change.items()
            }
        else:
            told[name] = change if CASE_FIELDS.get(name, REPORTER) in shown else HIDDEN
    return told
