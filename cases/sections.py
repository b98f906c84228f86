"""The parts of a case a reader may be given (need to know). Who is given which is decided by
the access rules (cases/visibility.py); the API, the case page and the documents show only those.
"""

from django.utils.translation import gettext_lazy as _

CHILD = "child"  # name, sex, age, ethnicity, disability, circumstances, residence, school
CARERS = "carers"  # parents or carers, the family's circumstances and the child's address
# Form 01: channel, source, where and what happened, the harm likely if nobody acts, what was
# already done, the receiving body and its report number
REPORT = "report"
REPORTER = "reporter"  # who reported, their contact and address: confidential to the commune
CONCERN = "concern"  # situation, forms of abuse, setting, perpetrator's relation
MEDICAL = "medical"  # the child's condition and medical and forensic outcomes
ASSESSMENTS = "assessments"  # Form 02, Form 03, emergencies and separation decisions
PLAN = "plan"  # the plan, its measures and decisions
CLOSURE = "closure"
HISTORY = "history"  # the timeline, notes and attachments

ALL_SECTIONS = frozenset(
    {CHILD, CARERS, REPORT, REPORTER, CONCERN, MEDICAL, ASSESSMENTS, PLAN, CLOSURE, HISTORY}
)

# As the pages name them (the transparency panel, the grant form).
SECTION_LABELS = {
    CHILD: _("The child"),
    CARERS: _("Family and carers"),
    REPORT: _("The report"),
    REPORTER: _("Who reported"),
    CONCERN: _("What happened"),
    MEDICAL: _("Medical details"),
    ASSESSMENTS: _("Assessments and emergencies"),
    PLAN: _("The plan"),
    CLOSURE: _("Closure"),
    HISTORY: _("History, notes and attachments"),
}


# Which section each field of the case belongs to, by its name on the case and in the API's
# detail (the API's own parts beside them).
CASE_FIELDS: dict[str, str] = {
    "received_at": REPORT,
    "channel": REPORT,
    "source": REPORT,
    "harm_location": REPORT,
    "child_location": REPORT,
    "description": REPORT,
    "receiving_body": REPORT,
    "report_number": REPORT,
    "likely_harm": REPORT,
    "actions_taken": REPORT,
    "recorded_by": REPORT,
    "recorded_by_hotline": REPORT,
    "reporter_name": REPORTER,
    "reporter_contact": REPORTER,
    "reporter_address": REPORTER,
    "child_condition": MEDICAL,
    "situation": CONCERN,
    "abuse_forms": CONCERN,
    "sexual_abuse_forms": CONCERN,
    "setting": CONCERN,
    "perpetrator_relation": CONCERN,
    "dismiss_reason": CLOSURE,
    "duplicate_of": CLOSURE,
    "dismiss_verification": CLOSURE,
    "closure_reason": CLOSURE,
    "closed_at": CLOSURE,
    "open_work": CLOSURE,
    # The child's whereabouts: with the carers and the address.
    "current_placement": CARERS,
}

# The child's fields that are not the child's section's: where and with whom the child lives.
CHILD_FIELDS: dict[str, str] = {
    "carers": CARERS,
    "family_circumstances": CARERS,
    "address": CARERS,
}
