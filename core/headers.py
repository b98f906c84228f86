"""The headers every response of the application carries (issue 13).

- `Content-Security-Policy`: scripts, styles, images, fonts and connections from the site itself
  only. No inline script runs: the pages have none, and no `on…=` attribute. Inline `style`
  attributes are allowed (`style-src-attr`) for the bars of the report tables, whose widths are
  the figures themselves; `<style>` elements are not.
- `Permissions-Policy`: the browser features the product never uses (camera, microphone,
  geolocation…) are off for the site and anything it could embed.
- `Cache-Control: no-store` on everything the application answers: the pages and the API carry
  children's data and must not stay in a browser's or a proxy's cache. Static files are served
  by WhiteNoise before this middleware and keep their own caching.

One small middleware rather than a library: the policy is fixed (no nonces, no per-view
exceptions), and django-csp or django-permissions-policy would each add a dependency for one
constant header. A view that must send another policy sets the header itself; it is kept.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
)


class SecurityHeadersMiddleware:
    """Sets the three headers above on every response that reaches it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            patch_cache_control(response, no_store=True)
        return response
