"""Page numbers for the API and the web pages, each page read in two steps (docs/performance.md).

A list's rows carry annotations computed per row (the next deadline) and joins (the child, the
commune). Asked for page 500 with OFFSET, the database computes them for the 25,000 rows it
skips. Here the page's ids are read first, on the narrow ordered query an index serves, and then
only those rows in full; the answer is the same, page after page. The ids are read from the
nearer end of the order: the last page is the first rows of the reversed order, so the last page
costs what the first does, and the middle page what half the list does.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.keyset import Cursor, InvalidCursor, Keyset


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
            return self._get_page(list(reversed(backwards)), number, self)
        return super().page(number)  # the same slice, read from the start

    def _get_page(self, *args: Any, **kwargs: Any) -> Page:
        """Django's hook for the class of a page (not in its type stubs)."""
        return Page(*args, **kwargs)


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
    """The API's pages: the queryset's instances, or what `rows` reads for the page's ids.

    `?page=N` reads a page by its number, from the nearer end; the `next` and `previous` links
    carry a cursor instead (core/keyset.py) where the order has keys, so that walking a list
    page after page costs the same at every depth."""

    django_paginator_class = NearerEndPaginator
    cursor_query_param = "cursor"
    invalid_cursor_message = _("Invalid cursor.")
    invalid_page_message = _("Invalid page.")  # type: ignore[assignment]  # DRF's, untranslated

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Sequence[Any],
        request: Request,
        view: Any = None,
        rows: RowReader | None = None,
    ) -> list[Any] | None:
        self.keyset = None
        if not isinstance(queryset, QuerySet):  # a list already in memory: nothing to save
            return super().paginate_queryset(queryset, request, view)
        self.keyset = Keyset.of(queryset)
        # Each row's key, the id last: the id reads the rows, the ends' keys make the links.
        narrow = queryset.values_list(*(self.keyset.names if self.keyset else ("pk",)))
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor is None:
            if super().paginate_queryset(narrow, request, view) is None:
                return None
        else:
            self.request = request
            self.page = self.page_at(narrow, self.cursor_from(cursor), request)
        keys = list(self.shown.object_list)
        self.beside = cursors_beside(self.shown, keys)
        return list((rows or instances_of(queryset))([key[-1] for key in keys]))

    def cursor_from(self, text: str) -> Cursor:
        if self.keyset is None:  # this list makes no cursors
            raise NotFound(self.invalid_cursor_message)
        try:
            return self.keyset.decode(text)
        except InvalidCursor:
            raise NotFound(self.invalid_cursor_message) from None

    def page_at(self, narrow: QuerySet[Any], cursor: Cursor, request: Request) -> "KeysetPage":
        assert self.keyset is not None
        paginator = Paginator(narrow, self.get_page_size(request) or 1)  # counted, as by number
        return keyset_page(paginator, self.keyset, cursor)

    @property
    def shown(self) -> Page:
        assert self.page is not None  # set by paginate_queryset
        return self.page

    def here(self) -> str:
        assert self.request is not None  # set by paginate_queryset
        return self.request.build_absolute_uri()

    def get_next_link(self) -> str | None:
        if self.keyset is None or not self.shown.has_next():
            return super().get_next_link()
        following = self.beside[1]
        assert following is not None  # a page with a next one holds rows
        return self.cursor_link(following)

    def get_previous_link(self) -> str | None:
        if self.keyset is None or not self.shown.has_previous():
            return super().get_previous_link()
        previous = self.beside[0]
        if previous is None:  # the first page: no cursor needed
            url = remove_query_param(self.here(), self.cursor_query_param)
            return remove_query_param(url, self.page_query_param)
        return self.cursor_link(previous)

    def cursor_link(self, cursor: Cursor) -> str:
        assert self.keyset is not None
        url = remove_query_param(self.here(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, self.keyset.encode(cursor))

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        cursor = {
            "name": self.cursor_query_param,
            "required": False,
            "in": "query",
            "description": "The place in the list a `next` or `previous` link points to "
            "(opaque; overrides `page`).",
            "schema": {"type": "string"},
        }
        return [*super().get_schema_operation_parameters(view), cursor]


def cursors_beside(page: Page, keys: list[Any]) -> tuple[Cursor | None, Cursor | None]:
    """The cursors of the pages before and after a page whose rows have these keys: None where
    there is no such page, and none back to the first page, which is linked by its number."""
    if not keys:
        return None, None
    before = page.has_previous() and page.number > 2
    return (
        Cursor(page.number - 1, keys[0], backwards=True) if before else None,
        Cursor(page.number + 1, keys[-1], backwards=False) if page.has_next() else None,
    )


def keyset_page(paginator: Paginator, keyset: Keyset, cursor: Cursor) -> "KeysetPage":
    """The page after (or before) the cursor's row in the paginator's narrow rows (each a key, the
    id last): one more row than the page is read, to know whether another page lies beyond it."""
    narrow, size = cast(QuerySet[Any], paginator.object_list), paginator.per_page
    if cursor.backwards:
        found = list(narrow.filter(keyset.before(cursor.key)).reverse()[: size + 1])
        more = len(found) > size
        number = max(cursor.number, 2) if more else 1
        rows = found[:size][::-1]
        return KeysetPage(rows, number, paginator, before=more, after=bool(rows))
    found = list(narrow.filter(keyset.after(cursor.key))[: size + 1])
    more = len(found) > size
    return KeysetPage(found[:size], cursor.number, paginator, before=True, after=more)


class ListPage(Page):
    """A page with the cursors (and, for a web list, the query strings) of the pages beside
    it: None where there is no such page, or none is needed."""

    next_cursor: str | None = None
    previous_cursor: str | None = None
    next_query: str | None = None
    previous_query: str | None = None


class KeysetPage(ListPage):
    """A page read by cursor: whether pages lie before and after it is known from the rows
    read, not from its number."""

    def __init__(
        self, rows: list[Any], number: int, paginator: Paginator, *, before: bool, after: bool
    ) -> None:
        super().__init__(rows, number, paginator)
        self.before, self.after = before, after

    def has_next(self) -> bool:
        return self.after

    def has_previous(self) -> bool:
        return self.before


class PaginatorByIds(NearerEndPaginator):
    """Django's paginator for a web list, reading each page in two steps as the API does. A
    page that shows several lists (an inbox's sections) counts them together and passes each
    its `count`, instead of one count query per list. With `count_at_most`, the count stops
    there: a province's list does not count every case to say it holds more than anyone pages
    through (`counted_all` is then False, and the pages past the bound are not offered by
    number; the Next link's cursor still walks on).

    Where the order has keys (core/keyset.py), a page's Previous and Next links carry a cursor,
    as the API's do: a list walked by its links reads each page as fast as the first."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        per_page: int,
        count: int | None = None,
        count_at_most: int | None = None,
        rows: RowReader | None = None,
    ) -> None:
        self.keyset = Keyset.of(queryset)
        # Each row's key, the id last, as PageByIds reads them.
        narrow = queryset.values_list(*(self.keyset.names if self.keyset else ("pk",)))
        super().__init__(narrow, per_page)
        self.read_rows = rows or instances_of(queryset)
        self.counted_all = True
        if count is None and count_at_most is not None:
            # Any rows up to the bound, in no order: ordered, the database would read them in
            # the list's order, through an index that is not the scope's.
            count = narrow.order_by()[: count_at_most + 1].count()
            self.counted_all = count <= count_at_most
            count = min(count, count_at_most)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached property

    def page_of(
        self, query: QueryDict, param: str = "page", cursor_param: str = "cursor"
    ) -> "ListPage":
        """The page the request's link names, by its cursor or else by its number, with the
        query strings of the links beside it (the request's other parameters kept). Like
        `get_page` with a number that names no page, a cursor this list cannot read gives the
        page by number (the first, without one)."""
        page = self.page_at(query.get(param), query.get(cursor_param))

        def link(number: int, cursor: str | None) -> str:
            linked = query.copy()
            linked.pop(param, None)
            linked.pop(cursor_param, None)
            if cursor is not None:
                linked[cursor_param] = cursor
            elif number > 1:
                linked[param] = str(number)
            return linked.urlencode()

        if page.has_next():
            page.next_query = link(page.number + 1, page.next_cursor)
        if page.has_previous():
            page.previous_query = link(page.number - 1, page.previous_cursor)
        return page

    def page_at(self, number: Any, cursor: str | None) -> "ListPage":
        if cursor and self.keyset is not None:
            try:
                key = self.keyset.decode(cursor)
            except InvalidCursor:
                pass
            else:
                return self.read(keyset_page(self, self.keyset, key))
        return cast(ListPage, self.get_page(number))

    def page(self, number: Any) -> Page:
        return self.read(cast(ListPage, super().page(number)))

    def _get_page(self, *args: Any, **kwargs: Any) -> "ListPage":
        return ListPage(*args, **kwargs)

    def read(self, page: "ListPage") -> "ListPage":
        """The page's rows read for its keys' ids, and the cursors of the pages beside it."""
        keys = list(page.object_list)
        page.object_list = self.read_rows([key[-1] for key in keys])
        if self.keyset is not None:
            encode = self.keyset.encode
            previous, following = cursors_beside(page, keys)
            page.previous_cursor = encode(previous) if previous is not None else None
            page.next_cursor = encode(following) if following is not None else None
        return page
