"""How the referrals API shows a referral.

A referral shows only what an agency needs before accepting: the case code, the service, the
urgency, the commune and the child's sex and age — never the child's name or the story.
"""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from referrals.models import Referral, ReferralExtension, ReferralOutcome


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralOutcome
        exclude = ["id", "referral", "recorded_by"]


class ExtensionSerializer(serializers.ModelSerializer):
    """One extension of the police's time limit (Criminal Procedure Code Art. 147(2))."""

    by_procuracy = serializers.BooleanField(read_only=True)

    class Meta:
        model = ReferralExtension
        fields = [
            "number",
            "due_at",
            "previous_due_at",
            "reason",
            "by_procuracy",
            "procuracy_decision_number",
            "procuracy_decision_date",
            "recorded_by",
            "recorded_at",
        ]


class ReferralSerializer(serializers.ModelSerializer):
    case_id = serializers.IntegerField(read_only=True)
    case_code = serializers.CharField(source="case.code", read_only=True)
    commune = serializers.CharField(source="case.commune.code", read_only=True)
    commune_name = serializers.CharField(source="case.commune.name", read_only=True)
    child_sex = serializers.CharField(source="case.child.sex", read_only=True)
    child_age = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    service_display = serializers.CharField(source="get_service_display", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True, default=None)
    next_due_at = serializers.DateTimeField(read_only=True, default=None)
    is_overdue = serializers.BooleanField(read_only=True, default=False)
    outcome = serializers.SerializerMethodField()
    extension_history = ExtensionSerializer(source="extension_records", many=True, read_only=True)
    is_suspended = serializers.BooleanField(read_only=True)
    resume_due_at = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "case_id",
            "case_code",
            "commune",
            "commune_name",
            "child_sex",
            "child_age",
            "service",
            "service_display",
            "required",
            "status",
            "status_display",
            "urgency",
            "reason",
            "agency",
            "agency_name",
            "assigned_to",
            "sent_at",
            "accepted_at",
            "completed_at",
            "decline_reason",
            "cancel_reason",
            "waive_reason",
            "consent_basis",
            "extensions",
            "extension_history",
            "report_received_at",
            "is_suspended",
            "suspended_on",
            "suspension_reason",
            "resume_due_at",
            "next_due_at",
            "is_overdue",
            "outcome",
        ]

    def get_child_age(self, referral: Referral) -> int | None:
        return referral.case.child.age_on(timezone.localdate())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_resume_due_at(self, referral: Referral) -> str | None:
        """While the settlement is suspended, its one open clock is the reminder to resume."""
        due = getattr(referral, "next_due_at", None)
        if not referral.is_suspended or due is None:
            return None
        return serializers.DateTimeField().to_representation(due)

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, referral: Referral) -> dict[str, Any] | None:
        outcome = getattr(referral, "outcome", None)
        return OutcomeSerializer(outcome).data if outcome else None
