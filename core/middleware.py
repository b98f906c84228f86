from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.request_context import client_ip


class RequestContextMiddleware:
    """Remembers the client's address for the audit trail while the request runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = client_ip.set(self.address_of(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)

    @staticmethod
    def address_of(request: HttpRequest) -> str | None:
        if settings.CHECHO_TRUST_X_FORWARDED_FOR:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded:
                return forwarded.split(",")[0].strip()
        return request.META.get("REMOTE_ADDR") or None
