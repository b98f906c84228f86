"""The API's page numbers, with each page read in two steps (docs/performance.md).

A list's rows carry annotations computed per row (the next deadline) and joins (the child, the
commune). Asked for page 500 with OFFSET, the database computes them for the 25,000 rows it
skips. Here the page's ids are read first, on the narrow ordered query an index serves, and then
only those rows in full; the answer is the same, page after page.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class PageByIds(PageNumberPagination):
    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        if not isinstance(queryset, QuerySet):  # a list already in memory: nothing to save
            return super().paginate_queryset(queryset, request, view)
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if ids is None:
            return None
        rows = {row.pk: row for row in queryset.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]
