"""How the inspections API shows an inspection, its findings and recommendations, and the
registry of inspected subjects."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api_fields import LabelField
from core.errors import NotFound
from core.models import Agency, User
from inspections import selectors
from inspections.api.common import CodeField
from inspections.models import (
    Finding,
    InspectedSubject,
    Inspection,
    Kind,
    Membership,
    Recommendation,
    Sanction,
    Status,
    SubjectKind,
    Topic,
)


class InspectionAgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]
        read_only_fields = fields


class InspectedSubjectSerializer(serializers.ModelSerializer):
    kind = CodeField(SubjectKind)
    kind_display = LabelField(source="kind")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = InspectedSubject
        fields = ["id", "kind", "kind_display", "name", "unit", "unit_name", "agency"]
        read_only_fields = fields


class TeamMemberSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.get_full_name")
    role = CodeField(Membership.Role)


class FindingSerializer(serializers.ModelSerializer):
    sanction = CodeField(Sanction)
    sanction_display = LabelField(source="sanction")
    subject_name = serializers.CharField(source="subject.name", default=None, allow_null=True)
    case_id = serializers.IntegerField(allow_null=True)
    case_code = serializers.CharField(
        source="case.code",
        default=None,
        allow_null=True,
        help_text=_("The case opened for a child found at risk; the commune handles it."),
    )
    author = serializers.CharField(source="author.username")

    class Meta:
        model = Finding
        fields = [
            "id",
            "subject",
            "subject_name",
            "description",
            "legal_basis",
            "responsible",
            "sanction",
            "sanction_display",
            "fine_amount",
            "head_held_accountable",
            "case_id",
            "case_code",
            "author",
            "created_at",
        ]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):
    """A recommendation with its open clock, as `selectors.with_clocks` sets it."""

    status = CodeField(Recommendation.Status)
    status_display = LabelField(source="status")
    due_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When its open clock falls due; none once resolved.")
    )
    is_overdue = serializers.BooleanField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "finding",
            "action",
            "responsible",
            "due_date",
            "status",
            "status_display",
            "due_at",
            "is_overdue",
            "evidence",
            "waive_reason",
            "closed_at",
            "created_at",
        ]
        read_only_fields = fields


def recommendation_data(recommendations: list[Recommendation]) -> Any:
    return RecommendationSerializer(selectors.with_clocks(recommendations), many=True).data


class InspectionListSerializer(serializers.ModelSerializer):
    kind = CodeField(Kind)
    topic = CodeField(Topic)
    status = CodeField(Status)
    status_display = LabelField(source="status")
    lead_agency_name = serializers.CharField(source="lead_agency.name")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "kind",
            "topic",
            "title",
            "status",
            "status_display",
            "lead_agency",
            "lead_agency_name",
            "decision_number",
            "decision_date",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
        ]
        read_only_fields = fields


class InspectionDetailSerializer(InspectionListSerializer):
    kind_display = LabelField(source="kind")
    topic_display = LabelField(source="topic")
    lead_agency = InspectionAgencySerializer()
    member_agencies = InspectionAgencySerializer(many=True)
    subjects = InspectedSubjectSerializer(many=True)
    team = TeamMemberSerializer(many=True)
    findings = FindingSerializer(many=True)
    recommendations = serializers.SerializerMethodField()

    class Meta(InspectionListSerializer.Meta):
        fields = [
            *InspectionListSerializer.Meta.fields,
            "kind_display",
            "topic_display",
            "member_agencies",
            "subjects",
            "team",
            "conclusion",
            "no_violation_found",
            "cancel_reason",
            "created_at",
            "findings",
            "recommendations",
        ]
        read_only_fields = fields

    @extend_schema_field(RecommendationSerializer(many=True))
    def get_recommendations(self, inspection: Inspection) -> Any:
        return recommendation_data(list(inspection.recommendations.all()))


def inspection_detail(user: User, inspection_id: int) -> dict[str, Any]:
    """The whole inspection as this user may read it; NotFound if they may not."""
    inspection = selectors.inspection_with_records(user, inspection_id)
    if inspection is None:
        raise NotFound()
    return InspectionDetailSerializer(inspection).data


class InspectedSubjectListSerializer(InspectedSubjectSerializer):
    inspection_count = serializers.IntegerField(
        help_text=_("How many of its inspections you can see.")
    )

    class Meta(InspectedSubjectSerializer.Meta):
        fields = [*InspectedSubjectSerializer.Meta.fields, "inspection_count"]
        read_only_fields = fields


class InspectedSubjectDetailSerializer(InspectedSubjectListSerializer):
    inspections = InspectionListSerializer(many=True, source="visible_inspections")

    class Meta(InspectedSubjectListSerializer.Meta):
        fields = [*InspectedSubjectListSerializer.Meta.fields, "inspections"]
        read_only_fields = fields
