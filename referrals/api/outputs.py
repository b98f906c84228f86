"""How the referrals API shows a referral.

A referral never shows the child's name or the story. Before it accepts, the receiving agency
reads its summary alone: the case code, the commune, the service, the urgency, the child's sex
and age, the deadline and the referral's own state; the sender's free text (`DETAIL_FIELDS` of
referrals/selectors.py) is null until then. The agency's pages show the same (need to know,
DOMAIN §6).
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.choices import ConsentBasis
from core.api_fields import LabelField
from core.deadlines import overdue_flag
from referrals.models import (
    Referral,
    ReferralExtension,
    ReferralOutcome,
    settlement_suspended,
)
from referrals.selectors import DETAIL_FIELDS


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
    child_sex_display = LabelField(source="case.child.sex")
    child_age = serializers.SerializerMethodField()
    status_display = LabelField(source="status")
    service_display = LabelField(source="service")
    urgency_display = LabelField(source="urgency")
    # The sender's free text and the ground for sharing: null to the receiving agency until it
    # accepts the referral.
    reason = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Null to the agency until it accepts.")
    )
    cancel_reason = serializers.CharField(
        read_only=True, allow_null=True, help_text=_("Null to the agency until it accepts.")
    )
    consent_basis = serializers.ChoiceField(
        choices=ConsentBasis.choices,
        read_only=True,
        allow_blank=True,
        allow_null=True,
        help_text=_("Null to the agency until it accepts."),
    )
    agency_name = serializers.CharField(
        source="agency.name", read_only=True, default=None, allow_null=True
    )
    next_due_at = serializers.DateTimeField(read_only=True, default=None, allow_null=True)
    # Null without an open deadline (a referral finished or cancelled), as the case's.
    is_overdue = serializers.BooleanField(read_only=True, default=False, allow_null=True)
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
            "child_sex_display",
            "child_age",
            "service",
            "service_display",
            "required",
            "status",
            "status_display",
            "urgency",
            "urgency_display",
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
            "resumed_on",
            "resume_due_at",
            "next_due_at",
            "is_overdue",
            "outcome",
        ]

    def to_representation(self, referral: Referral) -> dict[str, Any]:
        data = super().to_representation(referral)
        if not getattr(referral, "details_shown", False):
            for name in DETAIL_FIELDS:
                data[name] = None
        return data

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


DATE_TIME = serializers.DateTimeField()
DATE = serializers.DateField()


def moment(value: Any) -> str | None:
    return None if value is None else DATE_TIME.to_representation(value)


class ReferralListSerializer(ReferralSerializer):
    """The list's referrals, written out from a page's plain rows (referrals/api/rows.py): the
    same fields as `ReferralSerializer`, declared there for the schema; a test holds each row
    equal to what the serializer gives for the referral."""

    def to_representation(self, row: dict[str, Any]) -> dict[str, Any]:  # type: ignore[override]
        labels = self.fields
        suspended = settlement_suspended(row["status"], row["suspended_on"], row["resumed_on"])
        due = row["next_due_at"]
        data = {
            "id": row["id"],
            "case_id": row["case_id"],
            "case_code": row["case__code"],
            "commune": row["case__commune__code"],
            "commune_name": row["case__commune__name"],
            "child_sex": row["case__child__sex"],
            "child_sex_display": labels["child_sex_display"].to_representation(
                row["case__child__sex"]
            ),
            "child_age": row["child_age"],
            "service": row["service"],
            "service_display": labels["service_display"].to_representation(row["service"]),
            "required": row["required"],
            "status": row["status"],
            "status_display": labels["status_display"].to_representation(row["status"]),
            "urgency": row["urgency"],
            "urgency_display": labels["urgency_display"].to_representation(row["urgency"]),
            "reason": row["reason"],
            "agency": row["agency_id"],
            "agency_name": row["agency__name"],
            "assigned_to": row["assigned_to_id"],
            "sent_at": moment(row["sent_at"]),
            "accepted_at": moment(row["accepted_at"]),
            "completed_at": moment(row["completed_at"]),
            "decline_reason": row["decline_reason"],
            "cancel_reason": row["cancel_reason"],
            "waive_reason": row["waive_reason"],
            "consent_basis": row["consent_basis"],
            "extensions": row["extensions"],
            "extension_history": row["extension_history"],
            "report_received_at": moment(row["report_received_at"]),
            "is_suspended": suspended,
            "suspended_on": None
            if row["suspended_on"] is None
            else DATE.to_representation(row["suspended_on"]),
            "suspension_reason": row["suspension_reason"],
            "resumed_on": None
            if row["resumed_on"] is None
            else DATE.to_representation(row["resumed_on"]),
            "resume_due_at": moment(due) if suspended else None,
            "next_due_at": moment(due),
            "is_overdue": overdue_flag(row["is_overdue"]),
            "outcome": row["outcome"],
        }
        if not row["details_shown"]:
            data.update(dict.fromkeys(DETAIL_FIELDS))
        return data
