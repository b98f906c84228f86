"""The reports API:

- `GET /api/v1/reports/indicators/?year=&unit=&format=json|xlsx|csv`: the indicators, suppressed
  unless the caller handles the unit's cases, and always in files;
- `GET /api/v1/reports/official-submission/?year=&unit=&format=json|xlsx|csv`: the exact figures
  for the ministry, for provincial officers and the lead agency's head, audited;
- `GET|POST /api/v1/reports/plan-outcome/`: the plan's yearly outcome report, and an agency's
  results for one task.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.typing import AuthenticatedRequest
from core.validators import FREE_TEXT_MAX_LENGTH
from reports import exports, plan_outcome, services


class FileRenderer(BaseRenderer):
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return exports.render(data, self.format)


class XlsxRenderer(FileRenderer):
    media_type = exports.CONTENT_TYPES["xlsx"]
    format = "xlsx"


class CsvRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"


class ReportView(APIView):
    """A report, as JSON or as a file (`?format=`); an error, or anything but a report read, is
    always JSON — a spreadsheet cannot say what went wrong."""

    renderer_classes = [JSONRenderer, XlsxRenderer, CsvRenderer]

    def get_renderers(self):
        if self.request.method != "GET":
            return [JSONRenderer()]
        return super().get_renderers()

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


def as_file(request: Request, report: dict) -> Response:
    """The report, named for what it holds when it is downloaded as a file."""
    response = Response(report)
    fmt = request.accepted_renderer.format
    if fmt in exports.CONTENT_TYPES:
        name = exports.name_of(report, fmt)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


YEAR_AND_UNIT = [
    OpenApiParameter("year", OpenApiTypes.INT, required=True),
    OpenApiParameter(
        "unit",
        OpenApiTypes.STR,
        required=True,
        description="A unit code valid today (37), or structure:code (2020:372).",
    ),
    OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "xlsx", "csv"]),
]


class IndicatorsView(ReportView):
    @extend_schema(
        parameters=YEAR_AND_UNIT,
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
        return as_file(request, report)


class OfficialSubmissionView(ReportView):
    @extend_schema(
        parameters=YEAR_AND_UNIT,
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="Bad year."),
            403: OpenApiResponse(description="Not a provincial officer or the lead's head."),
            404: OpenApiResponse(description="No such unit among those you may report on."),
        },
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        """The exact figures for the ministry, marked confidential; each call is audited."""
        report = services.official_submission(
            user=request.user,
            year=request.query_params.get("year"),
            unit=request.query_params.get("unit", ""),
        )
        return as_file(request, report)


class PlanResultSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    year = serializers.IntegerField(min_value=2020, max_value=2100)
    text = serializers.CharField(max_length=FREE_TEXT_MAX_LENGTH)


class PlanOutcomeView(ReportView):
    @extend_schema(
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "xlsx", "csv"]),
        ],
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="Bad year."),
            404: OpenApiResponse(description="Not yours."),
        },
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        year = services.parse_year(request.query_params.get("year"))
        return as_file(request, plan_outcome.outcome_report(user=request.user, year=year))

    @extend_schema(
        request=PlanResultSerializer,
        responses={
            201: OpenApiTypes.OBJECT,
            403: OpenApiResponse(description="Your agency does not report on this task."),
            404: OpenApiResponse(description="No such task."),
        },
    )
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
