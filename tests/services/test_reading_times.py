"""How PostgreSQL's dates and times are read (core/input_guard.py): by Python's ISO 8601 parser
first, the same values psycopg's own parser gives, and what Python cannot hold clamped."""

import datetime

import pytest
from django.db import connection
from psycopg.pq import Format
from psycopg.types.datetime import DateLoader, TimestampLoader, TimestamptzLoader

from core.input_guard import EARLIEST_READABLE, LATEST_READABLE
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

UTC = datetime.UTC

# As PostgreSQL writes them: whole seconds and every length of fraction, offsets in hours,
# minutes and seconds (a zone's local mean time before 1900), both ends of Python's range.
STAMPS = [
    "2026-12-03 08:24:02.123456+07",
    "2026-12-03 08:24:02+07",
    "2026-12-03 08:24:02.5+00",
    "2026-12-03 08:24:02.05-03:30",
    "1890-06-01 12:00:00+06:42:04",
    "2000-02-29 23:59:59.999999+00",
    "0001-01-01 12:00:00+00",
    "9999-12-31 12:00:00+00",
]


def read(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [value for (value,) in cursor.fetchall()]


def test_times_with_a_zone_read_as_psycopgs_own_parser_reads_them():
    read_by_the_app = read("SELECT unnest(%s::text[])::timestamptz", [STAMPS])

    # psycopg's own parser, by the same connection (the session's zone, UTC).
    raw = connection.connection
    reference = TimestamptzLoader(1184, raw)
    texts = read("SELECT unnest(%s::text[])::timestamptz::text", [STAMPS])
    expected = [reference.load(text.encode()).replace(tzinfo=UTC) for text in texts]

    assert read_by_the_app == expected
    assert read_by_the_app[0] == datetime.datetime(2026, 12, 3, 1, 24, 2, 123456, tzinfo=UTC)
    assert all(value.tzinfo is UTC for value in read_by_the_app)


def test_any_offset_in_any_session_zone_reads_as_psycopgs_parser_and_djangos_label_read_it():
    """The session is in UTC, so the values above reach the loader as "+00"; here the text goes
    to the loader itself, with each offset, in sessions of other zones too (psycopg's loader
    moves a time to the session's zone, Django's labels it with its own)."""
    texts = [stamp.encode() for stamp in STAMPS]
    raw = connection.connection
    ours = raw.adapters.get_loader(1184, Format.TEXT)
    read = {}
    for zone in ("UTC", "Asia/Ho_Chi_Minh", "America/St_Johns"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('TimeZone', %s, true)", [zone])
        # Made after the change: a loader reads the session's zone when it is made.
        reference = TimestamptzLoader(1184, raw)
        read[zone] = [ours(1184, raw).load(text) for text in texts]
        assert read[zone] == [reference.load(text).replace(tzinfo=UTC) for text in texts], zone
    # 08:24:02.05 at -03:30 is 11:54:02.05 UTC; a session in St John's (-03:30) holds it as
    # 08:24:02.05, which Django labels UTC (it always sets its sessions to UTC).
    assert read["UTC"][3] == datetime.datetime(2026, 12, 3, 11, 54, 2, 50000, tzinfo=UTC)
    in_st_johns = read["America/St_Johns"][3]
    assert in_st_johns == datetime.datetime(2026, 12, 3, 8, 24, 2, 50000, tzinfo=UTC)
    assert read["UTC"][4] == datetime.datetime(1890, 6, 1, 5, 17, 56, tzinfo=UTC)


def test_times_and_dates_without_a_zone_read_as_psycopgs_own_parsers_read_them():
    naive = [stamp.rsplit("+", 1)[0].rsplit("-03:30", 1)[0] for stamp in STAMPS]
    days = [stamp[:10] for stamp in naive]
    raw = connection.connection

    texts = read("SELECT unnest(%s::text[])::timestamp::text", [naive])
    assert read("SELECT unnest(%s::text[])::timestamp", [naive]) == [
        TimestampLoader(1114, raw).load(text.encode()) for text in texts
    ]
    texts = read("SELECT unnest(%s::text[])::date::text", [days])
    assert read("SELECT unnest(%s::text[])::date", [days]) == [
        DateLoader(1082, raw).load(text.encode()) for text in texts
    ]


def test_the_common_values_never_reach_psycopgs_regular_expressions(monkeypatch):
    """The point of the first try: if it failed for an ordinary value, every page would pay the
    slow parser again (5 µs a time stamp) and nothing else would show it."""

    def slow_path(self, data):
        raise AssertionError(f"parsed the long way: {bytes(data)!r}")

    monkeypatch.setattr(TimestamptzLoader, "_load_iso", staticmethod(slow_path))
    monkeypatch.setattr(TimestampLoader, "load", slow_path)
    monkeypatch.setattr(DateLoader, "load", slow_path)

    assert len(read("SELECT unnest(%s::text[])::timestamptz", [STAMPS])) == len(STAMPS)
    assert read("SELECT '2026-12-03 08:24:02.5'::timestamp", []) == [
        datetime.datetime(2026, 12, 3, 8, 24, 2, 500000)
    ]
    assert read("SELECT '2026-12-03'::date", []) == [datetime.date(2026, 12, 3)]


def test_what_python_cannot_hold_is_clamped_to_the_nearest_day_it_can():
    assert read(
        "SELECT unnest(%s::timestamptz[])",
        [["infinity", "-infinity", "10000-01-01 00:00:00+00", "0001-01-01 00:00:00+07"]],
    ) == [
        LATEST_READABLE.replace(tzinfo=UTC),
        EARLIEST_READABLE.replace(tzinfo=UTC),
        LATEST_READABLE.replace(tzinfo=UTC),
        EARLIEST_READABLE.replace(tzinfo=UTC),
    ]
    assert read("SELECT unnest(%s::timestamp[])", [["infinity", "0044-03-15 BC"]]) == [
        LATEST_READABLE,
        EARLIEST_READABLE,
    ]
    assert read("SELECT unnest(%s::date[])", [["infinity", "20000-01-01", "0044-03-15 BC"]]) == [
        LATEST_READABLE.date(),
        LATEST_READABLE.date(),
        EARLIEST_READABLE.date(),
    ]


def test_a_child_born_at_infinity_is_shown_without_an_age_on_the_list_and_the_record(
    api_as, client, demo
):
    """Written around the forms, a birth at 'infinity' reads as the last day Python holds: the
    pages say the age is not known rather than minus 7,974 years."""
    case = make_case(demo["officer_a"])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_child SET date_of_birth = 'infinity' WHERE id = %s", [case.child_id]
        )
    api = api_as("officer_a")

    listed = api.get("/api/v1/cases/").json()["results"]
    record = api.get(f"/api/v1/cases/{case.pk}/").json()
    client.force_login(demo["officer_a"])
    page = client.get(f"/cases/{case.pk}/").content.decode()

    assert [row["child"]["age"] for row in listed if row["id"] == case.pk] == [None]
    assert record["child"]["age"] is None
    assert record["child"]["date_of_birth"] == LATEST_READABLE.date().isoformat()
    assert "7974" not in page  # nor minus it
