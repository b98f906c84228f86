"""Page numbers for the API and the web pages, each page read in two steps (docs/performance.md).

A list's rows carry annotations computed per row (the next deadline) and joins (the child, the
commune). Asked for page 500 with OFFSET, the database computes them for the 25,000 rows it
skips. Here the page's ids are read first, on the narrow ordered query an index serves, and then
only those rows in full; the answer is the same, page after page. The ids are read from the
nearer end of the order: the last page is the first rows of the reversed order, so the last page
costs what the first does, and the middle page what half the list does.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class NearerEndPaginator(Paginator):
    """Django's paginator, reading a page of a queryset from the nearer end of its order. Only
    when the order ends with the id (reversed, it is then the same rows backwards; ties would
    come out in another order) and the count is exact (counted up to a bound, the end is not
    known)."""

    counted_all = True

    def page(self, number: Any) -> Page:
        rows = self.object_list
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        nearer_the_end = self.counted_all and bottom > self.count - top
        if nearer_the_end and isinstance(rows, QuerySet) and ends_with_the_id(rows):
            backwards = rows.reverse()[self.count - top : self.count - bottom]
            return Page(list(reversed(backwards)), number, self)
        return super().page(number)  # the same slice, read from the start


def ends_with_the_id(rows: QuerySet[Any]) -> bool:
    query = rows.query
    order = query.order_by or (rows.model._meta.ordering if query.default_ordering else [])
    return bool(order) and isinstance(order[-1], str) and order[-1].lstrip("-") in ("id", "pk")


T = TypeVar("T")

# Reads the rows of a page's ids, in their order: a list that shows plain rows rather than
# model instances passes one (cases/rows.py).
RowReader = Callable[[list[int]], Sequence[Any]]


def instances_of(queryset: QuerySet[Any]) -> RowReader:
    """The default reader: the queryset's own rows (its joins and annotations) for those ids."""

    def read(ids: list[int]) -> list[Any]:
        return in_order(ids, {row.pk: row for row in queryset.filter(pk__in=ids)})

    return read


def in_order(ids: Sequence[int], found: Mapping[int, T]) -> list[T]:
    """The rows found, in the order of the page's ids; an id that names no row is left out."""
    return [found[pk] for pk in ids if pk in found]


class PageByIds(PageNumberPagination):
    """The API's pages: the queryset's instances, or what `rows` reads for the page's ids."""

    django_paginator_class = NearerEndPaginator

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Sequence[Any],
        request: Request,
        view: Any = None,
        rows: RowReader | None = None,
    ) -> list[Any] | None:
        if not isinstance(queryset, QuerySet):  # a list already in memory: nothing to save
            return super().paginate_queryset(queryset, request, view)
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if ids is None:
            return None
        return list((rows or instances_of(queryset))(ids))


class PaginatorByIds(NearerEndPaginator):
    """Django's paginator for a web list, reading each page in two steps as the API does. A
    page that shows several lists (an inbox's sections) counts them together and passes each
    its `count`, instead of one count query per list. With `count_at_most`, the count stops
    there: a province's list does not count every case to say it holds more than anyone pages
    through (`counted_all` is then False, and the pages past the bound are not offered)."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        per_page: int,
        count: int | None = None,
        count_at_most: int | None = None,
        rows: RowReader | None = None,
    ) -> None:
        ids = queryset.values_list("pk", flat=True)
        super().__init__(ids, per_page)
        self.read_rows = rows or instances_of(queryset)
        self.counted_all = True
        if count is None and count_at_most is not None:
            count = ids[: count_at_most + 1].count()
            self.counted_all = count <= count_at_most
            count = min(count, count_at_most)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached property

    def page(self, number: Any) -> Page:
        page = super().page(number)
        page.object_list = self.read_rows(list(page.object_list))
        return page
