"""The daily digest's cost does not grow with the number of users told (issue 17): two grouped
counts, the roles, the users, and one notice per distinct count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import RoleMembership, Unit, User
from notifications.digest import overdue_per_user, send_daily_digests
from notifications.models import Notification
from tests.cases.factories import make_case
from tests.inspections.factories import late_recommendation

pytestmark = pytest.mark.django_db


def late(demo, officer: str, commune: str) -> None:
    make_case(
        demo[officer],
        commune_code=commune,
        received_at=timezone.now() - datetime.timedelta(hours=13),
    )


def queries_of_a_digest(now: datetime.datetime) -> int:
    with CaptureQueriesContext(connection) as captured:
        send_daily_digests(now=now)
    Notification.objects.filter(event="daily_digest").delete()
    return len(captured)


def test_the_digest_costs_the_same_for_many_more_users(demo):
    now = timezone.now()
    late(demo, "officer_a", "14428")
    late(demo, "officer_b", "14329")
    queries_of_a_digest(now)  # once for the content types' cache
    few = queries_of_a_digest(now)
    commune = Unit.objects.get(structure="2025", code="14428")
    for n in range(5):
        colleague = User.objects.create_user(f"officer_{n}", password="x")
        RoleMembership.objects.create(user=colleague, role="commune_officer", unit=commune)
    # Both communes' staff, the five colleagues and the province's officer.
    assert len(overdue_per_user(now)) == 10
    assert queries_of_a_digest(now) == few


def test_each_is_counted_once_across_their_roles(demo):
    late(demo, "officer_a", "14428")
    chair = demo["chair_a"]
    # The chair also holds the officer's role in the same commune: still one overdue item.
    RoleMembership.objects.create(
        user=chair, role="commune_officer", unit=Unit.objects.get(structure="2025", code="14428")
    )
    assert overdue_per_user(timezone.now())[chair.pk] == 1


def test_the_province_is_told_of_its_communes_and_the_team_of_its_recommendations(demo, hanoi):
    """The provincial officer answers for where deadlines slip in the province (the escalation's
    last step); an inspection team for its recommendations past their due date."""
    late(demo, "officer_a", "14428")
    late(demo, "officer_b", "14329")
    late_recommendation(demo, days_late=2)

    totals = overdue_per_user(timezone.now())

    assert totals[demo["province"].pk] == 2  # both communes' overdue cases
    assert totals[demo["inspector"].pk] == 1  # the recommendation, the lead's team
    assert totals[demo["officer_a"].pk] == 1  # the commune's own, as before
    assert hanoi.officer.pk not in totals and demo["manager"].pk not in totals
