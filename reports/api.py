"""`GET /api/v1/reports/indicators/?year=&unit=&format=json|xlsx|csv`: the indicators, suppressed
unless the caller handles the unit's cases, and always in exports."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import exports, services


class XlsxRenderer(BaseRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return exports.as_xlsx(data) if "tables" in data else b""


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return exports.as_csv(data) if "tables" in data else b""


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
    def get(self, request: Request) -> Response:
        report = services.indicators_for(
            user=request.user,
            year=request.query_params.get("year"),
            unit=request.query_params.get("unit", ""),
            export=request.accepted_renderer.format != "json",
        )
        return Response(report)
