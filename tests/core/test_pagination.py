"""Pages read from the nearer end of their order: the same rows as slicing the whole list, and the
last page read as the first rows of the reversed order, without skipping the rest."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Unit
from core.pagination import NearerEndPaginator, PaginatorByIds

pytestmark = pytest.mark.django_db


def ids_in_order():
    return Unit.objects.order_by("-code", "-id").values_list("pk", flat=True)


@pytest.mark.parametrize("per_page,orphans", [(7, 0), (10, 3)])
def test_every_page_holds_what_slicing_the_whole_list_gives(ninh_binh, per_page, orphans):
    everything = list(ids_in_order())
    assert len(everything) > 3 * per_page
    paginator = NearerEndPaginator(ids_in_order(), per_page, orphans=orphans)
    pages = [list(paginator.page(number)) for number in paginator.page_range]

    assert [pk for page in pages for pk in page] == everything
    assert all(len(page) == per_page for page in pages[:-1])


def test_the_last_page_is_read_from_the_end_and_the_first_from_the_start(ninh_binh):
    paginator = NearerEndPaginator(ids_in_order(), 7)
    assert paginator.count > 14  # counted before the pages are read

    with CaptureQueriesContext(connection) as first:
        list(paginator.page(1))
    with CaptureQueriesContext(connection) as last:
        list(paginator.page(paginator.num_pages))

    assert "OFFSET" not in first[0]["sql"] and '"code" DESC' in first[0]["sql"]
    assert "OFFSET" not in last[0]["sql"] and '"code" ASC' in last[0]["sql"]


def test_a_count_stopped_at_a_bound_reads_from_the_start(ninh_binh):
    # The end of a list counted only up to a bound is not known: no reading backwards from it.
    paginator = PaginatorByIds(Unit.objects.order_by("-code", "-id"), 7, count_at_most=20)
    assert not paginator.counted_all

    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(3)

    assert [unit.pk for unit in page.object_list] == list(ids_in_order()[14:20])
    assert re.search(r'"code" DESC.*OFFSET 14', queries[0]["sql"]), queries[0]["sql"]


def test_a_count_stopped_at_a_bound_counts_rows_in_no_order(ninh_binh):
    # In the list's order, the database would read the rows through the order's index rather
    # than the scope's (a province's list at 1,000,000 cases: 17.6 ms against 2.8).
    with CaptureQueriesContext(connection) as queries:
        paginator = PaginatorByIds(Unit.objects.order_by("-code", "-id"), 7, count_at_most=20)

    assert paginator.count == 20 and not paginator.counted_all
    (count,) = queries.captured_queries
    assert "COUNT(*)" in count["sql"] and "ORDER BY" not in count["sql"], count["sql"]


def test_an_order_without_the_id_at_its_end_is_read_from_the_start(ninh_binh):
    # Units sharing a level would come out of a reversed order in another order: no backwards.
    paginator = NearerEndPaginator(Unit.objects.order_by("-level").values_list("pk", flat=True), 7)
    assert paginator.num_pages > 2

    with CaptureQueriesContext(connection) as queries:
        list(paginator.page(paginator.num_pages))

    assert '"level" DESC' in queries[0]["sql"] and "OFFSET" in queries[0]["sql"]
