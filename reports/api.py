"""`GET /api/v1/reports/indicators/?year=&unit=&format=json|xlsx|csv`: the indicators, suppressed
unless the caller handles the unit's cases, and always in exports."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.typing import AuthenticatedRequest
from reports import exports, plan_outcome, services


class XlsxRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if "tables" in data:
            return exports.as_xlsx(data)
        return exports.plan_as_xlsx(data) if "sections" in data else b""


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if "tables" in data:
            return exports.as_csv(data)
        return exports.plan_as_csv(data) if "sections" in data else b""


class IndicatorsView(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer, CsvRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
            OpenApiParameter(
                "unit",
                OpenApiTypes.STR,
                required=True,
                description="A unit code valid today (37), or structure:code (2020:372).",
            ),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "xlsx", "csv"]),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="Bad year."),
            404: OpenApiResponse(description="No such unit among those you may report on."),
        },
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        report = services.indicators_for(
            user=request.user,
            year=request.query_params.get("year"),
            unit=request.query_params.get("unit", ""),
            export=request.accepted_renderer.format != "json",
        )
        return Response(report)


class PlanResultSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2020, max_value=2100)
    text = serializers.CharField()


class PlanOutcomeView(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer, CsvRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
            OpenApiParameter("unit", OpenApiTypes.STR, required=False),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "xlsx", "csv"]),
        ],
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(description="Not yours.")},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        try:
            year = int(request.query_params.get("year", ""))
        except ValueError:
            raise serializers.ValidationError({"year": [_("Give a year.")]}) from None
        unit = request.query_params.get("unit") or services.default_unit(request.user)
        return Response(plan_outcome.outcome_report(user=request.user, year=year, unit=unit))

    @extend_schema(request=PlanResultSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request: AuthenticatedRequest) -> Response:
        """An agency records its results for one task and year."""
        payload = PlanResultSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = plan_outcome.task_result_record(
            actor=request.user,
            task_id=payload.validated_data["task"],
            year=payload.validated_data["year"],
            text=payload.validated_data["text"],
        )
        return Response({"id": result.pk, "agency": result.agency.name}, status=201)
