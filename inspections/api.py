"""The inspections API (DOMAIN §8): plans, the team's workflow, findings with their sanctions,
recommendations with their clocks, and the registry of inspected subjects.

Thin on purpose: each view parses its input, calls one service or selector and renders the
inspection. Who may see or do what is decided by inspections/services.py and selectors.py.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.choices import AbuseForm, Sex, Situation
from core import api_fields
from core.errors import NotFound
from core.models import Agency, Clock, Role, Unit, UnitLevel, User
from core.scope import scope_for
from inspections import clocks, selectors, services
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

ERRORS = {
    400: OpenApiResponse(description=_("Bad input: {field: [messages]}; nothing changed.")),
    401: OpenApiResponse(description=_("Not signed in.")),
    403: OpenApiResponse(description=_("Your role may not do this to this inspection.")),
    404: OpenApiResponse(description=_("No such inspection, or not visible to you.")),
    409: OpenApiResponse(
        description=_(
            'The state forbids it ("code": "invalid_transition") or a concurrent change won '
            '("code": "conflict"); nothing changed.'
        )
    ),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented errors of an operation; every one answers 401 without credentials."""
    return {code: ERRORS[code] for code in sorted({*codes, 401})}


ENUM_NAMES = {
    Kind: "InspectionKind",
    Topic: "InspectionTopic",
    Status: "InspectionStatus",
    SubjectKind: "InspectedSubjectKind",
    Sanction: "Sanction",
    Recommendation.Status: "RecommendationStatus",
    Membership.Role: "InspectionTeamRole",
}


class CodeField(api_fields.CodeField):
    names = ENUM_NAMES


CollectingSerializer = api_fields.CollectingSerializer


def unit_valid_today(code: str, level: str | None = None) -> Unit:
    units = Unit.objects.valid_on(timezone.localdate()).filter(code=code)
    unit = (units.filter(level=level) if level else units).first()
    if unit is None:
        if level == UnitLevel.COMMUNE:
            raise serializers.ValidationError(_("Choose a commune or ward valid today."))
        raise serializers.ValidationError(_("Choose an administrative unit valid today."))
    return unit


# --- Reading -------------------------------------------------------------------------------------


class InspectionAgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]
        read_only_fields = fields


class InspectedSubjectSerializer(serializers.ModelSerializer):
    kind = CodeField(SubjectKind)
    kind_display = serializers.CharField(source="get_kind_display")
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
    sanction_display = serializers.CharField(source="get_sanction_display")
    subject_name = serializers.CharField(source="subject.name", default=None)
    case_id = serializers.IntegerField(allow_null=True)
    case_code = serializers.CharField(
        source="case.code",
        default=None,
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
    status = CodeField(Recommendation.Status)
    status_display = serializers.CharField(source="get_status_display")
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


def with_clocks(recommendations: list[Recommendation]) -> list[Recommendation]:
    """Sets each recommendation's open clock (`due_at`, `is_overdue`), in one query for all."""
    due: dict[int, Any] = {}
    if recommendations:
        open_clocks = (
            Clock.objects.open()
            .filter(
                kind=clocks.RECOMMENDATION,
                subject_type=ContentType.objects.get_for_model(Recommendation),
                subject_id__in=[r.pk for r in recommendations],
            )
            .order_by("-due_at")
            .values_list("subject_id", "due_at")
        )
        due = dict(open_clocks)  # the earliest wins: it comes last
    now = timezone.now()
    for recommendation in recommendations:
        recommendation.due_at = due.get(recommendation.pk)
        recommendation.is_overdue = bool(recommendation.due_at and recommendation.due_at <= now)
    return recommendations


class InspectionListSerializer(serializers.ModelSerializer):
    kind = CodeField(Kind)
    topic = CodeField(Topic)
    status = CodeField(Status)
    status_display = serializers.CharField(source="get_status_display")
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
    kind_display = serializers.CharField(source="get_kind_display")
    topic_display = serializers.CharField(source="get_topic_display")
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
    def get_recommendations(self, inspection: Inspection) -> list[dict[str, Any]]:
        recommendations = with_clocks(list(inspection.recommendations.all()))
        return RecommendationSerializer(recommendations, many=True).data


def inspection_detail(user: User, inspection_id: int) -> dict[str, Any]:
    inspection = selectors.inspection_with_records(user, inspection_id)
    if inspection is None:
        raise NotFound()
    return InspectionDetailSerializer(inspection).data


class InspectionTransitionOptionSerializer(serializers.Serializer):
    name = serializers.CharField()
    allowed = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


# --- Input ---------------------------------------------------------------------------------------


def parsed(field: serializers.Field, data: Any, name: str) -> Any:
    """The value of one raw field, or None when it is missing or bad (its own error says why)."""
    try:
        return field.to_internal_value(data[name]) if data.get(name) not in (None, "") else None
    except serializers.ValidationError:
        return None


class InspectionFilterSerializer(serializers.Serializer):
    kind = CodeField(Kind, required=False)
    topic = CodeField(Topic, required=False)
    status = CodeField(Status, required=False)
    lead_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, help_text=_("The lead agency's id.")
    )
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, help_text=_("The year of planned start.")
    )


class InspectionPlanSerializer(CollectingSerializer):
    kind = CodeField(Kind)
    topic = CodeField(Topic)
    title = serializers.CharField(max_length=200)
    lead_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True),
        help_text=_("Your own agency: the inspection is led by the agency you inspect for."),
    )
    decision_number = serializers.CharField(max_length=64)
    decision_date = serializers.DateField()
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    member_agencies = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), many=True, default=list
    )
    subjects = serializers.PrimaryKeyRelatedField(
        queryset=InspectedSubject.objects.all(), many=True, default=list
    )
    members = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        many=True,
        default=list,
        help_text=_("The other inspectors on the team (user ids); you lead it."),
    )

    def cross_field_errors(self, data: Any) -> dict[str, list[str]]:
        day = serializers.DateField()
        decided, start, end = (
            parsed(day, data, name) for name in ("decision_date", "planned_start", "planned_end")
        )
        found: dict[str, list[str]] = {}
        if start and end and end < start:
            found["planned_end"] = [_("The end cannot come before the start.")]
        if decided and start and decided > start:
            found["decision_date"] = [_("The decision must come before the inspection starts.")]
        return found


class InspectionNoPayloadSerializer(serializers.Serializer):
    pass


class InspectionConcludeSerializer(serializers.Serializer):
    conclusion = serializers.CharField()
    no_violation_found = serializers.BooleanField(
        default=False, help_text=_("Needed to conclude without any finding.")
    )


class InspectionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField()


# name → its payload; services.inspection_transition takes the payload as keywords.
TRANSITION_PAYLOADS: dict[str, type[serializers.Serializer]] = {
    "start": InspectionNoPayloadSerializer,
    "begin_reporting": InspectionNoPayloadSerializer,
    "conclude": InspectionConcludeSerializer,
    "follow_up": InspectionNoPayloadSerializer,
    "close": InspectionNoPayloadSerializer,
    "cancel": InspectionCancelSerializer,
}
assert set(TRANSITION_PAYLOADS) == set(services.TRANSITIONS), "every step has a payload"

InspectionTransitionPayload = PolymorphicProxySerializer(
    component_name="InspectionTransitionPayload",
    serializers=[
        InspectionNoPayloadSerializer,
        InspectionConcludeSerializer,
        InspectionCancelSerializer,
    ],
    resource_type_field_name=None,
)
TRANSITION_NAME = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(TRANSITION_PAYLOADS)
)


class ChildAtRiskSerializer(serializers.Serializer):
    commune = serializers.CharField(help_text=_("The code of a commune or ward valid today."))
    full_name = serializers.CharField(max_length=120)
    sex = serializers.ChoiceField(choices=Sex.choices)
    estimated_age = serializers.IntegerField(min_value=0, max_value=17)
    situation = serializers.ChoiceField(choices=Situation.choices)
    abuse_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=AbuseForm.choices), min_length=1
    )
    description = serializers.CharField()

    def validate_commune(self, value: str) -> Unit:
        return unit_valid_today(value, UnitLevel.COMMUNE)


class FindingCreateSerializer(CollectingSerializer):
    description = serializers.CharField()
    legal_basis = serializers.CharField(max_length=255)
    responsible = serializers.CharField(max_length=200)
    sanction = CodeField(Sanction)
    fine_amount = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("In VND; required for a fine, and only for a fine."),
    )
    head_held_accountable = serializers.BooleanField(default=False)
    subject = serializers.PrimaryKeyRelatedField(
        queryset=InspectedSubject.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("One of the inspection's subjects."),
    )
    child_at_risk = ChildAtRiskSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A child found at risk: a case is opened for the child's commune."),
    )

    def cross_field_errors(self, data: Any) -> dict[str, list[str]]:
        is_fine = data.get("sanction") == Sanction.FINE
        amount = data.get("fine_amount") not in (None, "")
        if is_fine and not amount:
            return {"fine_amount": [_("Give the amount of the fine in VND.")]}
        if amount and not is_fine:
            return {"fine_amount": [_("Only a fine has an amount.")]}
        return {}


class RecommendationCreateSerializer(serializers.Serializer):
    action = serializers.CharField()
    responsible = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    finding = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The id of one of this inspection's findings."),
    )

    def validate_finding(self, value: int | None) -> Finding | None:
        if value is None:
            return None
        finding = Finding.objects.filter(pk=value, inspection_id=self.context["inspection"]).first()
        if finding is None:
            raise serializers.ValidationError(_("Choose one of this inspection's findings."))
        return finding


class RecommendationDoneSerializer(serializers.Serializer):
    evidence = serializers.CharField()


class RecommendationWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField()


# --- Inspections ---------------------------------------------------------------------------------


PLAN_FIELDS = (
    "kind",
    "topic",
    "title",
    "lead_agency",
    "decision_number",
    "decision_date",
    "planned_start",
    "planned_end",
)


def filled(params: Any) -> dict[str, str]:
    """The query's parameters without the empty ones: `?status=` means any status."""
    return {name: value for name, value in params.items() if value != ""}


class InspectionViewSet(viewsets.GenericViewSet):
    """Inspections (DOMAIN §8), visible to their team, the lead agency's head and the province's
    officers and managers; the head of the team runs the steps."""

    serializer_class = InspectionDetailSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    @extend_schema(
        parameters=[InspectionFilterSerializer],
        responses={200: InspectionListSerializer(many=True), **errors(400)},
    )
    def list(self, request: Request) -> Response:
        """The inspections you can see, latest planned start first."""
        query = InspectionFilterSerializer(data=filled(request.query_params))
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        if "lead_agency" in filters:
            filters["lead_agency"] = filters["lead_agency"].pk
        page = self.paginate_queryset(selectors.inspection_list(request.user, **filters))
        return self.get_paginated_response(InspectionListSerializer(page, many=True).data)

    @extend_schema(
        request=InspectionPlanSerializer,
        responses={201: InspectionDetailSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        """Plan an inspection; you lead its team (inspectors only)."""
        payload = InspectionPlanSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        inspection = services.inspection_plan(
            actor=request.user,
            plan=services.Plan(
                **{name: data[name] for name in PLAN_FIELDS},
                member_agencies=tuple(data["member_agencies"]),
                subjects=tuple(data["subjects"]),
                members=tuple(data["members"]),
            ),
        )
        return Response(
            inspection_detail(request.user, inspection.pk), status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: InspectionDetailSerializer, **errors(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        """The inspection with its team, subjects, findings and recommendations."""
        return Response(inspection_detail(request.user, int(pk)))

    @extend_schema(responses={200: InspectionTransitionOptionSerializer(many=True), **errors(404)})
    @action(detail=True, methods=["get"])
    def transitions(self, request: Request, pk: str) -> Response:
        """Every step with whether you may run it now and, if not, what is missing."""
        inspection = services.visible_inspection(actor=request.user, inspection_id=int(pk))
        rows = services.transitions_for(actor=request.user, inspection=inspection)
        return Response(InspectionTransitionOptionSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="v1_inspections_transitions_run",
        parameters=[TRANSITION_NAME],
        request=InspectionTransitionPayload,
        responses={200: InspectionDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def run_transition(self, request: Request, pk: str, name: str) -> Response:
        """Run one step with its payload: conclude {conclusion, no_violation_found}, cancel
        {reason}, the others {}."""
        if name not in TRANSITION_PAYLOADS:
            raise NotFound()
        # Out of scope answers 404 before the payload is judged.
        services.visible_inspection(actor=request.user, inspection_id=int(pk))
        payload = TRANSITION_PAYLOADS[name](data=request.data)
        payload.is_valid(raise_exception=True)
        services.inspection_transition(
            actor=request.user, inspection_id=int(pk), name=name, **payload.validated_data
        )
        return Response(inspection_detail(request.user, int(pk)))

    @extend_schema(responses={200: FindingSerializer(many=True), **errors(404)})
    @action(detail=True, methods=["get"])
    def findings(self, request: Request, pk: str) -> Response:
        """The violations found, oldest first."""
        inspection = services.visible_inspection(actor=request.user, inspection_id=int(pk))
        findings = inspection.findings.select_related("subject", "case", "author")
        page = self.paginate_queryset(findings)
        return self.get_paginated_response(FindingSerializer(page, many=True).data)

    @extend_schema(
        request=FindingCreateSerializer,
        responses={201: FindingSerializer, **errors(400, 403, 404, 409)},
    )
    @findings.mapping.post
    def record_finding(self, request: Request, pk: str) -> Response:
        """Record a violation and its sanction while inspecting or reporting (team members)."""
        services.visible_inspection(actor=request.user, inspection_id=int(pk))
        payload = FindingCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        child = data.pop("child_at_risk")
        finding = services.finding_record(
            actor=request.user,
            inspection_id=int(pk),
            child=services.ChildAtRisk(**(child | {"abuse_forms": tuple(child["abuse_forms"])}))
            if child
            else None,
            **data,
        )
        finding = Finding.objects.select_related("subject", "case", "author").get(pk=finding.pk)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: RecommendationSerializer(many=True), **errors(404)})
    @action(detail=True, methods=["get"])
    def recommendations(self, request: Request, pk: str) -> Response:
        """What the inspected must do, earliest due first, with each open clock."""
        inspection = services.visible_inspection(actor=request.user, inspection_id=int(pk))
        page = self.paginate_queryset(inspection.recommendations.all())
        return self.get_paginated_response(
            RecommendationSerializer(with_clocks(list(page)), many=True).data
        )

    @extend_schema(
        request=RecommendationCreateSerializer,
        responses={201: RecommendationSerializer, **errors(400, 403, 404, 409)},
    )
    @recommendations.mapping.post
    def add_recommendation(self, request: Request, pk: str) -> Response:
        """Add a recommendation once the inspection reports (team members); its clock runs to
        the end of the due date."""
        services.visible_inspection(actor=request.user, inspection_id=int(pk))
        payload = RecommendationCreateSerializer(data=request.data, context={"inspection": pk})
        payload.is_valid(raise_exception=True)
        recommendation = services.recommendation_add(
            actor=request.user, inspection_id=int(pk), **payload.validated_data
        )
        return Response(
            RecommendationSerializer(with_clocks([recommendation])[0]).data,
            status=status.HTTP_201_CREATED,
        )


class RecommendationViewSet(viewsets.GenericViewSet):
    """A recommendation is done (any team member, with evidence) or waived (the head of the
    team, with a reason); either stops its clock."""

    serializer_class = RecommendationSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def resolve(self, pk: str, **outcome: Any) -> Response:
        recommendation = services.recommendation_resolve(
            actor=self.request.user, recommendation_id=int(pk), **outcome
        )
        return Response(RecommendationSerializer(with_clocks([recommendation])[0]).data)

    @extend_schema(
        request=RecommendationDoneSerializer,
        responses={200: RecommendationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: str) -> Response:
        """Record that it was carried out, with the evidence; its clock is met."""
        payload = RecommendationDoneSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self.resolve(pk, done=True, evidence=payload.validated_data["evidence"])

    @extend_schema(
        request=RecommendationWaiveSerializer,
        responses={200: RecommendationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: str) -> Response:
        """Waive it, with the reason (the head of the team only)."""
        payload = RecommendationWaiveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self.resolve(pk, done=False, reason=payload.validated_data["reason"])


# --- The registry of inspected subjects ----------------------------------------------------------


def subjects_visible_to(user: User) -> QuerySet[InspectedSubject]:
    """The registry is the inspectors'; others learn of a subject only through an inspection they
    can see. Each subject counts the inspections of it that the user can see."""
    visible = selectors.inspections_visible_to(user)
    subjects = InspectedSubject.objects.select_related("unit")
    if not scope_for(user).has_role(Role.INSPECTOR):
        subjects = subjects.filter(pk__in=visible.values("subjects"))
    counted = (
        visible.filter(subjects=OuterRef("pk"))
        .order_by()
        .values("subjects")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return subjects.annotate(inspection_count=Coalesce(Subquery(counted), Value(0)))


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


class InspectedSubjectFilterSerializer(serializers.Serializer):
    kind = CodeField(SubjectKind, required=False)
    unit = serializers.CharField(required=False, help_text=_("The code of its unit."))
    q = serializers.CharField(required=False, max_length=100, help_text=_("Part of its name."))

    def validate_unit(self, value: str) -> str:
        if not Unit.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("No administrative unit has this code."))
        return value


class InspectedSubjectCreateSerializer(serializers.Serializer):
    kind = CodeField(SubjectKind)
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField(help_text=_("The code of its unit, valid today."))
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The agency it is, if it is one of the registered agencies."),
    )

    def validate_unit(self, value: str) -> Unit:
        return unit_valid_today(value)


class InspectedSubjectViewSet(viewsets.GenericViewSet):
    """The organisations that have been or may be inspected, with their inspection history."""

    serializer_class = InspectedSubjectDetailSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    @extend_schema(
        parameters=[InspectedSubjectFilterSerializer],
        responses={200: InspectedSubjectListSerializer(many=True), **errors(400)},
    )
    def list(self, request: Request) -> Response:
        """The registry, by name."""
        query = InspectedSubjectFilterSerializer(data=filled(request.query_params))
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        subjects = subjects_visible_to(request.user)
        if "kind" in filters:
            subjects = subjects.filter(kind=filters["kind"])
        if "unit" in filters:
            subjects = subjects.filter(unit__code=filters["unit"])
        if "q" in filters:
            subjects = subjects.filter(name__icontains=filters["q"])
        page = self.paginate_queryset(subjects.order_by("name", "id"))
        return self.get_paginated_response(InspectedSubjectListSerializer(page, many=True).data)

    @extend_schema(
        request=InspectedSubjectCreateSerializer,
        responses={201: InspectedSubjectListSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        """Add an organisation to the registry, or find it there (inspectors only)."""
        payload = InspectedSubjectCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        subject = services.subject_register(actor=request.user, **payload.validated_data)
        subject = subjects_visible_to(request.user).get(pk=subject.pk)
        return Response(
            InspectedSubjectListSerializer(subject).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: InspectedSubjectDetailSerializer, **errors(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        """The subject with the inspections of it that you can see."""
        subject = subjects_visible_to(request.user).filter(pk=int(pk)).first()
        if subject is None:
            raise NotFound()
        subject.visible_inspections = list(
            selectors.inspection_list(request.user).filter(subjects=subject)
        )
        return Response(InspectedSubjectDetailSerializer(subject).data)
