"""Referrals of a case to the agencies that provide a service, and the outcome they record.

The graph of DOMAIN §6 lives here as django-fsm transitions that only change fields; who may run
them, clocks, history and audit are the services' job (referrals/services.py).
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from cases.choices import AbuseForm, ConsentBasis, Service
from cases.models import Case
from core.models import Agency, Clock
from core.models.units import province_column


class Requirement(models.TextChoices):
    REQUIRED = "required", _("Required")
    SUGGESTED = "suggested", _("Suggested")


class PathwayStep(models.Model):
    """One row of the configurable pathway: for this form of abuse, this service is required or
    suggested (DOMAIN §6; e.g. sexual abuse requires the police, forensic medicine, medical care,
    legal aid and social support)."""

    abuse_form = models.CharField(_("form of abuse"), max_length=24, choices=AbuseForm.choices)
    service = models.CharField(_("service"), max_length=24, choices=Service.choices)
    requirement = models.CharField(
        _("requirement"), max_length=12, choices=Requirement.choices, default=Requirement.REQUIRED
    )

    class Meta:
        verbose_name = _("pathway step")
        verbose_name_plural = _("service pathway")
        ordering = ["abuse_form", "service"]
        constraints = [
            models.UniqueConstraint(fields=["abuse_form", "service"], name="pathway_step_unique")
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_abuse_form_display()} → {self.get_service_display()}"
            f" ({self.get_requirement_display()})"
        )


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    WAIVED = "waived", _("Waived")


LIVE_STATES = [Status.PENDING, Status.ACCEPTED]
RESOLVED_STATES = [Status.COMPLETED, Status.WAIVED]


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class PoliceDecision(models.TextChoices):
    PROSECUTED = "prosecuted", _("Criminal proceedings opened")
    NOT_PROSECUTED = "not_prosecuted", _("No criminal proceedings")
    SUSPENDED = "suspended", _("Settlement suspended")


def settlement_suspended(
    status: str, suspended_on: datetime.date | None, resumed_on: datetime.date | None
) -> bool:
    """The police suspended the settlement (Art. 148) and have neither resumed it (Art. 149)
    nor decided: of a referral, or of a list's plain row."""
    return status == Status.ACCEPTED and suspended_on is not None and resumed_on is None


class Referral(ConcurrentTransitionMixin, models.Model):
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        related_name="referrals",
        db_index=False,  # referral_case_idx leads with it
    )
    # A copy of the case's unit path when sent: outgoing lists are scoped without a join.
    unit_path = models.CharField(max_length=64, editable=False)
    province_path = province_column()
    service = models.CharField(_("service"), max_length=24, choices=Service.choices)
    required = models.BooleanField(_("required by the pathway"), default=False)
    status = FSMField(_("status"), default=Status.PENDING, choices=Status.choices, protected=True)
    # The referral's deadlines, for queries that count them by the case's commune (reports).
    clocks = GenericRelation(
        Clock,
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="referral",
    )
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    reason = models.TextField(_("why the child needs this service"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    # Empty only for a waived service that was never sent anywhere.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("receiving agency"),
        db_index=False,  # referral_inbox_idx leads with it
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )

    consent_basis = models.CharField(
        _("ground for sharing"), max_length=16, choices=ConsentBasis.choices, blank=True
    )
    consent_by_carer = models.BooleanField(_("the carer consented"), default=False)
    consent_by_child = models.BooleanField(_("the child consented"), default=False)

    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("why it was declined"), blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    waived_at = models.DateTimeField(null=True, blank=True)
    waive_reason = models.TextField(_("why it was waived"), blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    # police_report (Criminal Procedure Code 2015 Art. 147-148): when the investigating body
    # received the crime report, which the 20 days count from (the acceptance time unless the
    # police enter or correct it), and a suspension of the settlement, which is not an end.
    report_received_at = models.DateTimeField(
        _("crime report received by the police at"), null=True, blank=True
    )
    suspended_on = models.DateField(_("settlement suspended on"), null=True, blank=True)
    suspension_reason = models.TextField(_("why the settlement is suspended"), blank=True)
    # The decision to resume it (Art. 149): from it the police have one more month.
    resumed_on = models.DateField(_("settlement resumed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-id"]
        indexes = [
            # An inbox section (pending, in progress) in its order, oldest first, by its cursor.
            models.Index(fields=["agency", "status", "sent_at", "id"], name="referral_inbox_idx"),
            # The agency's list in its order (newest first), a page at a time.
            models.Index(fields=["agency", "-sent_at", "-id"], name="referral_agency_list_idx"),
            models.Index(
                fields=["unit_path", "status"],
                name="referral_outbox_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            # A province's referrals in the lists' order (newest first), a page at a time.
            models.Index(
                fields=["province_path", "-sent_at", "-id"], name="referral_province_list_idx"
            ),
            models.Index(fields=["case", "service", "status"], name="referral_case_idx"),
            models.Index(fields=["service", "status"], name="referral_service_idx"),
        ]
        # The services keep these rules; the database keeps them against every other writer
        # (a script, the shell, a bug): the figures and the commune read them from every row.
        constraints = [
            models.CheckConstraint(
                name="referral_has_agency_unless_waived",
                condition=Q(agency__isnull=False) | Q(status=Status.WAIVED),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="referral_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DECLINED)
                | Q(declined_at__isnull=False) & ~Q(decline_reason=""),
                name="referral_declined_with_its_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.COMPLETED) | Q(completed_at__isnull=False),
                name="referral_completed_when",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.CANCELLED) | Q(cancelled_at__isnull=False),
                name="referral_cancelled_when",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.WAIVED)
                | Q(waived_at__isnull=False) & ~Q(waive_reason=""),
                name="referral_waived_with_its_reason",
            ),
            # One agency at a time works on a service for a child (referral_send).
            models.UniqueConstraint(
                fields=["case", "service"],
                condition=Q(status__in=LIVE_STATES),
                name="referral_one_live_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.service} · {self.status}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATES

    @property
    def is_suspended(self) -> bool:
        """The police suspended the settlement and have neither resumed it (Art. 149) nor
        decided (Art. 148)."""
        return settlement_suspended(self.status, self.suspended_on, self.resumed_on)

    @transition(status, source=Status.PENDING, target=Status.ACCEPTED)
    def accept(self, by) -> None:
        self.responded_by = by
        self.accepted_at = timezone.now()

    @transition(status, source=Status.PENDING, target=Status.DECLINED)
    def decline(self, by, reason: str) -> None:
        self.responded_by = by
        self.declined_at = timezone.now()
        self.decline_reason = reason

    @transition(status, source=Status.ACCEPTED, target=Status.COMPLETED)
    def complete(self) -> None:
        self.completed_at = timezone.now()

    @transition(status, source=[Status.PENDING, Status.ACCEPTED], target=Status.CANCELLED)
    def cancel(self, reason: str) -> None:
        self.cancelled_at = timezone.now()
        self.cancel_reason = reason

    @transition(status, source=Status.DECLINED, target=Status.WAIVED)
    def waive(self, by, reason: str) -> None:
        self.waived_by = by
        self.waived_at = timezone.now()
        self.waive_reason = reason


class ReferralExtension(models.Model):
    """One extension of the police's time limit (Criminal Procedure Code 2015 Art. 147): the
    first by the investigating body, to at most 2 months from receipt; the second by the
    procuracy, by at most 2 more months, with its decision's number and date."""

    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        related_name="extension_records",
        db_index=False,  # referral_extension_unique leads with it
    )
    number = models.PositiveSmallIntegerField(_("extension"))
    due_at = models.DateTimeField(_("new time limit"))
    previous_due_at = models.DateTimeField(_("previous time limit"))
    reason = models.TextField(_("why more time is needed"))
    procuracy_decision_number = models.CharField(
        _("procuracy's decision number"), max_length=64, blank=True
    )
    procuracy_decision_date = models.DateField(
        _("date of the procuracy's decision"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("extension of the time limit")
        verbose_name_plural = _("extensions of the time limit")
        ordering = ["referral", "number"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "number"], name="referral_extension_unique")
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} · {self.number}"

    @property
    def by_procuracy(self) -> bool:
        return bool(self.procuracy_decision_number)


class ReferralOutcome(models.Model):
    """What the agency recorded on completing its service (DOMAIN §6); fields by service."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="outcome")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # police_report (Criminal Procedure Code Art. 147)
    report_received_at = models.DateTimeField(_("crime report received at"), null=True, blank=True)
    police_decision = models.CharField(
        _("decision"), max_length=16, choices=PoliceDecision.choices, blank=True
    )
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    child_friendly_room = models.BooleanField(
        _("a child-friendly interview room was used"), null=True, blank=True
    )
    # forensic_exam
    examined_at = models.DateTimeField(_("examined at"), null=True, blank=True)
    report_reference = models.CharField(_("forensic report reference"), max_length=64, blank=True)
    # medical_care
    admitted_at = models.DateTimeField(_("admitted at"), null=True, blank=True)
    discharged_at = models.DateTimeField(_("discharged at"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # legal_aid
    provider = models.CharField(_("legal-aid provider assigned"), max_length=200, blank=True)
    proceedings = models.TextField(_("proceedings supported"), blank=True)
    # social_support, psychosocial, education_support
    services_given = models.TextField(_("services given"), blank=True)

    class Meta:
        verbose_name = _("referral outcome")
        indexes = [models.Index(fields=["police_decision"], name="outcome_police_idx")]

    def __str__(self) -> str:
        return f"{self.referral_id}"
