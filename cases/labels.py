"""How the steps and events of a case are named to people (the codes stay in English)."""

from django.utils.translation import gettext_lazy as _

TRANSITION_LABELS = {
    "assess_initial": _("Record the initial assessment (Form 02)"),
    "declare_emergency": _("Declare an emergency"),
    "dismiss": _("Dismiss the report"),
    "end_emergency": _("End the emergency"),
    "submit_plan": _("Submit the plan (Forms 03 and 04)"),
    "approve_plan": _("Approve the plan (Form 05)"),
    "return_plan": _("Return the plan to the officer"),
    "start_review": _("Start the review"),
    "revise_plan": _("Revise the plan"),
    "close": _("Close the case (Form 06)"),
    "reopen": _("Reopen the case"),
}

TRANSITION_DONE = {
    "assess_initial": _("The initial assessment is recorded."),
    "declare_emergency": _("The emergency is declared."),
    "dismiss": _("The report is dismissed."),
    "end_emergency": _("The emergency is ended."),
    "submit_plan": _("The plan is submitted to the chair."),
    "approve_plan": _("The plan is approved."),
    "return_plan": _("The plan is returned to the officer."),
    "start_review": _("The review has started."),
    "revise_plan": _("The case is back in assessment to revise the plan."),
    "close": _("The case is closed."),
    "reopen": _("The case is reopened."),
}

EVENT_LABELS = {
    "create": _("Report recorded"),
    "assess_initial": _("Initial assessment recorded"),
    "declare_emergency": _("Emergency declared"),
    "dismiss": _("Report dismissed"),
    "end_emergency": _("Emergency ended"),
    "submit_plan": _("Plan submitted"),
    "approve_plan": _("Plan approved"),
    "return_plan": _("Plan returned"),
    "start_review": _("Review started"),
    "revise_plan": _("Plan to be revised"),
    "close": _("Case closed"),
    "reopen": _("Case reopened"),
    "separation_decided": _("Separation decided"),
    "note": _("Note added"),
    "attach": _("Document attached"),
    "correct": _("Report corrected"),
    "transfer_requested": _("Transfer requested"),
    "transfer_accepted": _("Transfer accepted"),
    "transfer_declined": _("Transfer declined"),
}


def register_event_labels(labels: dict[str, str]) -> None:
    """Apps that write to a case's history (referrals) name their events here."""
    EVENT_LABELS.update(labels)
