"""The lists' scope is driven by an index on PostgreSQL (issue 17): on a small generated country,
EXPLAIN shows the case list reading the commune's cases through the path index and the agency's
referrals through its list index, the sweep its due clocks through the next-action index — never
a scan of every case, referral or clock."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.panels import decisions_queue
from cases.selectors import case_list
from core import admin as admin_module
from core.admin import ACTIONS_IN_THE_TRAIL
from core.keyset import Keyset
from core.models import AuditEvent, User
from core.scope import scope_for
from inspections.selectors import inspection_list
from notifications.inbox import inbox_of, unread_count
from notifications.sweeps import clocks_due
from referrals.selectors import agency_inbox, referral_list
from reports.services import indicators_for
from scale.generate import generate

pytestmark = pytest.mark.django_db


# On the small country the planner may rightly read every open clock rather than a province's
# through an index, as it does not at 1,000,000 cases (docs/performance.md). With sequential
# scans priced out for the test's own transaction, a plan that still scans every clock has no
# index that serves the province's clocks.
WITHOUT_SEQUENTIAL_SCANS = "SET LOCAL enable_seqscan = off"
# And the index is one of the open clocks alone (by path or by due time), not one that reads
# every clock of a kind, met or not.
OPEN_CLOCKS_ONLY = re.compile(r"Index (Only )?Scan (using|on) clock_open_(path|due)_idx")


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(line for (line,) in cursor.fetchall())


def first_and_next(rows, size: int) -> tuple[str, str]:
    """The plans of a list's first page and of the page after it, by the cursor of its last
    row (one row more than the page is read, as core/pagination.py does)."""
    keyset = Keyset.of(rows)
    assert keyset is not None
    last = rows.values_list(*keyset.names)[size - 1]
    following = rows.filter(keyset.after(tuple(last)))
    return plan(rows.values_list("pk")[: size + 1]), plan(following.values_list("pk")[: size + 1])


def names_each_child_by_key(plan: str) -> bool:
    """Whether the cases are filtered on their child's name read by a subplan for each case
    (the child itself is joined to every page by its key anyway)."""
    return re.search(r"\(SubPlan \d+\)\)::text ~~", plan) is not None


@pytest.fixture
def country(demo):
    generate(3000, lambda line: None)
    return demo


def test_the_officers_case_list_reads_the_commune_by_the_path_index(country):
    page = plan(case_list(country["officer_a"])[:50])
    assert "case_scope_idx" in page, page
    assert "Seq Scan on cases_case" not in page, page
    searched = plan(case_list(country["officer_a"], q="tre 1")[:50])
    assert "Seq Scan on cases_case" not in searched, searched


def test_a_provinces_case_list_is_read_in_its_order_from_the_province_index(country):
    """A province's list, first page and the page after a cursor, is a range of the province
    index in the list's order: no page sorts the province's cases."""
    for page in first_and_next(case_list(country["province"]), size=50):
        assert "case_province_list_idx" in page and "Sort" not in page, page


def test_a_provinces_search_finds_the_children_named_apart_from_its_cases(country, monkeypatch):
    """Joined to its cases, a province's search matched each name in the join and read every
    child of the country for it (556 ms at 1,000,000 cases). The few children a full name names
    are read first and their cases found by key, beside the code's matches; the more a common
    name names are kept in a hash while the province's cases are read in order; past what the
    planner expects a hash to hold cheaply (111,000 children for one word at 1,000,000 cases),
    none is read from the name's index: each case's child is read by its key."""
    few = plan(case_list(country["province"], q="tre 1234")[:50])
    # By key: the child's id a condition on the case (an index at scale; a small table is read).
    assert re.search(r"child_id = (\d+|ANY)", few), few
    assert "hashed SubPlan" not in few and "Join Filter" not in few, few
    assert "Seq Scan on cases_child" not in few, few

    monkeypatch.setattr("cases.selectors.NAMED_BY_KEY", 0)
    many = plan(case_list(country["province"], q="tre 1")[:50])
    assert "hashed SubPlan" in many and "Join Filter" not in many, many
    assert "case_province_list_idx" in many, many

    monkeypatch.setattr("cases.selectors.NAMED_HASHED_AT_MOST", 0)
    most = plan(case_list(country["province"], q="tre 1")[:50])
    assert "hashed SubPlan" not in most and "Join Filter" not in most, most
    assert names_each_child_by_key(most), most
    assert "Seq Scan on cases_child" not in most and "search_name_trgm" not in most, most


def test_a_provinces_search_of_one_or_two_letters_reads_no_trigram_index(country):
    """A needle shorter than a trigram has none to look up: the code's trigram index was read
    whole for `%N%`, the planner expecting 100 matches (1,001,986 read and tested again at
    1,000,000 cases: 1.4 s for a page). Each of the province's cases is tested instead."""
    for needle in ("n", "37", "Lê"):
        short = plan(case_list(country["province"], q=needle)[:50])
        assert "_trgm" not in short, short
        assert names_each_child_by_key(short) and "hashed SubPlan" not in short, short


def test_a_provinces_referral_list_is_read_in_its_order_from_the_province_index(country):
    """As its cases: the province's referrals were sorted whole for each page (85–98 ms for the
    first at 1,000,000 cases), the planner expecting a few of them under its path's prefix."""
    for page in first_and_next(referral_list(country["province"]), size=50):
        assert "referral_province_list_idx" in page and "Sort" not in page, page


def test_the_agencys_referral_list_reads_its_rows_by_an_index(country):
    page = plan(referral_list(country["police"], direction="incoming")[:50])
    assert "referral_agency_list_idx" in page, page
    assert not re.search(r"Seq Scan on referrals_referral\b", page), page


def test_the_sweep_finds_what_is_due_by_the_next_action_index(country):
    now = timezone.now()
    due = plan(clocks_due(now).select_for_update(skip_locked=True).order_by("next_action_at", "pk"))
    assert "clock_next_action_idx" in due, due
    assert "Seq Scan on core_clock" not in due, due


def test_the_trails_actions_are_found_by_probing_the_action_index(country):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + ACTIONS_IN_THE_TRAIL)
        found = "\n".join(line for (line,) in cursor.fetchall())
    assert "Index Only Scan" in found, found
    assert "Seq Scan on core_auditevent" not in found, found


def test_the_whole_trail_is_estimated_and_a_filtered_one_counted(country, monkeypatch, client):
    """The admin's unfiltered trail shows the planner's estimate of its rows (counting millions
    on every page was the page's cost); filtered, the exact count."""
    monkeypatch.setattr(admin_module, "ESTIMATE_ABOVE", 0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_auditevent")
    root = User.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(root)

    whole = client.get("/admin/core/auditevent/")
    filtered = client.get("/admin/core/auditevent/", {"action": "case.read"})

    assert whole.context["cl"].paginator.estimated
    assert whole.context["cl"].result_count > 0
    assert "(ước tính)" in whole.content.decode()
    exact = AuditEvent.objects.filter(action="case.read").count()
    assert not filtered.context["cl"].paginator.estimated
    assert filtered.context["cl"].result_count == exact
    assert "(ước tính)" not in filtered.content.decode()


def test_a_page_after_a_cursor_starts_in_the_index_where_the_last_page_ended(country):
    """The row comparison of a keyset page (core/keyset.py) is an index condition: the page
    after a cursor begins in the agency's list index at the cursor's row, reading no row before
    it."""
    referrals = referral_list(country["police"], direction="incoming")
    keyset = Keyset.of(referrals)
    assert keyset is not None
    last = referrals.values_list(*keyset.names)[49]

    page = plan(referrals.filter(keyset.after(tuple(last)))[:51])

    assert "referral_agency_list_idx" in page, page
    assert re.search(r"Index Cond: .*ROW\(sent_at, id\) < ROW\(", page), page


def test_an_inbox_sections_page_after_a_cursor_starts_in_the_inbox_index(country):
    """The web inbox's sections walk by cursor too, oldest first, through their own index."""
    pending = agency_inbox(country["police"])["pending"]
    keyset = Keyset.of(pending)
    assert keyset is not None
    keys = list(pending.values_list(*keyset.names)[:25])
    assert len(keys) == 25  # a second page exists

    page = plan(pending.filter(keyset.after(tuple(keys[-1])))[:26])

    assert "referral_inbox_idx" in page, page
    assert re.search(r"Index Cond: .*ROW\(sent_at, id\) > ROW\(", page), page


def run(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_a_users_notifications_are_read_a_page_at_a_time_by_their_index(country):
    """Years of notices for one user (here 5,000, 20 unread), beside the generated country's:
    the page and its cursor's next page are ranges of the list index, sorting nothing. (The
    bell's unread count has a partial index of the unread rows, but its plan is not held here:
    the planner estimates the user's unread from the whole table's share, 1,918 here, and on
    this small table has chosen the partial index, the recipient's index and a scan.)"""
    reader = User.objects.create_user("years_of_notices")
    run(
        """
        INSERT INTO notifications_notification (key, recipient_id, channel, event, params, link,
            status, attempts, next_attempt_at, last_error, created_at, read_at)
        SELECT 'plan-' || n, %s, 'in_app', 'case_received', '{}', '', 'sent', 1, now(), '',
               now() - n * interval '1 hour', CASE WHEN n > 20 THEN now() END
        FROM generate_series(1, 5000) n
        """,
        [reader.pk],
    )
    run("ANALYZE notifications_notification")
    first, after = first_and_next(inbox_of(reader), size=25)

    for page in (first, after):
        assert "notification_list_idx" in page and "Sort" not in page, page
    assert re.search(r"Index Cond: .*ROW\(created_at, id\) < ROW\(", after), after
    assert unread_count(reader) == 20


def test_the_provinces_inspections_are_found_by_the_scope_index(country):
    """Many years of inspections in 34 provinces: a province's list is read through the path
    index (its scope), not by scanning every province's."""
    run(
        """
        INSERT INTO inspections_inspection (kind, topic, title, lead_agency_id, unit_path,
            decision_number, decision_date, planned_start, planned_end, actual_start, actual_end,
            status, conclusion, no_violation_found, cancel_reason, created_by_id, created_at)
        SELECT kind, topic, title, lead_agency_id, '2025/' || (n %% 34) || '/',
            decision_number || '-' || n,
            decision_date, planned_start, planned_end, actual_start, actual_end, status,
            conclusion, no_violation_found, cancel_reason, created_by_id, created_at
        FROM inspections_inspection, generate_series(1, 100) n
        """
    )
    run("ANALYZE inspections_inspection")

    page = plan(inspection_list(country["province"]).values_list("pk")[:26])

    assert "inspection_scope_idx" in page, page
    assert "Seq Scan on inspections_inspection" not in page, page


def test_following_the_cursors_on_postgresql_reads_every_row_once_in_order(country, api_as):
    police = api_as("police")
    by_number, url = [], "/api/v1/referrals/?page=1"
    pages = police.get(url).json()
    for number in range(1, -(-pages["count"] // 50) + 1):
        by_number += [
            row["id"] for row in police.get(f"/api/v1/referrals/?page={number}").json()["results"]
        ]
    by_cursor, link = [], "/api/v1/referrals/"
    while link:
        body = police.get(link).json()
        by_cursor += [row["id"] for row in body["results"]]
        link = body["next"]

    assert pages["count"] > 100
    assert by_cursor == by_number and len(set(by_cursor)) == pages["count"]


def test_the_chairs_decisions_are_found_through_the_communes_cases(country):
    """The clocks awaiting the chair, found by their own copy of the case's path (no index),
    were read by walking every open clock of the country in due order: 3.9 s at 1,000,000 cases.
    They are found through the commune's cases instead."""
    chair = country["chair_a"]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_clock")
        cursor.execute("ANALYZE cases_case")
    with CaptureQueriesContext(connection) as captured:
        decisions_queue(chair, scope_for(chair))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + captured[-1]["sql"])
        found = "\n".join(line for (line,) in cursor.fetchall())

    assert "case_scope_idx" in found, found
    assert "clock_open_due_idx" not in found and "Seq Scan on core_clock" not in found, found


def test_a_provinces_overdue_rows_are_found_from_the_clocks_under_it(country):
    """The overdue filter computed the next deadline of every case or referral of the province
    to keep the late ones: 777 ms for the province's overdue referrals at 1,000,000 cases. It
    reads the province's late clocks from their index instead (core.deadlines.overdue)."""
    province = country["province"]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_clock")
        cursor.execute(WITHOUT_SEQUENTIAL_SCANS)
    lists = {
        "cases_case": case_list(province, overdue=True),
        "referrals_referral": referral_list(province, overdue=True),
    }
    for table, rows in lists.items():
        page = plan(rows.values_list("pk")[:51])
        # The late clocks read once, first, through an index (clock_open_path_idx at 1,000,000
        # cases; on this small country the planner may prefer the index of open clocks by due
        # time), then the rows by their keys (an index scan or a bitmap scan, as the table's
        # statistics say).
        assert "InitPlan" in page and f"{table}_pkey" in page, page
        assert "Index Cond: (id = ANY" in page, page
        assert "Seq Scan on core_clock" not in page and "SubPlan" not in page, page
        assert OPEN_CLOCKS_ONLY.search(page), page


def test_a_provinces_rows_on_time_are_found_from_the_clocks_under_it(country):
    """The filter "not overdue" computed the next deadline of every case or referral of the
    province to keep those on time: 366 ms to count the province's 64,366 referrals on time at
    1,000,000 cases. It takes the keys with a running clock except those with a late one from
    the province's open clocks instead (core.deadlines.on_time)."""
    province = country["province"]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_clock")
        cursor.execute(WITHOUT_SEQUENTIAL_SCANS)
    for rows in (case_list(province, overdue=False), referral_list(province, overdue=False)):
        page = plan(rows.values_list("pk")[:51])
        assert "Except" in page, page
        assert "Seq Scan on core_clock" not in page and "SubPlan" not in page, page
        assert OPEN_CLOCKS_ONLY.search(page), page


def test_the_reports_referral_figures_read_the_referrals_by_the_cases_keys(country):
    """The province-year report found the referrals of the year's cases with a semi-join that
    the planner, expecting four times the cases there were, ran as a hash of every referral of
    the country (1.4 s for the police decisions' timeliness at 1,000,000 cases). The cases' keys
    are read first, then their referrals, then those referrals' clocks, each by key
    (core.deadlines.key_among, reports.timeliness.referrals_of)."""
    province = country["province"]
    with CaptureQueriesContext(connection) as captured:
        indicators_for(user=province, year=timezone.localdate().year, unit="37")
    police = [
        query["sql"]
        for query in captured
        if "referral_complete_police_report" in query["sql"] and '"core_clock"' in query["sql"]
    ]
    referrals = [query["sql"] for query in captured if '"service_status"' in query["sql"]]
    assert police and referrals
    for sql in [*police, *referrals]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            found = "\n".join(line for (line,) in cursor.fetchall())
        assert "InitPlan" in found, found
        assert "Seq Scan on referrals_referral " not in found, found
        assert "Seq Scan on core_clock" not in found, found
