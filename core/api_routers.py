"""The API's router: ids typed in the URLs (issue 13).

A detail URL is routed only when its id is digits, so `/api/v1/notifications/false/read/` is a
404 like any id that names nothing, never a view that fails to read it as a number. A viewset
that looks records up by another field (units by their code) or says what its ids look like
(`lookup_value_regex`) keeps its own pattern.
"""

from rest_framework.routers import DefaultRouter
from rest_framework.viewsets import ViewSetMixin


class TypedIdRouter(DefaultRouter):
    # No `/cases.json`: the API speaks JSON only, and the views take no `format` argument.
    include_format_suffixes = False

    def get_lookup_regex(self, viewset: type[ViewSetMixin], lookup_prefix: str = "") -> str:
        by_pk = getattr(viewset, "lookup_field", "pk") in ("pk", "id")
        if by_pk and not hasattr(viewset, "lookup_value_regex"):
            lookup = getattr(viewset, "lookup_url_kwarg", None) or "pk"
            return f"(?P<{lookup_prefix}{lookup}>\\d+)"
        return super().get_lookup_regex(viewset, lookup_prefix)
