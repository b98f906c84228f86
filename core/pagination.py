"""Page numbers for the API and the web pages, each page read in two steps (docs/performance.md).

A list's rows carry annotations computed per row (the next deadline) and joins (the child, the
commune). Asked for page 500 with OFFSET, the database computes them for the 25,000 rows it
skips. Here the page's ids are read first, on the narrow ordered query an index serves, and then
only those rows in full; the answer is the same, page after page.
"""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
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


class PaginatorByIds(Paginator):
    """Django's paginator for a web list, reading each page in two steps as the API does. A
    page that shows several lists (an inbox's sections) counts them together and passes each
    its `count`, instead of one count query per list."""

    def __init__(self, queryset: QuerySet[Any], per_page: int, count: int | None = None) -> None:
        super().__init__(queryset.values_list("pk", flat=True), per_page)
        self.rows = queryset
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached property

    def page(self, number: Any) -> Page:
        page = super().page(number)
        ids = list(page.object_list)
        rows = {row.pk: row for row in self.rows.filter(pk__in=ids)}
        page.object_list = [rows[pk] for pk in ids if pk in rows]
        return page
