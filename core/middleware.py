import ipaddress
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
        remote = request.META.get("REMOTE_ADDR") or None
        if not settings.CHECHO_TRUST_X_FORWARDED_FOR:
            return remote
        # Our proxy appends the address it saw; anything before it came from the client and
        # may be forged, so only the last entry is taken, and only if it is an address.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            return remote
