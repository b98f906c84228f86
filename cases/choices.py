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
    RAPE = "rape", _("Rape")
    COERCED_INTERCOURSE = "coerced_intercourse", _("Coerced intercourse")
    INTERCOURSE_WITH_MINOR = "intercourse_with_minor", _("Intercourse with a child under 13")
    MOLESTATION = "molestation", _("Molestation")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")


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
    """The 14 groups of children in special circumstances (Law on Children, Art. 10)."""

    ORPHAN = "orphan", _("Orphaned of both parents or without a carer")
    ABANDONED = "abandoned", _("Abandoned")
    NO_FAMILY_CARE = "no_family_care", _("Without family care")
    HIV = "hiv", _("Infected with or affected by HIV/AIDS")
    IN_CONFLICT_WITH_LAW = "in_conflict_with_law", _("In conflict with the law")
    DRUG_ADDICTED = "drug_addicted", _("Addicted to drugs")
    DROPPED_OUT = "dropped_out", _("Out of school without basic education")
    SEVERE_HARM = "severe_harm", _("Severely harmed in body or mind by violence")
    EXPLOITED = "exploited", _("Exploited")
    SEXUALLY_ABUSED = "sexually_abused", _("Sexually abused")
    TRAFFICKED = "trafficked", _("Trafficked")
    SERIOUS_ILLNESS = "serious_illness", _("With a serious or costly illness")
    MIGRANT = "migrant", _("Migrant or without a fixed residence")
    LEFT_BEHIND = "left_behind", _("Living apart from parents who are in prison or treatment")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    EMERGENCY = "emergency", _("Emergency")
    ASSESSMENT = "assessment", _("Assessment")
    PLAN_REVIEW = "plan_review", _("Plan awaiting approval")
    INTERVENTION = "intervention", _("Intervention")
    REVIEW = "review", _("Review")
    CLOSED = "closed", _("Closed")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class DismissReason(models.TextChoices):
    UNFOUNDED = "unfounded", _("Unfounded")
    DUPLICATE = "duplicate", _("Duplicate of another case")
    NOT_CHILD_PROTECTION = "not_child_protection", _("Not a child-protection matter")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals of the plan met")
    MOVED_AWAY = "moved_away", _("Moved away")
    TURNED_18 = "turned_18", _("Turned 18")
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
