"""How the referrals API shows a referral.

A referral shows only what an agency needs before accepting: the case code, the service, the
urgency, the commune and the child's sex and age — never the child's name or the story.
"""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from referrals.models import Referral, ReferralOutcome


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralOutcome
        exclude = ["id", "referral", "recorded_by"]


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
            "next_due_at",
            "is_overdue",
            "outcome",
        ]

    def get_child_age(self, referral: Referral) -> int | None:
        return referral.case.child.age_on(timezone.localdate())

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, referral: Referral) -> dict[str, Any] | None:
        outcome = getattr(referral, "outcome", None)
        return OutcomeSerializer(outcome).data if outcome else None
