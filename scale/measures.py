"""Each measure of issue 17: the app's way (a page through the test client, or a service) beside a
hand-written SQL floor returning the same rows, timed in the same run.

A measure answers `Timing(name, app, floor, queries)`: p50 and p95 of the app and of the floor
over several runs after a warm-up, and the queries one app run makes.
"""

import datetime
import re
import statistics
import time
import tracemalloc
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services as case_services
from cases.models import Case
from cases.selectors import case_list
from cases.views import COUNT_AT_MOST
from cases.views import PAGE_SIZE as WEB_PAGE
from core.keyset import Cursor, Keyset
from core.models import Unit, User
from core.text import fold
from core.throttling import UserRateThrottle
from inspections.views import PAGE_SIZE as INSPECTIONS_PAGE
from notifications.benchmark import delivery_rates
from notifications.delivery import deliver
from notifications.digest import overdue_counts, send_daily_digests
from notifications.models import Notification
from notifications.sweeps import sweep_clocks
from referrals.models import Referral
from referrals.views import INBOX_PAGE
from reports.indicators import Period, indicator_report

PAGE = 50  # the API's page size (REST_FRAMEWORK["PAGE_SIZE"])


@dataclass
class Timing:
    name: str
    app: list[float]
    floor: list[float]
    queries: int

    def line(self) -> str:
        app = percentile(self.app, 50)
        head = f"{self.name:<34} app_p50 {app:9.1f} ms  p95 {percentile(self.app, 95):9.1f}  "
        if not self.floor:  # a measure of what no SQL floor stands for (the request's fixed cost)
            return head + f"floor_p50 {'—':>8} ms  ratio {'—':>6}  queries {self.queries}"
        floor = percentile(self.floor, 50)
        ratio = app / floor if floor else float("inf")
        return head + f"floor_p50 {floor:8.1f} ms  ratio {ratio:6.1f}  queries {self.queries}"


def percentile(values: list[float], share: int) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    if share == 50:
        return statistics.median(ordered)
    return ordered[min(len(ordered) - 1, round(share / 100 * (len(ordered) - 1)))]


def timed(call: Callable[[], object], runs: int, *, warm: bool = True) -> list[float]:
    if warm:
        call()  # warm-up: caches, the scope read once per user
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


class QueryCounter:
    """Counts the statements sent, without keeping them (a sweep sends tens of thousands)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def counted(call: Callable[[], object]) -> int:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        call()
    return counter.count


def sql(statement: str, params: list) -> Callable[[], list]:
    def run() -> list:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()

    return run


def both(*calls: Callable[[], object]) -> Callable[[], object]:
    """The calls one after the other, answering what the last one answers (a floor's rows)."""

    def run() -> object:
        answer = None
        for call in calls:
            answer = call()
        return answer

    return run


def get(client: Client, url: str) -> Callable[[], object]:
    def run() -> object:
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)
        return response

    return run


def web_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# The case list's page as a floor: the page's ids from the scope's index, then for those rows
# only the child, the commune and the next open deadline.
CASE_ROWS = """
WITH page AS (
    SELECT c.id FROM cases_case c {join}
    WHERE {scope} {extra}
    ORDER BY c.received_at {direction}, c.id {direction}
    LIMIT {limit}
)
SELECT c.id, c.code, c.status, c.received_at, ch.full_name, ch.sex, u.name,
       (SELECT min(k.due_at) FROM core_clock k
        WHERE k.subject_type_id = %s AND k.subject_id = c.id
          AND k.met_at IS NULL AND k.stopped_at IS NULL)
FROM page
JOIN cases_case c ON c.id = page.id
JOIN cases_child ch ON ch.id = c.child_id
JOIN core_unit u ON u.id = c.commune_id
ORDER BY c.received_at {direction}, c.id {direction}
"""
CASE_COUNT = "SELECT count(*) FROM cases_case c {join} WHERE {scope} {extra}"
# A unit's cases by the path's prefix; a province's by their stored province (core.scope).
UNIT_SCOPE = "c.unit_path LIKE %s"
PROVINCE_SCOPE = "c.province_path = %s"

REFERRAL_ROWS = """
WITH page AS (
    SELECT r.id FROM referrals_referral r WHERE r.agency_id = ANY(%s) {where}
    ORDER BY r.sent_at {direction}, r.id {direction}
    LIMIT {limit}
)
SELECT r.id, r.service, r.status, r.sent_at, c.code, ch.sex, u.name,
       (SELECT min(k.due_at) FROM core_clock k
        WHERE k.subject_type_id = %s AND k.subject_id = r.id
          AND k.met_at IS NULL AND k.stopped_at IS NULL)
FROM page
JOIN referrals_referral r ON r.id = page.id
JOIN cases_case c ON c.id = r.case_id
JOIN cases_child ch ON ch.id = c.child_id
JOIN core_unit u ON u.id = c.commune_id
ORDER BY r.sent_at {direction}, r.id {direction}
"""


# The agency's inbox: its sections counted, then a page of each (referrals/views.py: inbox).
INBOX_COUNTS = """
SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'accepted'),
       count(*) FILTER (WHERE status NOT IN ('pending', 'accepted'))
FROM referrals_referral WHERE agency_id = ANY(%s)
"""
INBOX_SECTIONS = [
    ("ASC", "AND r.status = 'pending'"),
    ("ASC", "AND r.status = 'accepted'"),
    ("DESC", "AND r.status NOT IN ('pending', 'accepted')"),
]


# The provincial overseers' inspections list (inspections/views.py: inspection_list): its count,
# then its page with the lead agency's name.
INSPECTION_COUNT = "SELECT count(*) FROM inspections_inspection WHERE unit_path LIKE %s"
INSPECTION_ROWS = """
SELECT i.id, i.title, i.kind, i.topic, a.name, i.planned_start, i.planned_end, i.status
FROM inspections_inspection i JOIN core_agency a ON a.id = i.lead_agency_id
WHERE i.unit_path LIKE %s ORDER BY i.planned_start DESC, i.id DESC LIMIT {limit}
"""


def inbox_floor(agencies: list[int], referral_type: int) -> Callable[[], object]:
    return both(
        sql(INBOX_COUNTS, [agencies]),
        *(
            sql(
                REFERRAL_ROWS.format(direction=direction, limit=INBOX_PAGE, where=where),
                [agencies, referral_type],
            )
            for direction, where in INBOX_SECTIONS
        ),
    )


def measures(runs: int, *, sweep: bool = True) -> list[Timing]:
    officer = User.objects.get(username="officer_a")
    province = User.objects.get(username="province")
    police = User.objects.get(username="police")
    commune = officer.memberships.get().unit
    region = province.memberships.get().unit
    assert commune is not None and region is not None
    agencies = list(police.memberships.values_list("agency_id", flat=True))
    forget_throttles([officer, province, police])
    case_type = ContentType.objects.get_for_model(Case).pk
    referral_type = ContentType.objects.get_for_model(Referral).pk
    home, everywhere = f"{commune.path}%", f"{region.path}%"
    name = (
        Case.objects.filter(unit_path__startswith=commune.path)
        .values_list("child__full_name", flat=True)
        .order_by("-id")
        .first()
    )
    province_count = Case.objects.filter(unit_path__startswith=region.path).count()
    last_page = max(1, -(-province_count // PAGE))
    referral_count = police_referrals_count(agencies)
    referral_last = max(1, -(-referral_count // PAGE))

    def case_floor(
        path: str,
        *,
        province: str | None = None,
        extra: str = "",
        params=(),
        direction="DESC",
        limit=PAGE,
        after=(),
        count_at_most: int | None = None,
    ):
        # The child joined to find the page only to search its name: joined always, the planner
        # sorted the commune's cases in parallel workers, three times the app's own statements.
        join = "JOIN cases_child ch ON ch.id = c.child_id" if extra else ""
        keyset = "AND (c.received_at, c.id) < (%s, %s)" if after else ""
        scope, where = (PROVINCE_SCOPE, [province]) if province else (UNIT_SCOPE, [path])
        shape = {"scope": scope, "join": join}
        rows = CASE_ROWS.format(extra=extra + keyset, direction=direction, limit=limit, **shape)
        count = CASE_COUNT.format(extra=extra, **shape)
        bound: list[int] = []
        if count_at_most is not None:  # the web list counts up to its bound (cases/views.py)
            count = f"SELECT count(*) FROM ({count.replace('count(*)', '1')} LIMIT %s) bounded"
            bound = [count_at_most + 1]
        return both(
            sql(count, [*where, *params, *bound]),
            sql(rows, [*where, *params, *after, case_type]),
        )

    def referral_floor(*, direction="DESC", limit=PAGE, after=()):
        keyset = "AND (r.sent_at, r.id) < (%s, %s)" if after else ""
        rows = REFERRAL_ROWS.format(direction=direction, limit=limit, where=keyset)
        return both(
            sql("SELECT count(*) FROM referrals_referral WHERE agency_id = ANY(%s)", [agencies]),
            sql(rows, [agencies, *after, referral_type]),
        )

    search = "AND (c.code LIKE %s OR ch.search_name LIKE %s)"
    needle = name or ""
    # As the app searches (cases/selectors.py): the code upper case, the name folded.
    searched = (f"%{needle.strip().upper()}%", f"%{fold(needle)}%")
    api, web = api_client(officer), web_client(officer)
    province_api, police_api = api_client(province), api_client(police)
    police_web, province_web = web_client(police), web_client(province)
    last_rows = province_count - (last_page - 1) * PAGE
    web_middle = max(1, province_count // WEB_PAGE // 2)
    referral_last_rows = referral_count - (referral_last - 1) * PAGE
    cases = [
        ("officer_api_cases_page1", get(api, "/api/v1/cases/"), case_floor(home)),
        ("officer_web_cases_page1", get(web, "/cases/"), case_floor(home, limit=WEB_PAGE)),
        (
            "officer_api_cases_search",
            get(api, f"/api/v1/cases/?q={quote(needle)}"),
            case_floor(home, extra=search, params=searched),
        ),
        (
            "province_api_cases_last_page",
            get(province_api, f"/api/v1/cases/?page={last_page}"),
            case_floor(everywhere, province=region.path, direction="ASC", limit=last_rows),
        ),
        (
            "police_api_referrals_last_page",
            get(police_api, f"/api/v1/referrals/?page={referral_last}"),
            referral_floor(direction="ASC", limit=referral_last_rows),
        ),
        # The middle of each list, reached by following `next` (core/keyset.py): the rows after
        # the previous page's last, as deep in the list as its first page.
        (
            "province_api_cases_middle_by_cursor",
            get(province_api, next_link(province_api, "/api/v1/cases/", last_page // 2)),
            case_floor(
                everywhere,
                province=region.path,
                after=key_at(CASE_KEYS, [everywhere], last_page // 2),
            ),
        ),
        (
            "police_api_referrals_middle_by_cursor",
            get(police_api, next_link(police_api, "/api/v1/referrals/", referral_last // 2)),
            referral_floor(after=key_at(REFERRAL_KEYS, [agencies], referral_last // 2)),
        ),
        (
            "province_web_cases_middle_by_cursor",
            get(province_web, web_cursor_link(province, everywhere, web_middle)),
            case_floor(
                everywhere,
                province=region.path,
                limit=WEB_PAGE,
                after=key_at(CASE_KEYS, [everywhere], web_middle, size=WEB_PAGE),
                count_at_most=COUNT_AT_MOST,
            ),
        ),
        (
            "province_web_inspections_page1",
            get(province_web, "/inspections/"),
            both(
                sql(INSPECTION_COUNT, [everywhere]),
                sql(INSPECTION_ROWS.format(limit=INSPECTIONS_PAGE), [everywhere]),
            ),
        ),
        (
            "police_web_inbox",
            get(police_web, "/referrals/"),
            inbox_floor(agencies, referral_type),
        ),
    ]
    for label, app, floor in cases:
        if label in SAME_ROWS_CHECKED:
            same_rows(label, app(), floor())
    timings = request_timings(api, runs)
    timings += [
        Timing(label, timed(app, runs), timed(floor, runs), counted(app))
        for label, app, floor in cases
    ]
    timings += replayed_pages_timings(officer, commune, province, police, runs)
    timings.append(report_timing(region, runs=max(1, runs // 3)))
    timings.append(intake_timing(officer, commune, count=200))
    timings.append(digest_timing(runs=max(1, runs // 3)))
    if sweep:
        timings.extend(sweep_timings(runs))
    if settings.REDIS_URL:
        timings.append(delivery_timing(officer, count=1000))
    return timings


def forget_throttles(users: list[User]) -> None:
    """The API counts each user's requests for an hour (core/throttling.py): measures run again
    within the hour would reach the limit and be answered 429. The measured users start afresh;
    the throttles still run, as on every request."""
    throttle = UserRateThrottle()
    keys = [throttle.cache_format % {"scope": throttle.scope, "ident": user.pk} for user in users]
    throttle.cache.delete_many(keys)


def delivery_timing(recipient: User, count: int) -> Timing:
    """One worker delivering `count` in-app notifications through Redis, beside the same worker
    running as many tasks that do nothing (notifications/benchmark.py), in ms per task: a ratio
    of 2 is half the no-op's throughput. The queries are one delivery's, counted in process."""
    rates = delivery_rates(count, purge=True)  # bin/scale's broker: the sweep's tasks

    queries = QueryCounter()

    def counted_delivery() -> None:
        row = Notification.objects.create(
            key="scale:delivery", recipient=recipient, channel="in_app", event="daily_digest"
        )
        with connection.execute_wrapper(queries):
            deliver(row.pk)

    rolled_back(counted_delivery)()
    return Timing(
        f"notification_delivery_ms ({count})",
        [1000 / rates.notifications_per_second],
        [1000 / rates.noops_per_second],
        queries.count,
    )


def digest_timing(runs: int) -> Timing:
    """The daily digest for every user of the country, rolled back, beside its two counts."""
    return Timing(
        "daily_digest_every_user",
        timed(rolled_back(lambda: send_daily_digests(now=timezone.now())), runs),
        timed(lambda: overdue_counts(timezone.now()), runs),
        counted(rolled_back(lambda: send_daily_digests(now=timezone.now()))),
    )


# The lists whose floor is checked to return the page's rows before it is timed.
SAME_ROWS_CHECKED = {
    "officer_api_cases_page1",
    "officer_web_cases_page1",
    "officer_api_cases_search",
    "province_api_cases_last_page",
    "police_api_referrals_last_page",
    "province_api_cases_middle_by_cursor",
    "police_api_referrals_middle_by_cursor",
    "province_web_cases_middle_by_cursor",
}


def same_rows(label: str, response, rows) -> None:
    """A floor must return the rows the page shows (the API's ids, the web list's codes): a floor
    that finds other rows, or none, would pass for a fast one."""
    if hasattr(response, "data"):
        shown, found = [row["id"] for row in response.data["results"]], [row[0] for row in rows]
    else:
        shown, found = re.findall(r'data-case="([^"]+)"', response.text), [row[1] for row in rows]
    if not shown or sorted(shown) != sorted(found):
        raise AssertionError(
            f"{label}: its floor found {len(found)} rows, the page shows {len(shown)}"
        )


def replay_of(
    call: Callable[[], object], *, in_transaction: bool = False
) -> tuple[Callable[[], None], int]:
    """The statements `call` sends, captured once, as a function that runs them again as plain
    SQL (no parameters: the text is run as it is), and their number: what the database alone
    does for `call`, so that beside it the ratio is what Python adds. `in_transaction`: for a
    call that runs in one (a report: its parallel workers are set for its transaction)."""
    with CaptureQueriesContext(connection) as captured:
        call()
    statements = [query["sql"] for query in captured.captured_queries]

    def replayed() -> None:
        with (
            transaction.atomic() if in_transaction else nullcontext(),
            connection.cursor() as cursor,
        ):
            for statement in statements:
                cursor.execute(statement)
                if cursor.description:
                    cursor.fetchall()

    return replayed, len(statements)


def report_timing(province: Unit, runs: int) -> Timing:
    """The province-year indicator report (every table and the timeliness) beside its own
    statements replayed. Its peak memory in Python (tracemalloc, one more run) is in the name."""
    year = timezone.localdate().year

    def report() -> None:
        indicator_report(Period(year, province), now=timezone.now())

    tracemalloc.start()
    report()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    replayed, statements = replay_of(report, in_transaction=True)
    return Timing(
        f"province_year_report (peak {peak:.0f} MB)",
        timed(report, runs),
        timed(replayed, runs),
        statements,
    )


def request_timings(client: APIClient, runs: int) -> list[Timing]:
    """What any API page costs before its own work, then the smallest page with work of its own.

    The API's root sends no statement: its time is the middleware, the authentication, the rate
    limit's Redis round trip and the JSON answer, and it has no floor. `/api/v1/me/` (the user
    and their roles) is beside its own statements replayed: what is left is the ORM and the
    serializer around four statements, not the request's fixed cost."""
    root, me = get(client, "/api/v1/"), get(client, "/api/v1/me/")
    me()  # warm: the scope read once
    replayed, statements = replay_of(me)
    return [
        Timing("request_fixed_cost (GET /api/v1/)", timed(root, runs), [], counted(root)),
        Timing("api_me (GET /api/v1/me/)", timed(me, runs), timed(replayed, runs), statements),
    ]


def replayed_pages_timings(
    officer: User, commune: Unit, province: User, police: User, runs: int
) -> list[Timing]:
    """The pages a walk through every page found growing with the data (docs/performance.md),
    each beside its own statements replayed, rolled back (they write the audit trail): what
    Python adds to the database's work. What the police can see, as the province reviews it;
    the officer's newest case; the homes of the officer, the commune's chair, the police, the
    province and the manager; the province's overdue cases and referrals; the admin's audit
    trail and outbox, as a superuser; the province's referrals and its search by a child's
    name and by one common word."""
    root = User.objects.filter(username="scale_root").first() or User.objects.create_superuser(
        "scale_root", "root@example.org", None
    )
    newest = Case.objects.filter(unit_path__startswith=commune.path).latest("id")
    pages = [
        ("province_web_reach_police", web_client(province), f"/access/users/{police.pk}/"),
        ("officer_web_case_page", web_client(officer), f"/cases/{newest.pk}/"),
        # Each role's home, its work queues (core/queues.py).
        ("officer_web_home", web_client(officer), "/"),
        ("chair_web_home", web_client(User.objects.get(username="chair_a")), "/"),
        ("police_web_home", web_client(police), "/"),
        ("province_web_home", web_client(province), "/"),
        ("manager_web_home", web_client(User.objects.get(username="manager")), "/"),
        # A province's overdue rows, found from its late clocks (core.deadlines.overdue).
        ("province_api_cases_overdue", api_client(province), "/api/v1/cases/?overdue=true"),
        ("province_api_referrals_overdue", api_client(province), "/api/v1/referrals/?overdue=true"),
        ("province_web_cases_overdue", web_client(province), "/cases/?overdue=yes"),
        # And those on time, from its running clocks except the late ones (core.deadlines.on_time).
        ("province_api_cases_on_time", api_client(province), "/api/v1/cases/?overdue=false"),
        (
            "province_api_referrals_on_time",
            api_client(province),
            "/api/v1/referrals/?overdue=false",
        ),
        # A province's rows by its stored column (core.models.units.province_column), and its
        # search finding the children named apart (cases.selectors.named).
        ("province_api_referrals_page1", api_client(province), "/api/v1/referrals/"),
        (
            "province_api_cases_search",
            api_client(province),
            f"/api/v1/cases/?q={quote(newest.child.full_name)}",
        ),
        # One common word: "Trẻ 9" names one generated child in nine, hashed at 100,000 cases
        # and read by each case's key at 1,000,000 (NAMED_HASHED_AT_MOST).
        (
            "province_api_cases_search_word",
            api_client(province),
            f"/api/v1/cases/?q={quote('Trẻ 9')}",
        ),
        ("root_admin_audit_trail", web_client(root), "/admin/core/auditevent/"),
        ("root_admin_outbox", web_client(root), "/admin/notifications/notification/"),
    ]
    timings = []
    for label, client, url in pages:
        page = get(client, url)
        page()  # warm
        replayed, statements = replay_of(page)
        timings.append(
            Timing(label, timed(page, runs), timed(rolled_back(replayed), runs), statements)
        )
    return timings


# The key of a list's last row on a page: where the next page's cursor points.
CASE_KEYS = """
SELECT received_at, id FROM cases_case WHERE unit_path LIKE %s
ORDER BY received_at DESC, id DESC OFFSET %s LIMIT 1
"""
REFERRAL_KEYS = """
SELECT sent_at, id FROM referrals_referral WHERE agency_id = ANY(%s)
ORDER BY sent_at DESC, id DESC OFFSET %s LIMIT 1
"""


def key_at(statement: str, params: list, page: int, size: int = PAGE) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, max(1, page) * size - 1])
        return tuple(cursor.fetchone())


def web_cursor_link(user: User, everywhere: str, page: int) -> str:
    """The Next link of the user's web case list's page `page`, as the page writes it (a page
    past the count's bound is not offered by number, so its last key is read here)."""
    keyset = Keyset.of(case_list(user))
    assert keyset is not None
    key = key_at(CASE_KEYS, [everywhere], page, size=WEB_PAGE)
    return f"/cases/?cursor={keyset.encode(Cursor(page + 1, key, backwards=False))}"


def next_link(client: APIClient, url: str, page: int) -> str:
    """The `next` link of a list's page: the following page, by cursor."""
    link = client.get(url, {"page": max(1, page)}, HTTP_HOST="127.0.0.1").data["next"]
    assert link and "cursor=" in link, f"{url} page {page}: no cursor to follow"
    return link


def police_referrals_count(agencies: list[int]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM referrals_referral WHERE agency_id = ANY(%s)", [agencies]
        )
        (count,) = cursor.fetchone()
    return int(count)


class Rollback(Exception):
    pass


def rolled_back(call: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            with transaction.atomic():
                call()
                raise Rollback
        except Rollback:
            pass

    return run


def due_select(moment: datetime.datetime) -> Callable[[], list]:
    """The floor: the raw select of what is due, by the same partial index."""
    return sql(
        "SELECT id, next_action_at FROM core_clock WHERE next_action_at <= %s "
        "AND met_at IS NULL AND stopped_at IS NULL ORDER BY next_action_at, id",
        [moment],
    )


def sweep_timings(runs: int) -> list[Timing]:
    """The clock sweep twice, each beside the raw select of what it finds due. First the
    generated backlog (about one clock in ten past due; once, it takes minutes), committed: the
    benchmark works in its own database. Then, the backlog swept, the next minute's sweep, rolled
    back each time: the steady state, in which a sweep finds what fell due in that minute."""
    now = timezone.now()
    minute_later = now + datetime.timedelta(minutes=1)
    backlog_floor = timed(due_select(now), 3)
    due = len(due_select(now)())
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        backlog = timed(lambda: sweep_clocks(now=now), 1, warm=False)
    minute = rolled_back(lambda: sweep_clocks(now=minute_later))
    return [
        Timing(f"clock_sweep_backlog ({due} due)", backlog, backlog_floor, counter.count),
        Timing(
            "clock_sweep_next_minute",
            timed(minute, runs),
            timed(due_select(minute_later), runs),
            counted(minute),
        ),
    ]


# What recording one report writes, by hand: the child, the case, its form of abuse, its
# 12-hour clock, its history row and its audit row.
INTAKE_ROWS = [
    """INSERT INTO cases_child (full_name, search_name, sex, estimated_age, estimated_on,
        birth_year, ethnicity, disability, special_circumstances, residence_id, address, school,
        carers, family_circumstances, created_at)
       VALUES ('Trẻ mới', 'tre moi', 'female', 9, current_date, 2017, '01', false, '[]', %(unit)s,
        '', '', '[]', '', now()) RETURNING id""",
    """INSERT INTO cases_case (code, child_id, commune_id, unit_path, status, received_at, channel,
        source, reporter_name, reporter_contact, reporter_address, receiving_body, report_number,
        harm_location, child_location, child_condition, description, likely_harm, actions_taken,
        situation, sexual_abuse_forms, setting, perpetrator_relation, recorded_by_id,
        recorded_by_hotline, dismiss_reason, dismiss_verification, closure_reason, created_at,
        updated_at)
       VALUES ('IN-' || %(child)s, %(child)s, %(unit)s, %(path)s, 'received', now(), 'phone',
        'neighbour', '', '', '', '', '', '', '', '', 'Trẻ bị đánh.', '', '', 'abused', '[]',
        'family', 'unknown', %(user)s, false, '', '', '', now(), now()) RETURNING id""",
    "INSERT INTO cases_caseabuseform (case_id, form) VALUES (%(case)s, 'physical_violence')",
    """INSERT INTO core_clock (kind, subject_type_id, subject_id, unit_path, started_at, due_at,
        escalation_level)
       VALUES ('case_initial_assessment', %(type)s, %(case)s, %(path)s, now(),
        now() + interval '12 hours', 0)""",
    """INSERT INTO cases_caseevent (case_id, actor_id, at, action, from_status, to_status, details)
       VALUES (%(case)s, %(user)s, now(), 'create', '', 'received', '{}')""",
    """INSERT INTO core_auditevent (actor_id, action, object_type, object_id, at, reason, details,
        previous_hash, chain_hash)
       VALUES (%(user)s, 'case.create', 'cases.case', %(case)s::text, now(), '', '{}', '', '')""",
]


def intake_timing(officer: User, commune, *, count: int) -> Timing:
    """`count` reports recorded through the services, beside the same rows inserted by hand,
    each in one rolled-back transaction; in ms per report (lower is better)."""
    case_type = ContentType.objects.get_for_model(Case).pk

    def through_services() -> None:
        try:
            with transaction.atomic():
                for _ in range(count):
                    case_services.case_create(
                        actor=officer,
                        commune=commune,
                        received_at=timezone.now(),
                        channel="phone",
                        source="neighbour",
                        description="Trẻ bị đánh.",
                        situation="abused",
                        abuse_forms=["physical_violence"],
                        setting="family",
                        child=case_services.ChildData(
                            full_name="Trẻ mới", sex="female", estimated_age=9
                        ),
                    )
                raise Rollback
        except Rollback:
            pass

    def by_hand() -> None:
        values = {"unit": commune.pk, "path": commune.path, "user": officer.pk, "type": case_type}
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for _ in range(count):
                    cursor.execute(INTAKE_ROWS[0], values)
                    values["child"] = cursor.fetchone()[0]
                    cursor.execute(INTAKE_ROWS[1], values)
                    values["case"] = cursor.fetchone()[0]
                    for statement in INTAKE_ROWS[2:]:
                        cursor.execute(statement, values)
                raise Rollback
        except Rollback:
            pass

    app = [ms / count for ms in timed(through_services, 3)]
    floor = [ms / count for ms in timed(by_hand, 3)]
    return Timing(f"intake_per_report_ms ({count})", app, floor, counted(through_services) // count)
