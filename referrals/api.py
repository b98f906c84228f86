"""The referrals API: the agency's inbox, the commune's outbox, and each referral's workflow.

A referral shows only what an agency needs before accepting: the case code, the service, the
urgency, the commune and the child's sex and age — never the child's name or the story.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from cases.choices import ConsentBasis, Service
from cases.consent import Consent
from core.models import Agency, User
from referrals import services
from referrals.models import PoliceDecision, Referral, ReferralOutcome, Status, Urgency
from referrals.selectors import referral_list

ERRORS = {
    400: OpenApiResponse(description="Bad input: {field: [messages]}; nothing changed."),
    403: OpenApiResponse(description="Your role may not do this to this referral."),
    404: OpenApiResponse(description="No such referral, or not visible to you."),
    409: OpenApiResponse(description="The state forbids it, or a concurrent change won."),
}


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


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    service = serializers.ChoiceField(choices=Service.choices)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    reason = serializers.CharField(allow_blank=True, default="")
    consent_basis = serializers.ChoiceField(choices=ConsentBasis.choices)
    consent_by_carer = serializers.BooleanField(default=False)
    consent_by_child = serializers.BooleanField(default=False)


class WaiverSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    service = serializers.ChoiceField(choices=Service.choices)
    reason = serializers.CharField()


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField()


CancelSerializer = DeclineSerializer


class ExtendSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField()
    reason = serializers.CharField()


class AssignSerializer(serializers.Serializer):
    assigned_to = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))


class CompleteSerializer(serializers.Serializer):
    """The outcome; which fields are needed depends on the service (docs/api.md)."""

    report_received_at = serializers.DateTimeField(required=False)
    police_decision = serializers.ChoiceField(choices=PoliceDecision.choices, required=False)
    decision_date = serializers.DateField(required=False)
    child_friendly_room = serializers.BooleanField(required=False, allow_null=True, default=None)
    examined_at = serializers.DateTimeField(required=False)
    report_reference = serializers.CharField(required=False)
    admitted_at = serializers.DateTimeField(required=False)
    discharged_at = serializers.DateTimeField(required=False)
    summary = serializers.CharField(required=False)
    provider = serializers.CharField(required=False)
    proceedings = serializers.CharField(required=False)
    services_given = serializers.CharField(required=False)


class EmptySerializer(serializers.Serializer):
    pass


# name → (payload serializer, call)
TRANSITIONS = {
    "accept": (
        EmptySerializer,
        lambda user, pk, data: services.referral_accept(actor=user, referral_id=pk),
    ),
    "decline": (
        DeclineSerializer,
        lambda user, pk, data: services.referral_decline(actor=user, referral_id=pk, **data),
    ),
    "complete": (
        CompleteSerializer,
        lambda user, pk, data: services.referral_complete(
            actor=user,
            referral_id=pk,
            outcome={
                k: v for k, v in data.items() if not (k == "child_friendly_room" and v is None)
            },
        ),
    ),
    "extend": (
        ExtendSerializer,
        lambda user, pk, data: services.referral_extend(actor=user, referral_id=pk, **data),
    ),
    "assign": (
        AssignSerializer,
        lambda user, pk, data: services.referral_assign(
            actor=user, referral_id=pk, staff=data["assigned_to"]
        ),
    ),
    "cancel": (
        CancelSerializer,
        lambda user, pk, data: services.referral_cancel(actor=user, referral_id=pk, **data),
    ),
}


class TransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    allowed = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


@extend_schema(
    parameters=[
        OpenApiParameter("direction", enum=["incoming", "outgoing"]),
        OpenApiParameter("status", enum=Status.values),
        OpenApiParameter("service", enum=Service.values),
        OpenApiParameter("overdue", bool),
        OpenApiParameter("case", int),
    ]
)
class ReferralViewSet(viewsets.GenericViewSet):
    serializer_class = ReferralSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a request
            return Referral.objects.none()
        params = self.request.query_params
        errors = {}
        direction = params.get("direction") or None
        if direction not in (None, "incoming", "outgoing"):
            errors["direction"] = [_("Use incoming or outgoing.")]
        status = params.get("status") or None
        if status is not None and status not in Status.values:
            errors["status"] = [_("Unknown status.")]
        service = params.get("service") or None
        if service is not None and service not in Service.values:
            errors["service"] = [_("Unknown service.")]
        overdue = {"true": True, "1": True, "false": False, "0": False}.get(
            params.get("overdue", "").lower()
        )
        case = params.get("case")
        if case is not None and not case.isdigit():
            errors["case"] = [_("Give a case id.")]
        if errors:
            raise serializers.ValidationError(errors)
        return referral_list(
            self.request.user,
            direction=direction,
            status=status,
            service=service,
            overdue=overdue,
            case_id=int(case) if case else None,
        ).select_related("outcome")

    @extend_schema(responses=ReferralSerializer(many=True))
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ReferralSerializer(page, many=True).data)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        payload = ReferralCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        referral = services.referral_create(
            actor=request.user,
            case_id=data["case"],
            service=data["service"],
            agency=data["agency"],
            urgency=data["urgency"],
            reason=data["reason"],
            consent=Consent(
                data["consent_basis"], data["consent_by_carer"], data["consent_by_child"]
            ),
        )
        return Response(self.representation(referral.pk), status=201)

    @extend_schema(responses={200: ReferralSerializer, 404: ERRORS[404]})
    def retrieve(self, request: Request, pk: str) -> Response:
        referral = services.referral_open(actor=request.user, referral_id=int(pk))
        return Response(self.representation(referral.pk))

    @extend_schema(responses={200: TransitionSerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], url_path="transitions")
    def transitions(self, request: Request, pk: str) -> Response:
        referral = services.referral_open(actor=request.user, referral_id=int(pk))
        return Response(services.transitions_for(actor=request.user, referral=referral))

    @extend_schema(request=CompleteSerializer, responses={200: ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def run_transition(self, request: Request, pk: str, name: str) -> Response:
        if name not in TRANSITIONS:
            raise NotFound(_("No such transition."))
        serializer_class, call = TRANSITIONS[name]
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        call(request.user, int(pk), dict(payload.validated_data))
        return Response(self.representation(int(pk)))

    @extend_schema(request=WaiverSerializer, responses={201: ReferralSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path="waivers")
    def waive(self, request: Request) -> Response:
        payload = WaiverSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        referral = services.referral_waive(
            actor=request.user, case_id=data["case"], service=data["service"], reason=data["reason"]
        )
        return Response(self.representation(referral.pk), status=201)

    def representation(self, referral_id: int) -> dict[str, Any]:
        referral = referral_list(self.request.user).select_related("outcome").get(pk=referral_id)
        return ReferralSerializer(referral).data
