"""Children, cases and the records of each step of the Decree 56/2017 procedure.

The state graph lives here as django-fsm transitions that only change fields; who may run them,
the records they need, clocks, history and audit are the services' job (cases/services.py).
"""

import datetime
import pathlib
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.choices import (
    AbuseForm,
    AdministrativeSanctionKind,
    Channel,
    ClosureReason,
    Confirmation,
    ConsentBasis,
    DismissReason,
    Level,
    PerpetratorRelation,
    SanctionAuthority,
    Service,
    Setting,
    Sex,
    Situation,
    Source,
    Status,
    Violator,
    WorkDecision,
)
from cases.ethnicities import ETHNICITIES
from core.models import Agency, Clock, Unit
from core.models.history import HistoryEvent
from core.models.units import province_column
from core.text import FOLD_GROWTH, fold

OPEN_STATES = [s for s in Status.values if s != Status.CLOSED]


class Child(models.Model):
    full_name = models.CharField(_("full name"), max_length=120)
    # The folded name (core.text.fold) of any name the column above holds.
    search_name = models.CharField(max_length=120 * FOLD_GROWTH, editable=False)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(_("estimated age"), null=True, blank=True)
    # The day the age was estimated (the report's date): a later age counts from it.
    estimated_on = models.DateField(_("age estimated on"), null=True, blank=True)
    # Derived from the date of birth or the estimated age at intake: the duplicate check's key.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITIES, default="01")
    disability = models.BooleanField(_("has a disability"), default=False)
    special_circumstances = models.JSONField(_("special circumstances"), default=list, blank=True)
    residence = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune of residence"),
        db_index=False,  # the index on (residence, birth_year, …) leads with it
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    school = models.CharField(_("school"), max_length=200, blank=True)
    # Parents or carers (Form 01): name, relation, age, occupation, contact.
    carers = models.JSONField(_("carers"), default=list, blank=True)
    family_circumstances = models.TextField(_("the family's circumstances"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        indexes = [models.Index(fields=["residence", "birth_year", "search_name"])]
        constraints = [
            models.CheckConstraint(
                name="child_has_birth_date_or_estimated_age",
                condition=Q(date_of_birth__isnull=False) | Q(estimated_age__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.full_name)
        if self.date_of_birth:
            self.birth_year = self.date_of_birth.year
        elif self.estimated_age is not None:
            if self.estimated_on is None:
                self.estimated_on = timezone.localdate()
            if self.birth_year is None:
                self.birth_year = self.estimated_on.year - self.estimated_age
        super().save(*args, **kwargs)

    def age_on(self, day: datetime.date) -> int | None:
        """Whole years on `day`: from the date of birth, else from the age estimated on a day."""
        return age_on(
            day,
            date_of_birth=self.date_of_birth,
            estimated_age=self.estimated_age,
            estimated_on=self.estimated_on,
        )


def age_on(
    day: datetime.date,
    *,
    date_of_birth: datetime.date | None,
    estimated_age: int | None,
    estimated_on: datetime.date | None,
) -> int | None:
    """Whole years on `day`: from the date of birth, else from the age estimated on a day.

    None before the date of birth: the forms refuse a birth after the report, so only a value
    written around them gets here (a birth at 'infinity' reads as the last day Python holds),
    and an age of minus 7,974 years would tell the reader nothing true."""
    if date_of_birth:
        years = full_years(date_of_birth, day)
        return years if years >= 0 else None
    if estimated_age is not None:
        return estimated_age + max(0, full_years(estimated_on or day, day))
    return None


def full_years(start: datetime.date, day: datetime.date) -> int:
    """Completed years from `start` to `day` (a birthday on 29 February counts on 1 March)."""
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


class CaseCodeSequence(models.Model):
    """The last number given per province and year; locked while a case takes the next one."""

    province_code = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province_code", "year"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.province_code}-{self.year}: {self.last}"


class Case(ConcurrentTransitionMixin, models.Model):
    code = models.CharField(_("case code"), max_length=24, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    commune = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("commune"),
        db_index=False,  # case_commune_idx leads with it
    )
    # A copy of the commune's path: scoping by unit is one indexed prefix match, no join.
    unit_path = models.CharField(max_length=64, editable=False)
    province_path = province_column()
    status = FSMField(_("status"), default=Status.RECEIVED, choices=Status.choices, protected=True)
    # The case's deadlines, for queries that count them by the case's commune (reports).
    clocks = GenericRelation(
        Clock,
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="case",
    )

    # The report (Form 01)
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reporter_name = models.CharField(_("reporter's name"), max_length=120, blank=True)
    reporter_contact = models.CharField(_("reporter's contact"), max_length=120, blank=True)
    reporter_address = models.CharField(_("reporter's address"), max_length=255, blank=True)
    receiving_body = models.CharField(
        _("body that received the report"), max_length=200, blank=True
    )
    report_number = models.CharField(_("report number"), max_length=64, blank=True)
    harm_location = models.CharField(_("where the harm happened"), max_length=255, blank=True)
    child_location = models.CharField(_("where the child is now"), max_length=255, blank=True)
    child_condition = models.TextField(_("the child's current state"), blank=True)
    description = models.TextField(_("what was reported"))
    likely_harm = models.TextField(_("the harm likely if nobody acts"), blank=True)
    actions_taken = models.TextField(_("what was already done for the child"), blank=True)

    # The concern
    situation = models.CharField(_("situation"), max_length=8, choices=Situation.choices)
    sexual_abuse_forms = models.JSONField(_("forms of sexual abuse"), default=list, blank=True)
    setting = models.CharField(_("setting"), max_length=24, choices=Setting.choices)
    perpetrator_relation = models.CharField(
        _("perpetrator's relation to the child"),
        max_length=16,
        choices=PerpetratorRelation.choices,
        default=PerpetratorRelation.UNKNOWN,
    )

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_hotline = models.BooleanField(default=False)
    # When the commune took over a report recorded by the hotline (its first step on the case).
    taken_by_commune_at = models.DateTimeField(null=True, blank=True)

    dismiss_reason = models.CharField(
        _("dismissal reason"), max_length=24, choices=DismissReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # For a report dismissed as unfounded: what was verified, and how.
    dismiss_verification = models.TextField(_("what was verified"), blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    next_review_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(
                fields=["unit_path", "status"],
                name="case_scope_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["status", "received_at"], name="case_status_idx"),
            models.Index(fields=["situation"], name="case_situation_idx"),
            models.Index(fields=["commune", "received_at"], name="case_commune_idx"),
            # A province's cases in the lists' order (newest first), a page at a time.
            models.Index(
                fields=["province_path", "-received_at", "-id"], name="case_province_list_idx"
            ),
            models.Index(
                fields=["recorded_by"],
                condition=Q(recorded_by_hotline=True, taken_by_commune_at__isnull=True),
                name="case_hotline_pending_idx",
            ),
        ]
        # The services keep these rules; the database keeps them against every other writer
        # (a script, the shell, a bug): what the reports count must be true of every row.
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_known"),
            # Closed: when, and why, by closure (Form 06) or by dismissal, one of the two.
            # Open (also once reopened): neither.
            models.CheckConstraint(
                condition=(
                    Q(status=Status.CLOSED, closed_at__isnull=False)
                    & (
                        Q(dismiss_reason="") & ~Q(closure_reason="")
                        | ~Q(dismiss_reason="") & Q(closure_reason="")
                    )
                )
                | (
                    ~Q(status=Status.CLOSED)
                    & Q(closed_at__isnull=True, dismiss_reason="", closure_reason="")
                ),
                name="case_closed_with_its_ending",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def abuse_forms(self) -> list[str]:
        """The codes of the forms of abuse; prefetch `abuse_form_rows` when listing."""
        return sorted(row.form for row in self.abuse_form_rows.all())

    # --- The graph of Decree 56/2017, chapter III (DOMAIN §5) ---------------------------------

    @transition(status, source=Status.RECEIVED, target=Status.ASSESSMENT)
    def assess_initial(self) -> None:
        pass

    @transition(
        status,
        source=[Status.RECEIVED, Status.ASSESSMENT, Status.INTERVENTION, Status.REVIEW],
        target=Status.EMERGENCY,
    )
    def declare_emergency(self) -> None:
        pass

    @transition(status, source=Status.RECEIVED, target=Status.CLOSED)
    def dismiss(self, reason: str, duplicate_of: "Case | None", verification: str = "") -> None:
        self.dismiss_reason = reason
        self.duplicate_of = duplicate_of
        self.dismiss_verification = verification
        self.closed_at = timezone.now()

    @transition(status, source=Status.EMERGENCY, target=Status.ASSESSMENT)
    def end_emergency(self) -> None:
        pass

    @transition(status, source=Status.ASSESSMENT, target=Status.PLAN_REVIEW)
    def submit_plan(self) -> None:
        pass

    @transition(status, source=Status.PLAN_REVIEW, target=Status.INTERVENTION)
    def approve_plan(self) -> None:
        pass

    @transition(status, source=Status.PLAN_REVIEW, target=Status.ASSESSMENT)
    def return_plan(self) -> None:
        pass

    @transition(status, source=Status.INTERVENTION, target=Status.REVIEW)
    def start_review(self) -> None:
        pass

    @transition(status, source=Status.REVIEW, target=Status.ASSESSMENT)
    def revise_plan(self) -> None:
        pass

    @transition(status, source=Status.INTERVENTION, target=Status.INTERVENTION)
    def record_review(self) -> None:
        pass

    @transition(status, source=Status.REVIEW, target=Status.CLOSURE_REVIEW)
    def propose_closure(self) -> None:
        pass

    @transition(status, source=Status.CLOSURE_REVIEW, target=Status.REVIEW)
    def return_closure(self) -> None:
        pass

    @transition(status, source=Status.CLOSURE_REVIEW, target=Status.CLOSED)
    def close(self, reason: str) -> None:
        self.closure_reason = reason
        self.closed_at = timezone.now()

    # New information is a new report: a fresh Form 02 within 12 hours (Decree 56 Art. 26).
    @transition(status, source=Status.CLOSED, target=Status.RECEIVED)
    def reopen(self) -> None:
        self.closure_reason = ""
        self.dismiss_reason = ""
        self.dismiss_verification = ""
        self.duplicate_of = None
        self.closed_at = None


class CaseAbuseForm(models.Model):
    """One form of abuse of a case: a row each, so reports count them in the database."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="abuse_form_rows",
        db_index=False,  # case_abuse_form_unique leads with it
    )
    form = models.CharField(_("form of abuse"), max_length=24, choices=AbuseForm.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "form"], name="case_abuse_form_unique")
        ]
        indexes = [models.Index(fields=["form", "case"], name="case_abuse_form_idx")]

    def __str__(self) -> str:
        return self.form


class CaseRecord(models.Model):
    """Common to every step's record: the case, the author and the time."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="%(class)ss")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} · {self.case_id}"


class InitialAssessment(CaseRecord):
    """Form 02: the first assessment of the child's safety, within 12 hours (Art. 26)."""

    harm_level = models.CharField(_("level of harm"), max_length=8, choices=Level.choices)
    immediate_danger = models.BooleanField(_("the child is in immediate danger"))
    # Blank only on assessments recorded before the question was asked.
    confirmed = models.CharField(
        _("abuse or risk confirmed"), max_length=16, choices=Confirmation.choices, blank=True
    )
    safety_measures = models.TextField(_("temporary safety measures taken"), blank=True)
    findings = models.TextField(_("findings"))

    class Meta(CaseRecord.Meta):
        verbose_name = _("initial assessment (Form 02)")


class EmergencyDeclaration(CaseRecord):
    danger = models.TextField(_("the danger"))
    measures_taken = models.TextField(_("measures taken"))
    separation_proposed = models.BooleanField(
        _("separation from the carer is proposed"), default=False
    )

    class Meta(CaseRecord.Meta):
        verbose_name = _("emergency declaration")


class SeparationDecision(CaseRecord):
    """Form 07: the commune chair's decision to separate the child temporarily from the parents
    or carer (Law on Children Art. 53; Decree 56/2017 Art. 32): proposed by the officer at any
    open state with the place of care, decided within 12 hours, for a period of at most 15 days
    with its extensions (unless a competent authority requires more), revoked when the carers
    can keep the child safe."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting the chair's decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Revoked")

    # The emergency it was proposed with; empty for a separation proposed at another time.
    emergency = models.OneToOneField(
        EmergencyDeclaration,
        on_delete=models.PROTECT,
        related_name="separation",
        null=True,
        blank=True,
    )
    grounds = models.TextField(_("why the child must be separated"), blank=True)
    period_days = models.PositiveSmallIntegerField(_("period (days)"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("why it was revoked"), blank=True)
    outcome = models.CharField(
        _("decision"), max_length=8, choices=Outcome.choices, default=Outcome.PENDING
    )
    placement = models.CharField(_("where the child is placed"), max_length=255, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("separation decision (Form 07)")
        indexes = [models.Index(fields=["outcome"], name="separation_outcome_idx")]
        constraints = [
            # One proposal awaits the chair at a time (cases.workflow.no_separation_open).
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(outcome="pending"),
                name="separation_one_pending",
            )
        ]


class SeparationExtension(CaseRecord):
    """The chair extends a separation (Decree 56/2017 Art. 32): beyond 15 days in all only at
    the request of a competent authority, which is recorded."""

    separation = models.ForeignKey(
        SeparationDecision, on_delete=models.PROTECT, related_name="extensions"
    )
    days = models.PositiveSmallIntegerField(_("extended by (days)"))
    ends_at = models.DateTimeField(_("new end"))
    reason = models.TextField(_("why it is extended"))
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    authority_request = models.CharField(
        _("request of the competent authority"), max_length=255, blank=True
    )

    class Meta(CaseRecord.Meta):
        verbose_name = _("extension of a separation")


class EmergencyEnd(CaseRecord):
    measures_applied = models.TextField(_("measures applied"))
    safe_location = models.CharField(_("where the child is safe now"), max_length=255)

    class Meta(CaseRecord.Meta):
        verbose_name = _("end of emergency")


class Plan(CaseRecord):
    """Form 03 (detailed assessment), needs-meeting minutes and Form 04 (the plan), as submitted."""

    class Outcome(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        SUPERSEDED = "superseded", _("Superseded")

    assessment_summary = models.TextField(_("detailed assessment (Form 03)"))
    needs = models.TextField(_("the child's needs"))
    meeting_held_at = models.DateTimeField(_("needs meeting held at"))
    meeting_participants = models.TextField(_("needs meeting participants"))
    meeting_minutes = models.TextField(_("needs meeting minutes"))
    goals = models.TextField(_("goals of the plan (Form 04)"))
    # The ground for sharing the case with the agencies the plan names (Law on Children Art. 21).
    consent_basis = models.CharField(
        _("ground for sharing with the agencies"),
        max_length=16,
        choices=ConsentBasis.choices,
        blank=True,
    )
    consent_by_carer = models.BooleanField(_("the carer consented"), default=False)
    consent_by_child = models.BooleanField(_("the child consented"), default=False)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.SUBMITTED
    )

    class Meta(CaseRecord.Meta):
        verbose_name = _("support and intervention plan")
        indexes = [models.Index(fields=["outcome"], name="plan_outcome_idx")]


class PlanMeasure(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    # Empty for what the commune does itself without an agency's service (home visits).
    service = models.CharField(_("service"), max_length=24, choices=Service.choices, blank=True)
    description = models.TextField(_("what will be done"))
    responsible_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible agency"),
    )
    timeframe_days = models.PositiveSmallIntegerField(_("timeframe (days)"))

    class Meta:
        verbose_name = _("plan measure")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.service}: {self.description[:40]}"


class PlanDecision(CaseRecord):
    """Form 05: the commune chair approves or returns the plan (Art. 28, Law Art. 52)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="decisions")
    approved = models.BooleanField()
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    comments = models.TextField(_("comments"), blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("plan decision (Form 05)")


class PlanRefusal(CaseRecord):
    """The parents or carers refuse to carry out the plan (Law on Children Art. 52): who refused,
    why, and what the commune did about it (Decree 56/2017 Art. 32(1) allows a separation)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="refusals")
    refused_by = models.CharField(_("who refused"), max_length=255)
    reasons = models.TextField(_("why they refuse"))
    commune_action = models.TextField(_("what the commune did"))

    class Meta(CaseRecord.Meta):
        verbose_name = _("refusal of the plan")


class CaseReview(CaseRecord):
    """A periodic review of the intervention (Decree 56/2017 Art. 30): notes and the progress
    of each measure of the approved plan; the next review is due 30 days later."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    notes = models.TextField(_("review notes"))
    # [{"measure": <PlanMeasure id>, "progress": "…"}], one per measure of the plan.
    measure_progress = models.JSONField(_("progress per measure"), default=list)

    class Meta(CaseRecord.Meta):
        verbose_name = _("review of the intervention")


class ClosureAssessment(CaseRecord):
    """Form 06: the officer's proposal to close the case, on which the chair closes it or
    returns it with comments (Decree 56/2017 Art. 30)."""

    class Outcome(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the chair's decision")
        CLOSED = "closed", _("Case closed")
        RETURNED = "returned", _("Returned with comments")

    remaining_harm = models.CharField(_("remaining harm"), max_length=8, choices=Level.choices)
    perpetrator_access = models.CharField(
        _("perpetrator's access to the child"), max_length=8, choices=Level.choices
    )
    care_obstacles = models.CharField(
        _("obstacles in the care setting"), max_length=8, choices=Level.choices
    )
    resilience = models.CharField(_("the child's resilience"), max_length=8, choices=Level.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=ClosureReason.choices)
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_comments = models.TextField(_("the chair's comments"), blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("closure assessment (Form 06)")


class ClosureWorkDecision(models.Model):
    """The chair's decision, on closing, on one piece of work still open (a live referral, a
    measure no agency reports on): done, or no longer needed with the reason."""

    closure = models.ForeignKey(
        ClosureAssessment, on_delete=models.CASCADE, related_name="work_decisions"
    )
    key = models.CharField(max_length=40)  # "referral:12", "measure:5"
    label = models.CharField(_("work"), max_length=255)
    decision = models.CharField(_("decision"), max_length=12, choices=WorkDecision.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("decision on open work at closure")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.key}: {self.decision}"


class CaseTransfer(CaseRecord):
    """The child moved: the case is offered to another commune, which accepts or declines."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting the receiving commune")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    from_commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_commune = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("to commune")
    )
    to_unit_path = models.CharField(max_length=64, editable=False)
    reason = models.TextField(_("reason"))
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comments = models.TextField(blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("case transfer")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(outcome="pending"),
                name="one_pending_transfer_per_case",
            )
        ]
        indexes = [
            models.Index(
                fields=["to_unit_path"],
                condition=Q(outcome="pending"),
                name="transfer_pending_idx",
                opclasses=["varchar_pattern_ops"],
            )
        ]


class CaseNote(CaseRecord):
    text = models.TextField(_("note"))

    class Meta(CaseRecord.Meta):
        verbose_name = _("note")


def attachment_path(attachment: "CaseAttachment", filename: str) -> str:
    # A random name: the original one may itself identify the child.
    return f"cases/{attachment.case_id}/{uuid.uuid4().hex}{pathlib.Path(filename).suffix.lower()}"


class CaseAttachment(CaseRecord):
    """A scanned form, a photo, a letter. Kept outside the web root; served only after a check."""

    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    # The signed scan of an official document of the case ("form05-12": Form 05 of the plan
    # decision 12, documents/catalogue.py), or empty for any other document.
    signs = models.CharField(_("signed copy of"), max_length=32, blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("attachment")


class AdministrativeSanction(CaseRecord):
    """An administrative sanction (xử phạt vi phạm hành chính) decided for the abuse reported in
    the case by the commune's chair, the police or another competent authority (Law on Handling
    Administrative Violations 2012, Art. 21, 38–39; for children, Decree 130/2021/NĐ-CP). The
    commune records the decision so that the yearly indicators (Circular 13/2021) count it beside
    the sanctions of the inspections."""

    decided_by = models.CharField(_("decided by"), max_length=16, choices=SanctionAuthority.choices)
    decision_number = models.CharField(_("decision number"), max_length=64)
    decided_on = models.DateField(_("decided on"))
    violator = models.CharField(_("violator"), max_length=16, choices=Violator.choices)
    sanction = models.CharField(
        _("sanction"), max_length=20, choices=AdministrativeSanctionKind.choices
    )
    fine_amount = models.PositiveBigIntegerField(_("fine (VND)"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("administrative sanction")
        verbose_name_plural = _("administrative sanctions")
        # The indicators count the sanctions decided in a year.
        indexes = [models.Index(fields=["decided_on"], name="admin_sanction_decided_idx")]
        constraints = [
            models.CheckConstraint(
                name="admin_sanction_fine_has_amount",
                condition=Q(sanction="fine", fine_amount__gt=0)
                | (~Q(sanction="fine") & Q(fine_amount__isnull=True)),
            )
        ]


class CaseEvent(HistoryEvent):
    """The case's history: every transition and change, who did it and when, in order."""

    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,  # case_event_idx leads with it
    )

    class Meta(HistoryEvent.Meta):
        indexes = [models.Index(fields=["case", "at"], name="case_event_idx")]
