"""Homes are work queues: each role's home lists what waits for it, most urgent first, each
queue read with one query (issue 14)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import clocks as case_clocks
from cases import services as case_services
from cases.models import Case
from cases.panels import (
    decisions_queue,
    due_soon_queue,
    emergencies_queue,
    overdue_by_commune_queue,
    overdue_queue,
)
from core.clock_law import kind_label
from core.models import Clock, Role, RoleMembership
from core.queues import SHOWN
from core.scope import scope_for
from inspections import services as inspection_services
from inspections.panels import inspections_panel
from referrals import services as referral_services
from referrals.panels import agency_queues, outgoing_queue
from reports.panels import figures_panel, key_figures
from tests.cases.factories import make_case
from tests.inspections.factories import late_recommendation
from tests.referrals.helpers import agency, refer, sexual_abuse_case


@pytest.fixture(autouse=True)
def warm_caches(db):
    # The content types are cached once per process: not a cost of the queue.
    ContentType.objects.get_for_model(Case)


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def scoped(user):
    scope_for(user)  # read once per request, before the queues
    return user


def test_the_officer_sees_overdue_then_due_soon_most_urgent_first(demo, django_assert_num_queries):
    officer = scoped(demo["officer_a"])
    later = make_case(officer, received_at=hours_ago(13), full_name="Lê Văn An")
    earlier = make_case(officer, received_at=hours_ago(20), full_name="Lê Văn Bình")
    soon = make_case(officer, received_at=hours_ago(2), full_name="Lê Văn Cường")
    make_case(demo["officer_b"], commune_code="14329", received_at=hours_ago(30))

    with django_assert_num_queries(1):
        overdue = overdue_queue(officer)
    with django_assert_num_queries(1):
        due = due_soon_queue(officer)

    assert [row.title for row in overdue.rows] == [earlier.code, later.code]
    assert all(row.overdue for row in overdue.rows)
    assert [row.title for row in due.rows] == [soon.code]
    # Each row says which deadline it is: here the first assessment's 12 hours.
    assert all(
        row.text.endswith(f" · {kind_label(case_clocks.INITIAL_ASSESSMENT)}")
        for row in [*overdue.rows, *due.rows]
    )


def test_the_officer_sees_the_emergencies_the_longest_first(demo, django_assert_num_queries):
    """An emergency runs no clock: without its own queue, one declared weeks ago was nowhere."""
    officer = scoped(demo["officer_a"])
    cases = []
    for name in ("Lê Văn An", "Lê Văn Bình"):
        case = make_case(officer, received_at=hours_ago(3), full_name=name)
        case_services.case_declare_emergency(
            actor=officer,
            case_id=case.pk,
            danger="Bị đánh.",
            measures_taken="Đưa sang nhà hàng xóm.",
            harm_level="high",
            confirmed="abuse",
        )
        cases.append(case)
    make_case(officer, received_at=hours_ago(3))  # no emergency: not listed

    with django_assert_num_queries(1):
        emergencies = emergencies_queue(officer)

    assert [row.title for row in emergencies.rows] == [case.code for case in cases]
    assert "Lê Văn An" in str(emergencies.rows[0].text)


def test_the_officer_sees_declined_referrals_before_those_awaiting_acceptance(
    demo, django_assert_num_queries
):
    officer = scoped(demo["officer_a"])
    case = sexual_abuse_case(demo)
    refer(demo, case, "police_report")
    legal = refer(demo, case, "legal_aid")
    referral_services.referral_decline(
        actor=demo["legalaid"], referral_id=legal.pk, reason="Quá tải."
    )

    with django_assert_num_queries(1):
        queue = outgoing_queue(officer)

    assert [row.title.split(" · ")[1] for row in queue.rows] == [
        "Legal aid",
        "Crime report to the police",
    ]
    # Referred again to another agency: the decline is no longer work.
    refer(demo, case, "legal_aid")
    titles = [row.title for row in outgoing_queue(officer).rows]
    assert sum("Legal aid" in t for t in titles) == 1


def test_the_chair_sees_the_decisions_waiting_by_their_clock(demo, django_assert_num_queries):
    chair = demo["chair_a"]
    scope = scope_for(chair)
    case = sexual_abuse_case(demo)
    case_services.case_declare_emergency(
        actor=demo["officer_a"],
        case_id=case.pk,
        danger="Nguy hiểm.",
        measures_taken="Đưa đến nhà bà.",
        separation_proposed=True,
        placement="Nhà bà ngoại",
        harm_level="high",
        confirmed="abuse",
    )

    with django_assert_num_queries(1):
        queue = decisions_queue(chair, scope)

    assert [row.title for row in queue.rows] == [case.code]
    assert "Separation from the carer to decide" in str(queue.rows[0].text)
    assert queue.rows[0].due_at is not None
    assert decisions_queue(demo["chair_b"], scope_for(demo["chair_b"])).rows == []


def test_the_agency_sees_what_to_accept_and_its_head_what_is_unassigned(
    demo, django_assert_num_queries
):
    case = sexual_abuse_case(demo)
    refer(demo, case, "police_report")
    staff = scoped(demo["police"])

    with django_assert_num_queries(2):
        queues = agency_queues(staff, scope_for(staff))

    assert [q.key for q in queues] == ["to-accept", "in-progress"]
    assert [row.title for row in queues[0].rows] == [f"{case.code} · Crime report to the police"]
    # Before acceptance the agency reads the summary only: no child's name in the row.
    assert "Đinh Thị Hoa" not in str(queues[0].rows[0].text)

    RoleMembership.objects.create(
        user=demo["forensic"], role=Role.AGENCY_HEAD, agency=agency("police_report")
    )
    head = demo["forensic"]
    head._checho_scope = None
    scope = scope_for(head)
    with django_assert_num_queries(3):
        queues = agency_queues(head, scope)
    assert [q.key for q in queues] == ["to-accept", "in-progress", "unassigned"]
    assert len(queues[2].rows) == 1


def test_the_province_sees_overdue_cases_by_commune(demo, django_assert_num_queries):
    province = scoped(demo["province"])
    for _ in range(2):
        make_case(demo["officer_a"], received_at=hours_ago(20))
    make_case(demo["officer_b"], commune_code="14329", received_at=hours_ago(20))

    with django_assert_num_queries(1):
        queue = overdue_by_commune_queue(province)

    assert [row.text for row in queue.rows] == ["2 overdue cases", "1 overdue case"]
    assert "commune=14428" in queue.rows[0].url


def test_the_inspector_sees_inspections_and_late_recommendations(
    rf, demo, django_assert_num_queries
):
    recommendation = late_recommendation(demo, days_late=3)
    inspection = recommendation.inspection
    inspector = scoped(demo["inspector"])
    request = rf.get("/")
    request.user = inspector

    with django_assert_num_queries(2):
        panel = inspections_panel(request, scope_for(inspector))

    assert panel is not None
    upcoming, late = panel.context["queues"]
    assert inspection.title in [row.title for row in upcoming.rows]
    assert [row.due_on for row in late.rows] == [recommendation.due_date]
    assert late.rows[0].overdue


def test_a_cancelled_inspections_recommendations_are_not_late(rf, demo):
    # Cancelling stops the recommendations' clocks (nothing is asked of them any more) and they
    # cannot be resolved: listed as late, they would stay in the queue for ever.
    inspection = late_recommendation(demo, days_late=3).inspection
    request = rf.get("/")
    request.user = scoped(demo["inspector"])

    def late_queue():
        panel = inspections_panel(request, scope_for(request.user))
        assert panel is not None
        return panel.context["queues"][1]

    late_before = late_queue()
    inspection_services.inspection_cancel(
        actor=demo["inspector"], inspection_id=inspection.pk, reason="Trùng lịch"
    )
    late = late_queue()

    assert len(late_before.rows) == 1 and late.rows == []


def test_the_manager_sees_the_years_figures_small_counts_hidden(
    rf, demo, django_assert_num_queries
):
    for _ in range(6):
        make_case(demo["officer_a"])
    make_case(demo["officer_b"], commune_code="14329", received_at=hours_ago(20))
    manager = scoped(demo["manager"])
    scope = scope_for(manager)

    with django_assert_num_queries(1):
        figures = key_figures(scope, timezone.localdate().year)
    assert figures["received"] == 7 and figures["open"] == 7 and figures["overdue"] == 1

    request = rf.get("/")
    request.user = manager
    panel = figures_panel(request, scope)
    assert panel is not None
    shown = {key: value for key, _label, value in panel.context["figures"]}
    assert shown["received"] == "7"
    assert shown["overdue"] == "<5" and shown["closed"] == "0"


@pytest.mark.parametrize(
    ("username", "queue_ids"),
    [
        (
            "officer_a",
            ["queue-overdue", "queue-due-soon", "queue-transfers", "queue-referrals-waiting"],
        ),
        ("chair_a", ["queue-decisions"]),
        ("police", ["queue-to-accept", "queue-in-progress"]),
        ("inspector", ["queue-inspections-next", "queue-recommendations-overdue"]),
        ("province", ["queue-overdue-by-commune"]),
        ("manager", ["figures-panel"]),
    ],
)
def test_each_roles_home_shows_its_queues(client, demo, username, queue_ids):
    client.force_login(demo[username])

    response = client.get(reverse("home"))

    assert response.status_code == 200
    for queue_id in queue_ids:
        assert f'id="{queue_id}"' in response.text


def test_an_agency_outside_the_case_sees_nothing_of_it(demo):
    case = sexual_abuse_case(demo)
    refer(demo, case, "police_report")
    hospital = scoped(demo["hospital"])

    queues = agency_queues(hospital, scope_for(hospital))

    assert all(q.rows == [] for q in queues)


def test_a_queue_picks_its_rows_by_deadline_before_joining_them(demo):
    # Read as one plain query, the database joined every referral waiting for the agency to its
    # case, child and commune, then sorted them all by their deadline (127 ms for 3,986 waiting
    # at 1,000,000 cases): the first rows' keys are now found by the deadline alone.
    police = scoped(demo["police"])
    waiting = [refer(demo, sexual_abuse_case(demo), "police_report") for _ in range(SHOWN + 3)]
    hours = [5, 1, 9, 3, 11, 7, 2, 10, 4, 8, 6]
    for referral, hour in zip(waiting, hours, strict=True):
        due = timezone.now() + datetime.timedelta(hours=hour)
        assert Clock.objects.for_object(referral).open().update(due_at=due) == 1
    most_urgent = [referral for _hour, referral in sorted(zip(hours, waiting, strict=True))]

    with CaptureQueriesContext(connection) as captured:
        to_accept = agency_queues(police, scope_for(police))[0]

    expected = [reverse("referrals:detail", args=[r.pk]) for r in most_urgent[:SHOWN]]
    assert [row.url for row in to_accept.rows] == expected
    assert to_accept.more
    statement = captured[0]["sql"]
    assert "IN (SELECT" in statement, statement
    keys = statement[statement.index("IN (SELECT") :]
    assert f"LIMIT {SHOWN + 1}" in keys and "cases_child" not in keys, statement
