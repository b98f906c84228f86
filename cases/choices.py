"""The codes of DOMAIN §4–5, shared by the API, the interface and the reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class Channel(models.TextChoices):
    HOTLINE_111 = "hotline_111", _("Hotline 111")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    WRITTEN = "written", _("Written")
    ONLINE = "online", _("Online")


class Source(models.TextChoices):
    FAMILY = "family", _("Family")
    NEIGHBOUR = "neighbour", _("Neighbour")
    SCHOOL = "school", _("School")
    HEALTH_FACILITY = "health_facility", _("Health facility")
    POLICE = "police", _("Police")
    CHILD_SELF = "child_self", _("The child")
    MEDIA = "media", _("Media")
    INSPECTION = "inspection", _("Inspection")
    OTHER = "other", _("Other")


class Situation(models.TextChoices):
    ABUSED = "abused", _("Abused")
    AT_RISK = "at_risk", _("At risk of abuse")


class AbuseForm(models.TextChoices):
    PHYSICAL_VIOLENCE = "physical_violence", _("Physical violence")
    PSYCHOLOGICAL_VIOLENCE = "psychological_violence", _("Psychological violence")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    EXPLOITATION = "exploitation", _("Exploitation")
    TRAFFICKING = "trafficking", _("Trafficking")
    ABANDONMENT = "abandonment", _("Abandonment")
    NEGLECT = "neglect", _("Neglect")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    ONLINE_ABUSE = "online_abuse", _("Online abuse")
    OTHER = "other", _("Other")


class SexualAbuseForm(models.TextChoices):
    """The forms of sexual abuse of a child, named as the Penal Code names the crimes."""

    RAPE = "rape", _("Rape (any intercourse with a child under 13 is rape, Penal Code Art. 142)")
    COERCED_INTERCOURSE = "coerced_intercourse", _("Coerced intercourse (Penal Code Art. 144)")
    INTERCOURSE_WITH_MINOR = (
        "intercourse_with_minor",
        _("Intercourse with a child from 13 to under 16 (Penal Code Art. 145)"),
    )
    MOLESTATION = "molestation", _("Molestation (Penal Code Art. 146)")
    SEXUAL_EXPLOITATION = (
        "sexual_exploitation",
        _("Used for prostitution or pornography (Penal Code Art. 147, 329)"),
    )


class Setting(models.TextChoices):
    FAMILY = "family", _("Family")
    SCHOOL = "school", _("School")
    SOCIAL_SUPPORT_FACILITY = "social_support_facility", _("Social-support facility")
    PUBLIC_PLACE = "public_place", _("Public place")
    TOURISM = "tourism", _("Tourism")
    ONLINE = "online", _("Online")
    WORKPLACE = "workplace", _("Workplace")
    OTHER = "other", _("Other")


class PerpetratorRelation(models.TextChoices):
    PARENT = "parent", _("Parent")
    STEP_PARENT = "step_parent", _("Step-parent")
    RELATIVE = "relative", _("Relative")
    CAREGIVER = "caregiver", _("Caregiver")
    TEACHER = "teacher", _("Teacher")
    ACQUAINTANCE = "acquaintance", _("Acquaintance")
    PEER = "peer", _("Peer")
    STRANGER = "stranger", _("Stranger")
    TOURIST = "tourist", _("Tourist")
    FOREIGN_TOURIST = "foreign_tourist", _("Foreign tourist")
    UNKNOWN = "unknown", _("Unknown")


class SpecialCircumstance(models.TextChoices):
    """The 14 groups of children in special circumstances, coded by the points of the Law on
    Children, Art. 10(1) (đ is written `dd`). Nothing else belongs in this list."""

    ORPHANED = "a", _("(a) Orphaned of both parents")
    ABANDONED = "b", _("(b) Abandoned")
    NO_ONE_TO_RELY_ON = "c", _("(c) Without anyone to rely on")
    DISABLED = "d", _("(d) With disabilities")
    HIV = "dd", _("(đ) Living with HIV/AIDS")
    IN_CONFLICT_WITH_LAW = "e", _("(e) In conflict with the law")
    DRUG_ADDICTED = "g", _("(g) Addicted to drugs")
    LEFT_SCHOOL_TO_WORK = (
        "h",
        _("(h) Forced to leave school to earn a living before finishing lower-secondary"),
    )
    SERIOUSLY_HARMED = "i", _("(i) Seriously harmed in body or mind by violence")
    EXPLOITED = "k", _("(k) Exploited")
    SEXUALLY_ABUSED = "l", _("(l) Sexually abused")
    TRAFFICKED = "m", _("(m) Trafficked")
    SERIOUSLY_ILL = (
        "n",
        _("(n) With a serious or long-term illness in a poor or near-poor household"),
    )
    MIGRANT = (
        "o",
        _("(o) Migrant, seeking refuge or asylum, whose parents are unknown or who has no carer"),
    )


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    EMERGENCY = "emergency", _("Emergency")
    ASSESSMENT = "assessment", _("Assessment")
    PLAN_REVIEW = "plan_review", _("Plan awaiting approval")
    INTERVENTION = "intervention", _("Intervention")
    REVIEW = "review", _("Review")
    CLOSURE_REVIEW = "closure_review", _("Closure awaiting the chair's decision")
    CLOSED = "closed", _("Closed")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Confirmation(models.TextChoices):
    """Form 02's conclusion: is the abuse, or the risk of it, confirmed (Decree 56 Art. 26)?"""

    ABUSE = "abuse", _("Abuse confirmed")
    RISK = "risk", _("Risk of abuse confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Neither confirmed yet")


class DismissReason(models.TextChoices):
    UNFOUNDED = "unfounded", _("Unfounded")
    DUPLICATE = "duplicate", _("Duplicate of another case")
    NOT_CHILD_PROTECTION = "not_child_protection", _("Not a child-protection matter")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")


class WorkDecision(models.TextChoices):
    """The chair's decision, on closing, on work still open: a live referral or a measure of the
    plan that no agency reports on (DOMAIN §5: closing never silently cancels approved work)."""

    COMPLETED = "completed", _("Done")
    WAIVED = "waived", _("No longer needed (withdrawn, with the reason)")
    KEEP_OPEN = "keep_open", _("Keep the case open for it")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals of the plan met")
    MOVED_AWAY = "moved_away", _("Moved away")
    # A child is a person under 16 (Law on Children Art. 1).
    TURNED_16 = "turned_16", _("Turned 16")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class Service(models.TextChoices):
    """Services a plan measure or a referral provides (DOMAIN §6)."""

    POLICE_REPORT = "police_report", _("Crime report to the police")
    FORENSIC_EXAM = "forensic_exam", _("Forensic examination")
    MEDICAL_CARE = "medical_care", _("Priority medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SOCIAL_SUPPORT = "social_support", _("Social support")
    EDUCATION_SUPPORT = "education_support", _("Education support")


class ConsentBasis(models.TextChoices):
    """Why the case may be shared with the agency (Law on Children Art. 21, Decree 56 Art. 26)."""

    CONSENT = "consent", _("Consent given")
    EMERGENCY = "emergency", _("Emergency: the child's safety cannot wait for consent")
    CARER_SUSPECTED = "carer_suspected", _("The carer is the suspected abuser")


class SanctionAuthority(models.TextChoices):
    """Who decided an administrative sanction (Law on Handling Administrative Violations 2012,
    Art. 38–39): the commune's chair, the police, or another authority with the power to."""

    COMMUNE_CHAIR = "commune_chair", _("Chair of the commune People's Committee")
    POLICE = "police", _("Police")
    OTHER = "other", _("Another competent authority")


class Violator(models.TextChoices):
    PERSON = "person", _("A person")
    ORGANISATION = "organisation", _("An organisation")


class AdministrativeSanctionKind(models.TextChoices):
    """The sanction decided for an administrative violation (Law on Handling Administrative
    Violations 2012, Art. 21); the codes are the inspections' codes where they overlap, so the
    reports count both together."""

    WARNING = "warning", _("Warning")
    FINE = "fine", _("Fine")
    LICENCE_SUSPENSION = "licence_suspension", _("Licence suspension")
    CONFISCATION = "confiscation", _("Confiscation of the exhibits and means of the violation")
