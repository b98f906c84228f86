"""Inter-agency and thematic inspections (DOMAIN §8): who inspected whom, what was found, which
sanctions followed and whether the recommendations were carried out.

The graph lives here as django-fsm transitions that only change fields; who may run them, the
guards that need other rows, clocks, history and audit are in inspections/services.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.models import Agency, Unit
from core.models.history import HistoryEvent


class Kind(models.TextChoices):
    INTERAGENCY = "interagency", _("Inter-agency")
    THEMATIC = "thematic", _("Thematic")


class Topic(models.TextChoices):
    CHILD_PROTECTION_DUTIES = "child_protection_duties", _("Child-protection duties")
    SCHOOL_VIOLENCE = "school_violence", _("School violence")
    SOCIAL_SUPPORT_FACILITY = "social_support_facility", _("Social-support facilities")
    ONLINE_PRIVACY = "online_privacy", _("Children's privacy online")
    ILLEGAL_ADOPTION = "illegal_adoption", _("Illegal adoption")
    LEGAL_AID_FOR_CHILDREN = "legal_aid_for_children", _("Legal aid for children")
    TOURISM_RELATED_ABUSE = "tourism_related_abuse", _("Abuse related to tourism")
    CULTURE_SPORT_ACTIVITIES = "culture_sport_activities", _("Culture and sport activities")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTING = "reporting", _("Reporting")
    CONCLUDED = "concluded", _("Concluded")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# The states in which recommendations are made and followed up (their clocks run).
RECOMMENDING_STATES = (Status.REPORTING, Status.CONCLUDED, Status.FOLLOW_UP)


class SubjectKind(models.TextChoices):
    SCHOOL = "school", _("School")
    SOCIAL_SUPPORT_FACILITY = "social_support_facility", _("Social-support facility")
    CHILD_PROTECTION_SERVICE = "child_protection_service", _("Child-protection service")
    HEALTH_FACILITY = "health_facility", _("Health facility")
    MEDIA_OUTLET = "media_outlet", _("Media outlet")
    PUBLISHER = "publisher", _("Publisher")
    ONLINE_SERVICE = "online_service", _("Online service")
    TOURISM_BUSINESS = "tourism_business", _("Tourism business")
    ENTERTAINMENT_VENUE = "entertainment_venue", _("Entertainment venue")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
    OTHER = "other", _("Other")


class Sanction(models.TextChoices):
    NONE = "none", _("No sanction")
    WARNING = "warning", _("Warning")
    FINE = "fine", _("Fine")
    LICENCE_SUSPENSION = "licence_suspension", _("Licence suspension")
    REFERRED_TO_POLICE = "referred_to_police", _("Referred to the police")
    DISCIPLINE_OF_HEAD = "discipline_of_head", _("Discipline of the head")


class InspectedSubject(models.Model):
    """An organisation that may be inspected, kept across inspections with its history."""

    kind = models.CharField(_("kind"), max_length=32, choices=SubjectKind.choices)
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("where")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the agency it is, if registered"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspected subject")
        verbose_name_plural = _("inspected subjects")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "unit"], name="subject_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Inspection(ConcurrentTransitionMixin, models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    title = models.CharField(_("title"), max_length=200)
    lead_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="led_inspections",
        verbose_name=_("lead agency"),
        db_index=False,  # inspection_lead_idx leads with it
    )
    # A copy of the lead agency's jurisdiction path: provincial officers and managers see the
    # inspections of their province with one indexed prefix match.
    unit_path = models.CharField(max_length=64, editable=False)
    member_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="joined_inspections", verbose_name=_("member agencies")
    )
    subjects = models.ManyToManyField(
        InspectedSubject,
        blank=True,
        related_name="inspections",
        verbose_name=_("inspected subjects"),
    )
    decision_number = models.CharField(_("decision number"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = FSMField(_("status"), default=Status.PLANNED, choices=Status.choices, protected=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    no_violation_found = models.BooleanField(_("no violation found"), default=False)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-planned_start", "-id"]
        indexes = [
            models.Index(
                fields=["unit_path"], name="inspection_scope_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["status", "planned_start"], name="inspection_status_idx"),
            models.Index(fields=["kind", "topic"], name="inspection_kind_idx"),
            models.Index(fields=["lead_agency", "planned_start"], name="inspection_lead_idx"),
            # The indicator report counts the inspections held (started) in a year.
            models.Index(fields=["actual_start"], name="inspection_started_idx"),
            models.Index(fields=["planned_start"], name="inspection_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="inspection_ends_after_it_starts",
                condition=Q(planned_end__gte=models.F("planned_start")),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="inspection_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @transition(status, source=Status.PLANNED, target=Status.IN_PROGRESS)
    def start(self) -> None:
        self.actual_start = timezone.localdate()

    @transition(status, source=Status.IN_PROGRESS, target=Status.REPORTING)
    def begin_reporting(self) -> None:
        self.actual_end = timezone.localdate()

    @transition(status, source=Status.REPORTING, target=Status.CONCLUDED)
    def conclude(self, conclusion: str, no_violation_found: bool) -> None:
        self.conclusion = conclusion
        self.no_violation_found = no_violation_found

    @transition(status, source=Status.CONCLUDED, target=Status.FOLLOW_UP)
    def follow_up(self) -> None:
        pass

    @transition(status, source=[Status.CONCLUDED, Status.FOLLOW_UP], target=Status.CLOSED)
    def close(self) -> None:
        pass

    @transition(
        status,
        source=[Status.PLANNED, Status.IN_PROGRESS, Status.REPORTING],
        target=Status.CANCELLED,
    )
    def cancel(self, reason: str) -> None:
        self.cancel_reason = reason


class Membership(models.Model):
    """An inspector on the team; the leads run the inspection's steps."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Head of the team")
        MEMBER = "member", _("Member")

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="team",
        db_index=False,  # inspection_member_once leads with it
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="inspection_memberships",
        db_index=False,  # inspection_member_idx leads with it
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("team member")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="inspection_member_once")
        ]
        indexes = [models.Index(fields=["user", "inspection"], name="inspection_member_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.role}"


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    subject = models.ForeignKey(
        InspectedSubject, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    description = models.TextField(_("what was found"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    responsible = models.CharField(_("responsible organisation or person"), max_length=200)
    sanction = models.CharField(_("sanction"), max_length=20, choices=Sanction.choices)
    fine_amount = models.PositiveBigIntegerField(_("fine (VND)"), null=True, blank=True)
    head_held_accountable = models.BooleanField(
        _("the head of the institution was held to account"), default=False
    )
    # A child at risk found during the inspection: the case opened for the child's commune.
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_finding",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["sanction"], name="finding_sanction_idx")]
        constraints = [
            models.CheckConstraint(
                name="finding_fine_has_amount",
                condition=Q(sanction="fine", fine_amount__gt=0)
                | (~Q(sanction="fine") & Q(fine_amount__isnull=True)),
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    WAIVED = "waived", _("Waived")


class Recommendation(models.Model):
    Status = RecommendationStatus

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="recommendations",
        db_index=False,  # recommendation_status_idx leads with it
    )
    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    action = models.TextField(_("what must be done"))
    responsible = models.CharField(_("responsible organisation"), max_length=200)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    evidence = models.TextField(_("evidence that it was done"), blank=True)
    waive_reason = models.TextField(_("why it was waived"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["inspection", "status"], name="recommendation_status_idx")]
        # recommendation_resolve keeps these; the database keeps them against every other writer.
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values),
                name="recommendation_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status=RecommendationStatus.DONE)
                | ~Q(evidence="") & Q(closed_at__isnull=False),
                name="recommendation_done_with_its_evidence",
            ),
            models.CheckConstraint(
                condition=~Q(status=RecommendationStatus.WAIVED)
                | ~Q(waive_reason="") & Q(closed_at__isnull=False),
                name="recommendation_waived_with_its_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.action[:60]


class InspectionEvent(HistoryEvent):
    """The inspection's history: every step and change, who and when."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,  # inspection_event_idx leads with it
    )

    class Meta(HistoryEvent.Meta):
        indexes = [models.Index(fields=["inspection", "at"], name="inspection_event_idx")]
