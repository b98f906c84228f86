from django.utils.translation import gettext_lazy as _

TRANSITION_LABELS = {
    "start": _("Start the inspection"),
    "begin_reporting": _("Finish inspecting and report"),
    "conclude": _("Conclude"),
    "follow_up": _("Follow up the recommendations"),
    "close": _("Close"),
    "cancel": _("Cancel"),
}
EVENT_LABELS = {
    "plan": _("Inspection planned"),
    "start": _("Inspection started"),
    "begin_reporting": _("Reporting"),
    "conclude": _("Concluded"),
    "follow_up": _("Follow-up started"),
    "close": _("Closed"),
    "cancel": _("Cancelled"),
    "subject": _("Subject named"),
    "finding": _("Finding recorded"),
    "recommendation": _("Recommendation made"),
    "recommendation_done": _("Recommendation done"),
    "recommendation_waived": _("Recommendation waived"),
}
