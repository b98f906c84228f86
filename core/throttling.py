"""API rate limits: per signed-in user and per address for anonymous calls (CHECHO_API_RATES).

DRF's throttles, with two changes: the rate is read from the settings on each request (DRF reads
it once, at import, so a changed setting would not apply), and an anonymous caller is told
apart by the address the audit trail records, which honours CHECHO_TRUST_X_FORWARDED_FOR (DRF
would believe any X-Forwarded-For a client sends). Over the limit, DRF answers 429 with
Retry-After.
"""

from django.conf import settings
from django.core.cache import caches
from rest_framework import throttling
from rest_framework.request import Request

from core.middleware import RequestContextMiddleware


class SettingsRate:
    scope: str | None

    def __init__(self) -> None:
        # Looked up per request, not at import: a test's CACHES setting then applies.
        self.cache = caches["throttle"]
        super().__init__()

    def get_rate(self) -> str | None:
        rate: str | None = settings.CHECHO_API_RATES.get(self.scope or "")
        return rate

    def get_ident(self, request: Request) -> str:
        return RequestContextMiddleware.address_of(request._request) or ""


class UserRateThrottle(SettingsRate, throttling.UserRateThrottle):
    pass


class AnonRateThrottle(SettingsRate, throttling.AnonRateThrottle):
    pass
