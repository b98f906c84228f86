"""The API's `next` and `previous` links carry a cursor (core/keyset.py): following them reads the
same rows, in the same order, as the pages by number, each page in the same statements and none
skipping rows with OFFSET; a cursor the list did not make is refused and shows nothing more."""

import base64
import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from core.keyset import Keyset
from core.models import AuditEvent, Unit
from core.pagination import PageByIds
from inspections.models import Inspection
from referrals.models import Referral
from tests.cases.factories import make_case

URL = "/api/v1/cases/"
PAGE = 3


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(PageByIds, "page_size", PAGE)


@pytest.fixture
def eight_cases(demo, small_pages) -> list[int]:
    """Eight of the commune's cases, newest first; four share one moment, told apart by id."""
    now = timezone.now().replace(microsecond=123456)
    moments = [now - datetime.timedelta(hours=h) for h in (1, 2, 2, 2, 2, 3, 4, 5)]
    cases = [make_case(demo["officer_a"], received_at=moment) for moment in moments]
    return [case.pk for case in sorted(cases, key=lambda c: (c.received_at, c.pk), reverse=True)]


def ids(body: dict) -> list[int]:
    return [row["id"] for row in body["results"]]


def walk(client, url: str, link: str) -> list[dict]:
    """Every page from `url`, following the `link` ("next" or "previous") to its end."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json()
        pages.append(response.json())
        url = pages[-1][link]
    return pages


def test_following_next_reads_what_the_numbered_pages_read(api_as, eight_cases):
    officer = api_as("officer_a")
    by_number = [ids(officer.get(URL, {"page": n}).json()) for n in (1, 2, 3)]
    pages = walk(officer, URL, "next")

    assert [ids(page) for page in pages] == by_number
    assert [pk for page in by_number for pk in page] == eight_cases
    assert all(page["count"] == 8 for page in pages)
    assert "cursor=" in pages[0]["next"] and "page=" not in pages[0]["next"]


def test_following_previous_from_the_last_page_reads_them_backwards(api_as, eight_cases):
    officer = api_as("officer_a")
    pages = walk(officer, f"http://testserver{URL}?page=last", "previous")

    assert [ids(page) for page in pages] == [eight_cases[6:], eight_cases[3:6], eight_cases[:3]]
    assert pages[-1]["previous"] is None
    # The last page's previous is a cursor; the second page's previous is plainly the first.
    assert "cursor=" in pages[0]["previous"]
    assert "cursor=" not in pages[1]["previous"] and "page=" not in pages[1]["previous"]


def test_a_cursor_page_keeps_the_filters_and_says_where_it_is(api_as, eight_cases, demo):
    officer = api_as("officer_a")
    first = officer.get(URL, {"status": "received", "abuse_form": "physical_violence"}).json()
    second = officer.get(first["next"]).json()

    assert "status=received" in first["next"] and "abuse_form=physical_violence" in first["next"]
    assert ids(second) == eight_cases[3:6]
    assert second["previous"] and second["next"]
    back = officer.get(second["previous"]).json()
    assert ids(back) == eight_cases[:3] and back["previous"] is None


def test_a_page_by_cursor_costs_what_the_first_page_costs_and_skips_nothing(api_as, eight_cases):
    officer = api_as("officer_a")
    with CaptureQueriesContext(connection) as first:
        body = officer.get(URL).json()
    with CaptureQueriesContext(connection) as second:
        officer.get(body["next"])

    assert len(second) == len(first)
    assert not any("OFFSET" in query["sql"] for query in second.captured_queries)


def test_a_new_report_does_not_shift_the_pages_already_being_walked(api_as, eight_cases, demo):
    # By number, a report arriving between two pages pushes a row from page 1 onto page 2.
    officer = api_as("officer_a")
    first = officer.get(URL).json()
    make_case(demo["officer_a"])

    assert ids(officer.get(first["next"]).json()) == eight_cases[3:6]
    assert ids(officer.get(URL, {"page": 2}).json()) == eight_cases[2:5]


def cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


NOW = "2026-11-30T10:00:00.000001+00:00"


@pytest.mark.parametrize(
    "forged",
    [
        "x",
        "!!!",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        cursor([1, 2]),
        cursor({"p": 2, "k": [NOW], "b": False}),  # a key of another shape
        cursor({"p": 2, "k": [NOW, 1, 2], "b": False}),
        cursor({"p": 2, "k": ["2026-11-30T10:00:00", 1], "b": False}),  # no offset
        cursor({"p": 2, "k": ["yesterday", 1], "b": False}),
        cursor({"p": 2, "k": [NOW, 2**63], "b": False}),
        cursor({"p": 2, "k": [NOW, 1.5], "b": False}),
        cursor({"p": 2, "k": [NOW, True], "b": False}),
        cursor({"p": 2, "k": [NOW, None], "b": False}),
        cursor({"p": 0, "k": [NOW, 1], "b": False}),
        cursor({"p": True, "k": [NOW, 1], "b": False}),
        cursor({"p": "2", "k": [NOW, 1], "b": False}),
        cursor({"p": 10**10, "k": [NOW, 1], "b": False}),
        cursor({"p": 2, "k": [NOW, 1], "b": 1}),
        cursor({"p": 2, "k": ["99999-01-01T00:00:00+00:00", 1], "b": False}),
        cursor({"p": 2, "k": [1700000000, 1], "b": False}),  # a number for a time
        cursor({"p": 2, "k": [NOW, "1"], "b": False}),  # text for an id
        cursor({"p": 2, "k": ["0001-01-01T00:00:00+14:00", 1], "b": False}),  # before year 1 in UTC
        cursor({"p": 2, "k": ["9999-12-31T23:59:59-14:00", 1], "b": False}),  # after 9999 in UTC
        base64.urlsafe_b64encode(b"[" * 1200).decode(),  # nested past Python's recursion limit
        "A" * 401,
    ],
)
def test_a_cursor_the_list_did_not_make_is_refused_in_the_users_language(
    api_as, eight_cases, forged
):
    response = api_as("officer_a").get(URL, {"cursor": forged}, HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 404
    assert response.json()["detail"] == "Con trỏ trang không hợp lệ."


def test_a_page_number_out_of_range_is_refused_in_the_users_language(api_as, eight_cases):
    response = api_as("officer_a").get(URL, {"page": 99}, HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 404
    assert response.json()["detail"] == "Trang không hợp lệ."


def test_a_forged_cursor_shows_nothing_beyond_the_users_scope(api_as, eight_cases, demo):
    elsewhere = make_case(demo["officer_b"], commune_code="14329")
    future = (timezone.now() + datetime.timedelta(days=365)).isoformat()
    forged = cursor({"p": 1, "k": [future, 2**62], "b": False})

    body = api_as("officer_a").get(URL, {"cursor": forged}).json()

    assert ids(body)[:PAGE] == eight_cases[:PAGE] and elsewhere.pk not in ids(body)
    assert body["count"] == 8


def test_the_lists_orders_have_keys():
    for model, names in [
        (Case, ("received_at", "id")),
        (Referral, ("sent_at", "id")),
        (Inspection, ("planned_start", "id")),
    ]:
        keyset = Keyset.of(model.objects.order_by(*(f"-{name}" for name in names)))
        assert keyset is not None and keyset.names == names and keyset.descending


@pytest.mark.parametrize(
    "order",
    [
        ("name",),  # not ending with the id: rows sharing a name are not told apart
        ("-name", "id"),  # two ways
        ("parent", "id"),  # a relation
        ("valid_to", "id"),  # may be null: no row comparison orders it
        ("parent__name", "id"),
        ("name", "code", "id"),  # text: no cursor carries it
    ],
)
def test_an_order_without_keys_keeps_page_numbers(order):
    assert Keyset.of(Unit.objects.order_by(*order)) is None


@pytest.mark.django_db
def test_a_list_without_keys_refuses_a_cursor_and_links_by_number(api_as, demo):
    # The units' list is ordered by code: its links are page numbers.
    response = api_as("province").get("/api/v1/units/", {"cursor": cursor({"p": 1})})
    assert response.status_code == 404


def test_a_history_page_read_by_cursor_is_audited_with_the_rows_it_showed(api_as, demo):
    """A cursor's page number is the client's word; the audit also names the page's first and
    last rows, which are what was read."""
    case = make_case(demo["officer_a"])
    for text in ("Một", "Hai", "Ba", "Bốn"):
        case_services.case_add_note(actor=demo["officer_a"], case_id=case.pk, text=text)
    officer = api_as("officer_a")
    url = f"/api/v1/cases/{case.pk}/notes/"
    forged = {"p": 999, "k": [(timezone.now() + datetime.timedelta(days=1)).isoformat(), 2**40]}

    officer.get(url, {"cursor": cursor(forged | {"b": False})})

    shown = list(case.casenotes.order_by("-created_at", "-id").values_list("pk", flat=True))
    read = AuditEvent.objects.filter(action="case.read", actor=demo["officer_a"]).latest("pk")
    assert read.details == {"view": "notes", "page": 999, "first": shown[0], "last": shown[-1]}
