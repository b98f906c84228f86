"""The API of access: who can see a case, grants, revocations, break-the-glass and its review,
and what a user can see (docs/api.md). Every write goes through access/services.py."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from access import selectors, services
from access.models import CaseAccess
from cases.sections import ALL_SECTIONS
from cases.services import may_act_on, visible_case
from cases.visibility import who_can_see
from core.api_errors import RECORD_ERRORS
from core.audit import audit
from core.errors import Forbidden
from core.models import User
from core.roles import COMMUNE_STAFF
from core.typing import AuthenticatedRequest


class CaseAccessSerializer(serializers.ModelSerializer):
    case_code = serializers.CharField(source="case.code", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    sections = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = CaseAccess
        fields = [
            "id",
            "case",
            "case_code",
            "user",
            "username",
            "kind",
            "sections",
            "may_add_notes",
            "reason",
            "explanation",
            "starts_at",
            "ends_at",
            "revoked_at",
            "end_reason",
            "review",
            "review_comment",
        ]


class WhoSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user.pk")
    username = serializers.CharField(source="user.username")
    rule = serializers.CharField()
    detail = serializers.CharField()
    sections = serializers.SerializerMethodField()
    since = serializers.DateTimeField(allow_null=True)
    until = serializers.DateTimeField(allow_null=True)
    access = serializers.SerializerMethodField()

    def get_sections(self, access) -> list[str]:
        return sorted(access.sections)

    def get_access(self, access) -> int | None:
        return access.record.pk if isinstance(access.record, CaseAccess) else None


class GrantSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1)
    user = serializers.IntegerField(min_value=1)
    sections = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(ALL_SECTIONS)), allow_empty=True
    )
    may_add_notes = serializers.BooleanField(default=False)
    days = serializers.IntegerField(required=False, min_value=1, max_value=365)
    explanation = serializers.CharField(allow_blank=True, max_length=2000)


class BreakGlassSerializer(serializers.Serializer):
    code = serializers.CharField(required=False, allow_blank=True, max_length=24, default="")
    full_name = serializers.CharField(required=False, allow_blank=True, max_length=120, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.ChoiceField(choices=CaseAccess.Reason.choices)
    explanation = serializers.CharField(allow_blank=True, max_length=2000)


class OpenedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    justified = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReachSerializer(serializers.Serializer):
    rule = serializers.CharField(source="reach.rule")
    detail = serializers.CharField()
    sections = serializers.ListField(child=serializers.CharField())
    cases = serializers.ListField(child=serializers.CharField(), source="codes")
    count = serializers.IntegerField()
    since = serializers.DateTimeField(source="reach.since", allow_null=True)
    until = serializers.DateTimeField(source="reach.until", allow_null=True)


class WhoCanSeeView(APIView):
    @extend_schema(responses={200: WhoSerializer(many=True), **RECORD_ERRORS(403, 404)})
    def get(self, request: AuthenticatedRequest, case_id: int) -> Response:
        """Who can see this case and why (the commune's officer and chair)."""
        case = visible_case(actor=request.user, case_id=case_id)
        if not any(may_act_on(request.user, case, role) for role in COMMUNE_STAFF):
            raise Forbidden()
        return Response(WhoSerializer(who_can_see(case), many=True).data)


class GrantView(APIView):
    @extend_schema(
        request=GrantSerializer,
        responses={201: CaseAccessSerializer, **RECORD_ERRORS(400, 403, 404, 409)},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        """Let a user outside the case's scope read it (and add notes) for a while."""
        payload = GrantSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        access = services.grant_access(
            actor=request.user,
            case_id=data["case"],
            user_id=data["user"],
            sections=data["sections"],
            may_add_notes=data["may_add_notes"],
            days=data.get("days"),
            explanation=data["explanation"],
        )
        return Response(CaseAccessSerializer(access).data, status=status.HTTP_201_CREATED)


class RevokeView(APIView):
    @extend_schema(
        request=None, responses={200: CaseAccessSerializer, **RECORD_ERRORS(403, 404, 409)}
    )
    def post(self, request: AuthenticatedRequest, access_id: int) -> Response:
        """End an access to the commune's case now."""
        access = services.revoke_access(actor=request.user, access_id=access_id)
        return Response(CaseAccessSerializer(access).data)


class BreakGlassView(APIView):
    @extend_schema(
        request=BreakGlassSerializer,
        responses={
            201: OpenedSerializer(many=True),
            429: OpenApiResponse(description="Too many searches; try again later."),
            **RECORD_ERRORS(400, 403, 404),
        },
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        """Open a case in an emergency by its exact code, or the child's exact full name and date
        of birth; the reason is recorded, the commune told, the province reviews it."""
        payload = BreakGlassSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        opened = services.break_glass(actor=request.user, **payload.validated_data)
        data = [{"id": case.pk, "code": case.code} for case in opened]
        return Response(OpenedSerializer(data, many=True).data, status=status.HTTP_201_CREATED)


class ReviewListView(APIView):
    @extend_schema(responses={200: CaseAccessSerializer(many=True), **RECORD_ERRORS(403)})
    def get(self, request: AuthenticatedRequest) -> Response:
        """The emergency accesses to your province's cases awaiting review (provincial officer)."""
        if not selectors.reviews_users(request.user):
            raise Forbidden()
        waiting = services.accesses_to_review(request.user)[:500]
        return Response(CaseAccessSerializer(waiting, many=True).data)


class ReviewView(APIView):
    @extend_schema(
        request=ReviewSerializer,
        responses={200: CaseAccessSerializer, **RECORD_ERRORS(400, 403, 404, 409)},
    )
    def post(self, request: AuthenticatedRequest, access_id: int) -> Response:
        """Mark an emergency access justified or not (a comment says why not)."""
        payload = ReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        access = services.review_access(
            actor=request.user, access_id=access_id, **payload.validated_data
        )
        return Response(CaseAccessSerializer(access).data)


class UserReachView(GenericAPIView):
    serializer_class = ReachSerializer
    queryset = User.objects.none()  # the schema's path parameter: a user's id

    @extend_schema(responses={200: ReachSerializer(many=True), **RECORD_ERRORS(403, 404)})
    def get(self, request: AuthenticatedRequest, user_id: int) -> Response:
        """Which cases a user can see and why, by code and count only (sysadmin, provincial
        officer), a page of rules at a time: the rules over a unit first, then the cases one
        by one in the order of their codes."""
        if not selectors.reviews_users(request.user):
            raise Forbidden()
        subject = get_object_or_404(selectors.reviewable_users(request.user), pk=user_id)
        audit(actor=request.user, action="access.review_user", target=subject)
        page = self.paginate_queryset(selectors.reach_rows(request.user, subject))
        return self.get_paginated_response(ReachSerializer(page, many=True).data)
