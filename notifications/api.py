"""In-app notifications: the list, marking one read, and marking all read."""

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.typing import AuthenticatedRequest
from notifications import inbox, texts
from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField()
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "text", "link", "created_at", "read_at", "is_read"]

    def get_text(self, notification: Notification) -> str:
        return texts.render(notification.event, notification.params, get_language() or "vi")

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationViewSet(viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    filter_backends: list = []
    request: AuthenticatedRequest

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return Notification.objects.none()
        return inbox.inbox_of(self.request.user)

    @extend_schema(responses=NotificationSerializer(many=True))
    def list(self, request: AuthenticatedRequest) -> Response:
        """Your in-app notifications, newest first; `?unread=true` for the unread ones."""
        queryset = self.get_queryset()
        if request.query_params.get("unread") in ("true", "1"):
            queryset = queryset.filter(read_at__isnull=True)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={200: inline_serializer("ReadAll", {"marked": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: AuthenticatedRequest) -> Response:
        """Mark all your unread in-app notifications read; how many were."""
        return Response({"marked": inbox.mark_all_read(user=request.user)})

    @extend_schema(
        request=None,
        responses={200: NotificationSerializer, 404: OpenApiResponse(description="Not yours.")},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: AuthenticatedRequest, pk: str) -> Response:
        notification = inbox.mark_read(user=request.user, notification_id=int(pk))
        return Response(NotificationSerializer(notification).data)
