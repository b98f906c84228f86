"""The referrals API's views: thin on purpose. Each parses its input with a serializer from
`inputs`, calls one service or selector and shows the referral with `outputs`. Who may see or do
what is decided by the selectors, the services and the workflow (referrals/workflow.py)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.consent import Consent
from core.api_errors import DocumentedErrors
from core.api_workflow import WorkflowActionsMixin
from core.errors import NotFound
from core.pagination import PageByIds
from core.typing import AuthenticatedRequest
from referrals import selectors, services
from referrals.api.inputs import (
    STEP_PAYLOADS,
    CaseReferenceSerializer,
    ReferralBatchSerializer,
    ReferralCreateSerializer,
    ReferralListFilterSerializer,
    WaiverSerializer,
)
from referrals.api.outputs import ReferralListSerializer, ReferralSerializer
from referrals.api.rows import page_rows
from referrals.models import Referral
from referrals.workflow import REFERRAL_WORKFLOW

errors = DocumentedErrors(
    forbidden=_("Your role may not do this to this referral."),
    not_found=_("No such referral, or not visible to you."),
)


def case_named(request: Request) -> int | None:
    """The case the body names, if it names one; the rest of the body is judged later."""
    reference = CaseReferenceSerializer(data=request.data)
    return reference.validated_data["case"] if reference.is_valid() else None


class ReferralViewSet(WorkflowActionsMixin[Referral], viewsets.GenericViewSet):
    """Referrals between the commune and the agencies (DOMAIN §6) and their workflow."""

    workflow = REFERRAL_WORKFLOW
    step_payloads = STEP_PAYLOADS
    step_response = ReferralSerializer
    step_errors = errors
    operation_prefix = "v1_referrals"
    serializer_class = ReferralSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Referral]:
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a request
            return Referral.objects.none()
        given = {k: v for k, v in self.request.query_params.dict().items() if v != ""}
        filters = ReferralListFilterSerializer(data=given)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return selectors.referral_list(
            self.request.user,
            direction=data.get("direction"),
            status=data.get("status"),
            service=data.get("service"),
            overdue=data.get("overdue"),
            case_id=data.get("case"),
        ).select_related("outcome")

    @extend_schema(
        parameters=[ReferralListFilterSerializer],
        responses={200: ReferralSerializer(many=True), **errors(400)},
    )
    def list(self, request: AuthenticatedRequest) -> Response:
        """The referrals you may see, newest first, with each one's next deadline."""
        pages = self.paginator
        assert isinstance(pages, PageByIds)
        # The page's rows read as plain rows (referrals/api/rows.py), not instances.
        referrals = self.get_queryset()
        rows = pages.paginate_queryset(referrals, request, self, rows=page_rows(referrals))
        return self.get_paginated_response(ReferralListSerializer(rows, many=True).data)

    @extend_schema(
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, **errors(400, 403, 404, 409)},
    )
    def create(self, request: AuthenticatedRequest) -> Response:
        """Refer the child of a case to an agency for a service (Decree 56/2017 Art. 29)."""
        case_id = case_named(request)
        if case_id is not None:
            services.referable_case(actor=request.user, case_id=case_id)
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
        return Response(self.representation(referral.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ReferralBatchSerializer,
        responses={201: ReferralSerializer(many=True), **errors(400, 403, 404, 409)},
    )
    @action(detail=False, methods=["post"], url_path="batch")
    def batch(self, request: AuthenticatedRequest) -> Response:
        """Refer the child for several services at once (the pathway's required ones): all are
        sent, or none when one is refused (its error names `<service>-<field>`)."""
        case_id = case_named(request)
        if case_id is not None:
            services.referable_case(actor=request.user, case_id=case_id)
        payload = ReferralBatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        sent = services.referral_create_many(
            actor=request.user,
            case_id=data["case"],
            requests=[(r["service"], r["agency"], r["urgency"]) for r in data["referrals"]],
            reason=data["reason"],
            consent=Consent(
                data["consent_basis"], data["consent_by_carer"], data["consent_by_child"]
            ),
        )
        return Response([self.representation(r.pk) for r in sent], status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ReferralSerializer, **errors(404)})
    def retrieve(self, request: AuthenticatedRequest, pk: str) -> Response:
        """One referral; the read is audited."""
        referral = services.referral_open(actor=request.user, referral_id=int(pk))
        return Response(self.representation(referral.pk))

    @extend_schema(
        request=WaiverSerializer,
        responses={201: ReferralSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=False, methods=["post"], url_path="waivers")
    def waive(self, request: AuthenticatedRequest) -> Response:
        """The commune chair exempts a service the pathway requires, with a reason."""
        case_id = case_named(request)
        if case_id is not None:
            services.waivable_case(actor=request.user, case_id=case_id)
        payload = WaiverSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        referral = services.referral_waive(
            actor=request.user, case_id=data["case"], service=data["service"], reason=data["reason"]
        )
        return Response(self.representation(referral.pk), status=status.HTTP_201_CREATED)

    # --- The workflow (core.api_workflow) -------------------------------------------------------

    def visible_subject(self, request: AuthenticatedRequest, pk: str) -> Referral:
        return services.visible_referral(actor=request.user, referral_id=int(pk))

    def run_step(
        self, request: AuthenticatedRequest, subject: Referral, name: str, data: dict[str, Any]
    ) -> Referral:
        payload = self.step_payloads[name]
        service = getattr(services, f"referral_{name}")
        return service(actor=request.user, referral_id=subject.pk, **payload.service_kwargs(data))

    def step_result(self, request: AuthenticatedRequest, subject: Referral) -> dict[str, Any]:
        return self.representation(subject.pk)

    def representation(self, referral_id: int) -> dict[str, Any]:
        referral = selectors.referral_page(self.request.user, referral_id)
        if referral is None:
            raise NotFound()
        return ReferralSerializer(referral).data
