"""The inspections API's views: thin on purpose. Each parses its input with a serializer from
`inputs`, calls one service or selector and renders with `outputs`. Who may see or do what is
decided by the services, the selectors and the workflow (inspections/workflow.py), never here;
refusals are answered in core/api_errors.py.

Every write answers in the product's order: not visible → 404; visible, but not the user's to do
→ 403; not possible now → 409, whatever the payload; possible, but the payload is wrong → 400.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api_errors import as_sent
from core.api_workflow import WorkflowActionsMixin
from core.errors import NotFound
from core.typing import AuthenticatedRequest
from inspections import selectors, services
from inspections.api.common import errors
from inspections.api.inputs import (
    STEP_PAYLOADS,
    FindingCreateSerializer,
    InspectedSubjectCreateSerializer,
    InspectedSubjectFilterSerializer,
    InspectionFilterSerializer,
    InspectionPlanSerializer,
    RecommendationCreateSerializer,
    RecommendationDoneSerializer,
    RecommendationWaiveSerializer,
    SubjectNameSerializer,
    filled,
)
from inspections.api.outputs import (
    FindingSerializer,
    InspectedSubjectDetailSerializer,
    InspectedSubjectListSerializer,
    InspectionDetailSerializer,
    InspectionListSerializer,
    RecommendationSerializer,
    inspection_detail,
    recommendation_data,
)
from inspections.models import Inspection
from inspections.workflow import INSPECTION_WORKFLOW


class InspectionViewSet(WorkflowActionsMixin[Inspection], viewsets.GenericViewSet):
    """Inspections (DOMAIN §8), visible to their team, the lead agency's head and the province's
    officers and managers; the head of the team runs the steps."""

    workflow = INSPECTION_WORKFLOW
    step_payloads = STEP_PAYLOADS
    step_response = InspectionDetailSerializer
    step_errors = errors
    operation_prefix = "v1_inspections"
    serializer_class = InspectionDetailSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    @extend_schema(
        parameters=[InspectionFilterSerializer],
        responses={200: InspectionListSerializer(many=True), **errors(400)},
    )
    def list(self, request: AuthenticatedRequest) -> Response:
        """The inspections you can see, latest planned start first."""
        query = InspectionFilterSerializer(data=filled(request.query_params))
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.inspection_list(request.user, **query.filters()))
        return self.get_paginated_response(InspectionListSerializer(page, many=True).data)

    @extend_schema(
        request=InspectionPlanSerializer,
        responses={201: InspectionDetailSerializer, **errors(400, 403)},
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        """Plan an inspection; you lead its team (inspectors only)."""
        payload = InspectionPlanSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        inspection = services.inspection_plan(
            actor=request.user, plan=services.Plan(**payload.plan_values())
        )
        return Response(
            inspection_detail(request.user, inspection.pk), status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: InspectionDetailSerializer, **errors(404)})
    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The inspection with its team, subjects, findings and recommendations."""
        return Response(inspection_detail(request.user, int(pk)))

    # --- The workflow (core.api_workflow) -------------------------------------------------------

    def visible_subject(self, request: AuthenticatedRequest, pk: str) -> Inspection:
        return services.visible_inspection(actor=request.user, inspection_id=int(pk))

    def run_step(
        self, request: AuthenticatedRequest, subject: Inspection, name: str, data: dict[str, Any]
    ) -> Inspection:
        service = services.STEP_SERVICES[name]
        payload = self.step_payloads[name].service_kwargs(data)
        return service(actor=request.user, inspection_id=subject.pk, **payload)

    def step_result(self, request: AuthenticatedRequest, subject: Inspection) -> dict[str, Any]:
        return inspection_detail(request.user, subject.pk)

    # --- Subjects, findings and recommendations -------------------------------------------------

    @extend_schema(
        request=SubjectNameSerializer,
        responses={201: InspectionDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def subjects(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Name one more subject, from the registry, until the inspection is concluded (the head
        of the team)."""
        inspection = services.visible_inspection(actor=request.user, inspection_id=int(pk))
        services.check_may_name_subject(actor=request.user, inspection=inspection)
        payload = SubjectNameSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.subject_add(
            actor=request.user, inspection_id=inspection.pk, **payload.validated_data
        )
        return Response(
            inspection_detail(request.user, inspection.pk), status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: FindingSerializer(many=True), **errors(404)})
    @action(detail=True, methods=["get"])
    def findings(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The violations found, oldest first."""
        inspection = services.visible_inspection(actor=request.user, inspection_id=int(pk))
        page = self.paginate_queryset(selectors.inspection_findings(inspection))
        return self.get_paginated_response(FindingSerializer(page, many=True).data)

    @extend_schema(
        request=FindingCreateSerializer,
        responses={201: FindingSerializer, **errors(400, 403, 404, 409)},
    )
    @findings.mapping.post
    def record_finding(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Record a violation and its sanction while inspecting or reporting (team members)."""
        inspection = services.visible_inspection(actor=request.user, inspection_id=int(pk))
        services.check_may_record_finding(actor=request.user, inspection=inspection)
        payload = FindingCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        child = data.pop("child_at_risk")
        try:
            finding = services.finding_record(
                actor=request.user,
                inspection_id=inspection.pk,
                child=services.ChildAtRisk(**(child | {"abuse_forms": tuple(child["abuse_forms"])}))
                if child
                else None,
                **data,
            )
        except DjangoValidationError as error:  # the service says "child"; the request did not
            raise as_sent(error, {"child": "child_at_risk"}) from None
        finding = selectors.inspection_findings(inspection).get(pk=finding.pk)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: RecommendationSerializer(many=True), **errors(404)})
    @action(detail=True, methods=["get"])
    def recommendations(self, request: AuthenticatedRequest, pk: str) -> Response:
        """What the inspected must do, earliest due first, with each open clock."""
        inspection = services.visible_inspection(actor=request.user, inspection_id=int(pk))
        page = self.paginate_queryset(inspection.recommendations.all())
        return self.get_paginated_response(recommendation_data(list(page or [])))

    @extend_schema(
        request=RecommendationCreateSerializer,
        responses={201: RecommendationSerializer, **errors(400, 403, 404, 409)},
    )
    @recommendations.mapping.post
    def add_recommendation(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Add a recommendation once the inspection reports (team members); its clock runs to
        the end of the due date."""
        inspection = services.visible_inspection(actor=request.user, inspection_id=int(pk))
        services.check_may_recommend(actor=request.user, inspection=inspection)
        payload = RecommendationCreateSerializer(
            data=request.data, context={"inspection": inspection}
        )
        payload.is_valid(raise_exception=True)
        recommendation = services.recommendation_add(
            actor=request.user, inspection_id=inspection.pk, **payload.validated_data
        )
        return Response(recommendation_data([recommendation])[0], status=status.HTTP_201_CREATED)


class RecommendationViewSet(viewsets.GenericViewSet):
    """A recommendation is done (any team member, with evidence) or waived (the head of the
    team, with a reason); either stops its clock."""

    serializer_class = RecommendationSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def resolve(self, request: AuthenticatedRequest, pk: str, *, done: bool) -> Response:
        recommendation = services.visible_recommendation(
            actor=request.user, recommendation_id=int(pk)
        )
        services.check_may_resolve(
            actor=request.user,
            inspection=recommendation.inspection,
            recommendation=recommendation,
            done=done,
        )
        serializer = RecommendationDoneSerializer if done else RecommendationWaiveSerializer
        payload = serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        recommendation = services.recommendation_resolve(
            actor=request.user,
            recommendation_id=recommendation.pk,
            done=done,
            **payload.validated_data,
        )
        return Response(recommendation_data([recommendation])[0])

    @extend_schema(
        request=RecommendationDoneSerializer,
        responses={200: RecommendationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def done(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Record that it was carried out, with the evidence; its clock is met."""
        return self.resolve(request, pk, done=True)

    @extend_schema(
        request=RecommendationWaiveSerializer,
        responses={200: RecommendationSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def waive(self, request: AuthenticatedRequest, pk: str) -> Response:
        """Waive it, with the reason (the head of the team only)."""
        return self.resolve(request, pk, done=False)


class InspectedSubjectViewSet(viewsets.GenericViewSet):
    """The organisations that have been or may be inspected, with their inspection history."""

    serializer_class = InspectedSubjectDetailSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    @extend_schema(
        parameters=[InspectedSubjectFilterSerializer],
        responses={200: InspectedSubjectListSerializer(many=True), **errors(400)},
    )
    def list(self, request: AuthenticatedRequest) -> Response:
        """The registry, by name."""
        query = InspectedSubjectFilterSerializer(data=filled(request.query_params))
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.subject_list(request.user, **query.validated_data))
        return self.get_paginated_response(InspectedSubjectListSerializer(page, many=True).data)

    @extend_schema(
        request=InspectedSubjectCreateSerializer,
        responses={201: InspectedSubjectListSerializer, **errors(400, 403)},
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        """Add an organisation to the registry, or find it there (inspectors only)."""
        payload = InspectedSubjectCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        subject = services.subject_register(actor=request.user, **payload.validated_data)
        subject = selectors.subjects_visible_to(request.user).get(pk=subject.pk)
        return Response(
            InspectedSubjectListSerializer(subject).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={200: InspectedSubjectDetailSerializer, **errors(404)})
    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        """The subject with the inspections of it that you can see."""
        subject = selectors.subject_with_inspections(request.user, int(pk))
        if subject is None:
            raise NotFound()
        return Response(InspectedSubjectDetailSerializer(subject).data)
