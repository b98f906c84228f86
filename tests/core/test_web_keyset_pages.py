"""The web lists' Previous and Next links carry a cursor where the order has keys, as the API's
do (core/pagination.PaginatorByIds): walking a list by its links reads the same rows as its
numbered pages, each page in the statements of the first and none skipping rows with OFFSET;
the other parameters (the filters, another section's place) travel with the link; a cursor
the list cannot read gives the first page, as a page number that names no page does."""

import base64
import datetime
import html
import json
import re
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.selectors import case_list
from core.keyset import Keyset
from inspections.selectors import inspection_list
from notifications.inbox import inbox_of
from notifications.models import Channel, Notification
from referrals.selectors import agency_inbox, outgoing_open
from tests.cases.factories import make_case
from tests.referrals.helpers import refer, sexual_abuse_case

T = TypeVar("T")


def link(page: str, rel: str) -> str | None:
    """The query string of the page's first Previous ("prev") or Next link, or None."""
    found = re.search(rf'href="\?([^"#]*)(?:#[\w-]*)?" rel="{rel}"', page)
    return html.unescape(found.group(1)) if found else None


def case_ids(page: str) -> list[int]:
    table = page.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [int(pk) for pk in re.findall(r'href="/cases/(\d+)/"', table)]


def walk(
    client, url: str, rel: str, read: Callable[[str], list[T]]
) -> tuple[list[list[T]], list[str]]:
    """Every page from `url` following its `rel` link: their rows, and the links followed."""
    pages: list[list[T]] = []
    links: list[str] = []
    query: str | None = url.partition("?")[2]
    path = url.partition("?")[0]
    while query is not None:
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200
        text = response.content.decode()
        pages.append(read(text))
        query = link(text, rel)
        if query is not None:
            links.append(query)
    return pages, links


@pytest.fixture
def seven_cases(client, demo, monkeypatch) -> list[int]:
    """Seven of the commune's cases, newest first, listed three to a page; four share one
    moment, told apart by id."""
    monkeypatch.setattr("cases.views.PAGE_SIZE", 3)
    now = timezone.now().replace(microsecond=0)
    moments = [now - datetime.timedelta(hours=h) for h in (1, 2, 2, 2, 2, 3, 4)]
    cases = [make_case(demo["officer_a"], received_at=moment) for moment in moments]
    client.force_login(demo["officer_a"])
    return [case.pk for case in sorted(cases, key=lambda c: (c.received_at, c.pk), reverse=True)]


def test_next_reads_what_the_numbered_pages_read(client, seven_cases):
    by_number = [case_ids(client.get(f"/cases/?page={n}").content.decode()) for n in (1, 2, 3)]
    pages, links = walk(client, "/cases/", "next", case_ids)

    assert pages == by_number
    assert [pk for page in pages for pk in page] == seven_cases
    assert all(query.startswith("cursor=") for query in links)


def test_previous_from_the_last_page_reads_them_backwards(client, seven_cases):
    pages, links = walk(client, "/cases/?page=3", "prev", case_ids)

    assert pages == [seven_cases[6:], seven_cases[3:6], seven_cases[:3]]
    # The last page's Previous is a cursor; the second page's is plainly the first page.
    assert links[0].startswith("cursor=") and links[1] == ""


def test_a_cursor_page_keeps_the_filters_and_says_where_it_is(client, seven_cases):
    first = client.get("/cases/?status=received&abuse_form=physical_violence").content.decode()
    following = link(first, "next")
    assert following is not None
    assert "status=received" in following and "abuse_form=physical_violence" in following

    second = client.get(f"/cases/?{following}").content.decode()
    assert case_ids(second) == seven_cases[3:6]
    assert "Trang 2/3" in second or "Page 2 of 3" in second
    back = link(second, "prev")
    assert back == "status=received&abuse_form=physical_violence"


def test_a_page_by_cursor_costs_what_the_first_costs_and_skips_nothing(client, seven_cases):
    with CaptureQueriesContext(connection) as first:
        page = client.get("/cases/").content.decode()
    with CaptureQueriesContext(connection) as second:
        client.get(f"/cases/?{link(page, 'next')}")

    assert len(second) == len(first)
    assert not any("OFFSET" in query["sql"] for query in second.captured_queries)


def test_a_new_report_does_not_shift_the_pages_already_being_walked(client, demo, seven_cases):
    page = client.get("/cases/").content.decode()
    make_case(demo["officer_a"])

    assert (
        case_ids(client.get(f"/cases/?{link(page, 'next')}").content.decode()) == (seven_cases[3:6])
    )


@pytest.mark.parametrize(
    "cursor",
    ["garbled!", "eyJwIjoxfQ", "eyJwIjoyLCJrIjpbMSwyLDNdLCJiIjpmYWxzZX0", "x" * 1000],
)
def test_a_cursor_the_list_cannot_read_gives_the_first_page(client, seven_cases, cursor):
    response = client.get("/cases/", {"cursor": cursor})

    assert response.status_code == 200
    assert case_ids(response.content.decode()) == seven_cases[:3]


def test_a_forged_cursor_shows_nothing_beyond_the_users_scope(client, demo, seven_cases):
    elsewhere = make_case(demo["officer_b"], commune_code="14329")
    # A well-formed cursor before every row: the page after it is the officer's first page.
    key = ["9999-01-01T00:00:00+00:00", 2**62]
    payload = json.dumps({"p": 2, "k": key, "b": False}).encode()
    forged = base64.urlsafe_b64encode(payload).decode().rstrip("=")

    listed = case_ids(client.get("/cases/", {"cursor": forged}).content.decode())

    assert listed == seven_cases[:3] and elsewhere.pk not in listed


def test_a_long_list_walks_past_its_counted_bound_by_its_links(client, demo, monkeypatch):
    """A province's list counts up to a bound; by its Next links it still reaches every case."""
    monkeypatch.setattr("cases.views.PAGE_SIZE", 1)
    monkeypatch.setattr("cases.views.COUNT_AT_MOST", 2)
    made = [make_case(demo["officer_a"]) for _ in range(3)]
    client.force_login(demo["officer_a"])

    pages, _ = walk(client, "/cases/", "next", case_ids)

    assert sorted(pk for page in pages for pk in page) == sorted(case.pk for case in made)


def pending_codes(page: str) -> list[str]:
    part = page.split('id="pending"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"\d{2}-\d{4}-\d{6}", part)


def test_an_inbox_section_walks_by_its_own_cursor_keeping_the_others_place(
    client, demo, monkeypatch
):
    monkeypatch.setattr("referrals.views.INBOX_PAGE", 2)
    cases = [sexual_abuse_case(demo) for _ in range(5)]
    for case in cases:
        refer(demo, case, "police_report")
    client.force_login(demo["police"])

    pages, links = walk(client, "/referrals/?outgoing=1", "next", pending_codes)

    assert sorted(code for page in pages for code in page) == sorted(c.code for c in cases)
    assert [len(page) for page in pages] == [2, 2, 1]
    assert all("pending_cursor=" in query and "outgoing=1" in query for query in links)


def notification_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'action="/notifications/(\d+)/', page)]


def test_the_notifications_walk_older_by_cursor(client, demo):
    user = demo["officer_a"]
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            channel=Channel.IN_APP,
            key=f"test-{n}",
            event="case_received",
            params={"code": "X"},
        )
        for n in range(30)
    )
    mine = list(
        Notification.objects.filter(recipient=user, channel=Channel.IN_APP)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    client.force_login(user)

    pages, links = walk(client, "/notifications/", "next", notification_ids)

    assert [pk for page in pages for pk in page] == mine
    assert links and all(query.startswith("cursor=") for query in links)


def test_every_web_list_and_inbox_section_has_keys(demo):
    """Each list these pages show is in an order a cursor can follow (else they would fall
    back to page numbers, silently)."""
    lists = {
        "cases": case_list(demo["officer_a"]),
        "inspections": inspection_list(demo["province"]),
        "notifications": inbox_of(demo["officer_a"]),
        **agency_inbox(demo["police"]),
        "outgoing": outgoing_open(demo["officer_a"]),
    }
    for name, rows in lists.items():
        assert Keyset.of(rows) is not None, name


def forged(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "username, url, param",
    [
        ("officer_a", "/cases/", "cursor"),
        ("province", "/inspections/", "cursor"),
        ("officer_a", "/notifications/", "cursor"),
        ("police", "/referrals/", "pending_cursor"),
        ("police", "/referrals/", "finished_cursor"),
        ("officer_a", "/referrals/", "outgoing_cursor"),
    ],
)
@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "x" * 401,
        forged({"p": 2, "k": ["0001-01-01T00:00:00+07:00", 1], "b": False}),  # before year 1 UTC
        forged({"p": 2, "k": ["9999-12-31T23:59:59-07:00", 1], "b": True}),  # after 9999 UTC
        forged({"p": 2, "k": [1, 2], "b": False}),  # a number where a time belongs
        forged({"p": 2, "k": ["2026-01-01", 2**64], "b": False}),  # past any id
        forged({"p": 0, "k": ["2026-01-01T00:00:00+07:00", 1], "b": False}),
        forged([[[[]]]]),
    ],
)
def test_no_forged_cursor_breaks_a_web_list(client, demo, username, url, param, cursor):
    client.force_login(demo[username])

    response = client.get(url, {param: cursor})

    assert response.status_code == 200
