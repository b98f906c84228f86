"""The API of the foundation: who am I, administrative units, agencies."""

import datetime

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.relations import SlugRelatedField
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import Agency, AgencyKind, RoleMembership, Unit, UnitLevel
from core.models.agencies import AgencyQuerySet
from core.text import fold
from core.typing import AuthenticatedRequest


class UnitSerializer(serializers.ModelSerializer):
    # The stubs see Field.parent (the enclosing serializer) here; at run time the serializer's
    # metaclass takes declared fields out of the class body, so the two never meet.
    parent: "SlugRelatedField[Unit]" = SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True
    )

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "division_type",
            "level",
            "parent",
            "structure",
            "valid_from",
            "valid_to",
        ]


# The querysets that use it prefetch `kinds` and `successors`.
class AgencySerializer(serializers.ModelSerializer):
    """An agency with the codes of its kinds and their names in the same order, its period of
    validity and the ids of its successors."""

    kinds: "SlugRelatedField[AgencyKind]" = SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )
    kind_names = serializers.SerializerMethodField()
    unit = serializers.CharField(source="jurisdiction.code", read_only=True)
    unit_name = serializers.CharField(source="jurisdiction.name", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "kinds",
            "kind_names",
            "unit",
            "unit_name",
            "email",
            "phone",
            "valid_from",
            "valid_to",
            "successors",
        ]
        extra_kwargs = {"successors": {"read_only": True}}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_kind_names(self, agency: Agency) -> list[str]:
        return [kind.label for kind in agency.kinds.all()]


class MembershipSerializer(serializers.ModelSerializer):
    role_name = serializers.CharField(source="get_role_display", read_only=True)
    unit = UnitSerializer(read_only=True)
    agency = AgencySerializer(read_only=True)

    class Meta:
        model = RoleMembership
        fields = ["role", "role_name", "unit", "agency"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    email = serializers.EmailField()
    roles = MembershipSerializer(many=True, source="memberships.all")


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: AuthenticatedRequest) -> Response:
        user = (
            type(request.user)
            .objects.prefetch_related(
                "memberships__unit__parent",
                "memberships__agency__kinds",
                "memberships__agency__successors",
                "memberships__agency__jurisdiction",
            )
            .get(pk=request.user.pk)
        )
        return Response(MeSerializer(user).data)


def parse_on_date(request: Request) -> datetime.date:
    raw = request.query_params.get("on")
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"on": [_("Enter a date as YYYY-MM-DD.")]}) from None


class UnitFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices)
    parent = django_filters.CharFilter(field_name="parent__code")
    q = django_filters.CharFilter(method="filter_q", label=_("Name, with or without diacritics"))

    class Meta:
        model = Unit
        fields = ["level", "parent"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(search_name__contains=fold(value))


@extend_schema(
    parameters=[
        OpenApiParameter(
            "on", OpenApiTypes.DATE, description=_("Units valid on this date (default: today).")
        )
    ]
)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative units valid on a date; codes are unique among the units of one date."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    lookup_field = "code"

    def get_queryset(self) -> QuerySet:
        on = parse_on_date(self.request)
        return Unit.objects.valid_on(on).select_related("parent").order_by("path")


class AgencyFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(
        method="filter_kind", label=_("A kind code: the agencies that have this kind")
    )
    unit = django_filters.CharFilter(field_name="jurisdiction__code")

    class Meta:
        model = Agency
        fields = ["kind", "unit"]

    def filter_kind(self, queryset: AgencyQuerySet, name: str, value: str) -> AgencyQuerySet:
        return queryset.with_kind(value)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "on", OpenApiTypes.DATE, description=_("Agencies valid on this date (default: today).")
        )
    ]
)
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Active agencies valid on a date, each with its kinds, its period and its successors."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter

    def get_queryset(self) -> QuerySet:
        on = parse_on_date(self.request)
        return (
            Agency.objects.filter(is_active=True)
            .valid_on(on)
            .select_related("jurisdiction")
            .prefetch_related("kinds", "successors")
        )
