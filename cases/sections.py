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
