"""Who hears of an inspection (notifications/inspection_subscribers.py), through the real
services and the outbox: the team put on it, how it ended, and a recommendation carried out."""

import datetime

import pytest
from django.utils import timezone

from core.errors import InvalidTransition
from core.models import Agency, RoleMembership, User
from inspections import services
from notifications.models import Notification
from notifications.texts import render
from tests.inspections.factories import LEAD_AGENCY, advance, another_inspector, plan_inspection


def told(event: str) -> set[str]:
    return set(
        Notification.objects.filter(event=event, channel="in_app").values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def team(demo) -> list[User]:
    return [another_inspector("inspector_2"), another_inspector("inspector_3")]


@pytest.fixture
def agency_head(demo) -> User:
    """The head of the agency that leads the inspections (the demo world has none)."""
    head = User.objects.create_user("head_of_health", password="x")
    RoleMembership.objects.create(
        user=head, role="agency_head", agency=Agency.objects.get(name=LEAD_AGENCY)
    )
    return head


def test_the_inspectors_put_on_a_planned_inspection_are_told_but_not_its_planner(
    demo, committed, team
):
    inspection = committed(plan_inspection, demo, members=tuple(team))
    assert told("inspection_team_joined") == {"inspector_2", "inspector_3"}
    notification = Notification.objects.filter(event="inspection_team_joined").first()
    assert notification is not None
    assert notification.params == {"code": inspection.decision_number}
    assert notification.link == f"/inspections/{inspection.pk}/"


def test_an_inspection_planned_alone_tells_nobody(demo, committed):
    committed(plan_inspection, demo)
    assert not Notification.objects.exists()


def test_the_conclusion_tells_the_team_and_the_lead_agencys_head(
    demo, committed, team, agency_head
):
    inspection = advance(plan_inspection(demo, members=tuple(team)), "reporting", demo)
    committed(
        services.inspection_conclude,
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        conclusion="Không phát hiện vi phạm.",
        no_violation_found=True,
    )
    assert told("inspection_concluded") == {"inspector_2", "inspector_3", "head_of_health"}


def test_a_cancelled_inspection_tells_the_team_only(demo, committed, team, agency_head):
    inspection = plan_inspection(demo, members=tuple(team))
    committed(
        services.inspection_cancel,
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        reason="Trùng lịch kiểm tra của Bộ.",
    )
    assert told("inspection_cancelled") == {"inspector_2", "inspector_3"}


def test_a_closed_inspection_tells_the_team(demo, committed, team):
    inspection = advance(plan_inspection(demo, members=tuple(team)), "follow_up", demo)
    committed(services.inspection_close, actor=demo["inspector"], inspection_id=inspection.pk)
    assert told("inspection_closed") == {"inspector_2", "inspector_3"}


def test_the_steps_in_the_field_tell_nobody(demo, committed, team):
    inspection = plan_inspection(demo, members=tuple(team))
    Notification.objects.all().delete()  # the team was told it is on the team
    for name in ("start", "begin_reporting"):
        committed(
            services.STEP_SERVICES[name], actor=demo["inspector"], inspection_id=inspection.pk
        )
    assert not Notification.objects.exists()


def test_a_recommendation_done_by_a_member_tells_the_head_of_the_team(demo, committed, team):
    inspection = advance(plan_inspection(demo, members=tuple(team)), "reporting", demo)
    recommendation = services.recommendation_add(
        actor=team[0],
        inspection_id=inspection.pk,
        action="Niêm yết số Tổng đài 111",
        responsible="Nhà trường",
        due_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    committed(
        services.recommendation_resolve,
        actor=team[0],
        recommendation_id=recommendation.pk,
        done=True,
        evidence="Ảnh chụp",
    )
    assert told("inspection_recommendation_done") == {"inspector"}


def test_a_refused_step_leaves_no_notification(demo, committed, team):
    inspection = plan_inspection(demo, members=tuple(team))
    with pytest.raises(InvalidTransition):
        committed(services.inspection_close, actor=demo["inspector"], inspection_id=inspection.pk)
    assert not Notification.objects.filter(event="inspection_closed").exists()


@pytest.mark.parametrize(
    "event",
    [
        "inspection_team_joined",
        "inspection_concluded",
        "inspection_cancelled",
        "inspection_closed",
        "inspection_recommendation_done",
    ],
)
def test_each_text_names_the_decision_and_nothing_else(event):
    text = render(event, {"code": "01/QĐ-SYT"}, "en")
    assert "01/QĐ-SYT" in text
