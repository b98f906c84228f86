"""The API of the foundation: signing in, who am I and my tokens, administrative units,
agencies."""

import datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status, viewsets
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.relations import SlugRelatedField
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import tokens
from core.api_fields import LabelField
from core.models import Agency, AgencyKind, ApiToken, RoleMembership, Unit, UnitLevel, User
from core.models.agencies import AgencyQuerySet
from core.text import fold
from core.typing import AuthenticatedRequest


class TokenScheme(OpenApiAuthenticationExtension):
    """`Authorization: Token <token>` in the schema, under the name it has always had."""

    target_class = "core.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(
        max_length=1024, trim_whitespace=False, style={"input_type": "password"}
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField(
        help_text=_("Whether this request is signed with this token.")
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "expiry", "current"]
        extra_kwargs = {"expiry": {"allow_null": False}}

    def get_current(self, token: ApiToken) -> bool:
        request = self.context.get("request")
        return request is not None and getattr(request.auth, "pk", None) == token.pk


class NewApiTokenSerializer(ApiTokenSerializer):
    """A token just made, with the token itself (in the context: it is not stored)."""

    token = serializers.SerializerMethodField(
        help_text=_("The token itself: shown this once, never stored, never shown again.")
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]

    def get_token(self, token: ApiToken) -> str:
        plain: str = self.context["token"]
        return plain


class TokenNameSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("What the token is for, to recognise it in the list."),
    )


LOCKED_OUT = OpenApiResponse(
    description=_(
        "Too many failed sign-ins of this username from this address, or too many requests; "
        "Retry-After says how many seconds to wait."
    )
)


class ObtainTokenView(APIView):
    """Sign in with a username and password; the answer holds a new API token, shown once."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=CredentialsSerializer,
        responses={
            200: NewApiTokenSerializer,
            400: OpenApiResponse(description=_("Wrong username or password, or a missing one.")),
            429: LOCKED_OUT,
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        credentials = CredentialsSerializer(data=request.data)
        credentials.is_valid(raise_exception=True)
        user = tokens.api_sign_in(
            request._request,
            username=credentials.validated_data["username"],
            password=credentials.validated_data["password"],
        )
        if user is None:
            raise ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]}
            )
        token, plain = tokens.token_create(user=user, via="api")
        context = {"request": request, "token": plain}
        return Response(NewApiTokenSerializer(token, context=context).data)


class SignOutView(APIView):
    """Revoke the token this request is signed with."""

    authentication_classes = [tokens.TokenAuthentication]

    @extend_schema(
        request=None,
        responses={204: None, 401: OpenApiResponse(description=_("Not signed in with a token."))},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        # Only TokenAuthentication signs this view's requests; anything else (a test client's
        # forced user) has no token to revoke.
        if not isinstance(request.auth, ApiToken):
            raise NotAuthenticated(_("Not signed in with a token."))
        tokens.api_sign_out(user=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    post=extend_schema(request=TokenNameSerializer, responses={201: NewApiTokenSerializer})
)
class MyTokensView(generics.ListCreateAPIView):
    """Your API tokens that have not expired, newest first; make another one."""

    request: AuthenticatedRequest
    serializer_class = ApiTokenSerializer

    def get_queryset(self) -> QuerySet[ApiToken]:
        if getattr(self, "swagger_fake_view", False):  # the schema's generator has no user
            return ApiToken.objects.none()
        return tokens.tokens_of(self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = TokenNameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, plain = tokens.token_create(
            user=self.request.user, name=data.validated_data.get("name", ""), via="api"
        )
        context = {"request": request, "token": plain}
        return Response(
            NewApiTokenSerializer(token, context=context).data, status=status.HTTP_201_CREATED
        )


class MyTokenView(APIView):
    """Revoke one of your tokens; another user's answers 404."""

    @extend_schema(
        responses={
            204: None,
            401: OpenApiResponse(description=_("Not signed in.")),
            404: OpenApiResponse(description=_("No such token among yours.")),
        }
    )
    def delete(self, request: AuthenticatedRequest, token_id: int) -> Response:
        tokens.token_revoke(actor=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UnitSerializer(serializers.ModelSerializer):
    # The stubs see Field.parent (the enclosing serializer) here; at run time the serializer's
    # metaclass takes declared fields out of the class body, so the two never meet.
    parent: "SlugRelatedField[Unit]" = SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True
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
    role_name = LabelField(source="role")
    unit = UnitSerializer(read_only=True, allow_null=True)
    agency = AgencySerializer(read_only=True, allow_null=True)

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
        # Not `type(request.user)`: under session authentication that is Django's lazy wrapper.
        user = User.objects.prefetch_related(
            "memberships__unit__parent",
            "memberships__agency__kinds",
            "memberships__agency__successors",
            "memberships__agency__jurisdiction",
        ).get(pk=request.user.pk)
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
