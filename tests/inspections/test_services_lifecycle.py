"""Inspections through their services: the lifecycle, its guards, who may act, and what a
finding or a recommendation sets in motion."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case
from core.errors import Forbidden, InvalidTransition, NotFound
from core.models import Agency, Clock, RoleMembership, Unit, User
from inspections import clocks, services
from inspections.models import Inspection, SubjectKind
from inspections.selectors import with_clocks

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

LEAD = "Sở Y tế tỉnh Ninh Bình"


def plan(demo, **overrides) -> Inspection:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "kind": "interagency",
        "topic": "school_violence",
        "title": "Kiểm tra trường học",
        "lead_agency": Agency.objects.get(name=LEAD),
        "decision_number": "01/QĐ-SYT",
        "decision_date": today - datetime.timedelta(days=3),
        "planned_start": today,
        "planned_end": today + datetime.timedelta(days=4),
    }
    return services.inspection_plan(
        actor=demo["inspector"], plan=services.Plan(**(values | overrides))
    )


def step(demo, inspection, name, actor="inspector", **payload) -> Inspection:
    return services.STEP_SERVICES[name](actor=demo[actor], inspection_id=inspection.pk, **payload)


def fine(demo, inspection, **overrides):
    values: dict[str, Any] = {
        "description": "Không niêm yết số Tổng đài 111.",
        "legal_basis": "Nghị định 130/2021/NĐ-CP",
        "responsible": "Hiệu trưởng",
        "sanction": "fine",
        "fine_amount": 5_000_000,
    }
    return services.finding_record(
        actor=demo["inspector"], inspection_id=inspection.pk, **(values | overrides)
    )


def snapshot(inspection: Inspection) -> tuple:
    inspection.refresh_from_db()
    return inspection.status, inspection.events.count(), inspection.findings.count()


@pytest.fixture
def colleague(demo) -> User:
    """Another inspector of the same agency, not on the team unless added."""
    user = User.objects.create_user("inspector_2", password="x")
    RoleMembership.objects.create(user=user, role="inspector", agency=Agency.objects.get(name=LEAD))
    return user


def test_an_inspection_goes_from_planned_to_closed(demo):
    inspection = plan(demo)
    step(demo, inspection, "start")
    finding = fine(demo, inspection, head_held_accountable=True)
    step(demo, inspection, "begin_reporting")
    due = timezone.localdate() + datetime.timedelta(days=30)
    recommendation = services.recommendation_add(
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        finding=finding,
        action="Niêm yết số 111",
        responsible="Nhà trường",
        due_date=due,
    )
    step(demo, inspection, "conclude", conclusion="Có vi phạm.", no_violation_found=False)
    step(demo, inspection, "follow_up")
    services.recommendation_resolve(
        actor=demo["inspector"], recommendation_id=recommendation.pk, done=True, evidence="Ảnh chụp"
    )
    step(demo, inspection, "close")

    inspection.refresh_from_db()
    assert inspection.status == "closed"
    assert (inspection.actual_start, inspection.actual_end) == (timezone.localdate(),) * 2
    assert list(inspection.events.values_list("action", flat=True)) == [
        "plan",
        "start",
        "finding",
        "begin_reporting",
        "recommendation",
        "conclude",
        "follow_up",
        "recommendation_done",
        "close",
    ]


def test_concluding_needs_a_finding_or_a_statement_that_none_was_found(demo):
    inspection = plan(demo)
    step(demo, inspection, "start")
    step(demo, inspection, "begin_reporting")
    before = snapshot(inspection)
    with pytest.raises(InvalidTransition):
        step(demo, inspection, "conclude", conclusion="Không vi phạm.", no_violation_found=False)
    with pytest.raises(ValidationError):
        step(demo, inspection, "conclude", conclusion=" ", no_violation_found=True)
    assert snapshot(inspection) == before
    step(
        demo, inspection, "conclude", conclusion="Không phát hiện vi phạm.", no_violation_found=True
    )
    assert inspection.__class__.objects.get(pk=inspection.pk).no_violation_found


def test_no_violation_cannot_be_claimed_over_recorded_findings(demo):
    inspection = plan(demo)
    step(demo, inspection, "start")
    fine(demo, inspection)
    step(demo, inspection, "begin_reporting")
    with pytest.raises(ValidationError) as refused:
        step(demo, inspection, "conclude", conclusion="…", no_violation_found=True)
    assert "no_violation_found" in refused.value.message_dict


def test_closing_needs_every_recommendation_done_or_waived(demo):
    inspection = plan(demo)
    step(demo, inspection, "start")
    fine(demo, inspection)
    step(demo, inspection, "begin_reporting")
    recommendation = services.recommendation_add(
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        action="…",
        responsible="…",
        due_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    step(demo, inspection, "conclude", conclusion="…", no_violation_found=False)
    step(demo, inspection, "follow_up")
    before = snapshot(inspection)
    with pytest.raises(InvalidTransition, match="1 recommendation is"):
        step(demo, inspection, "close")
    assert snapshot(inspection) == before
    with pytest.raises(ValidationError):
        services.recommendation_resolve(
            actor=demo["inspector"], recommendation_id=recommendation.pk, done=False, reason=""
        )
    services.recommendation_resolve(
        actor=demo["inspector"],
        recommendation_id=recommendation.pk,
        done=False,
        reason="Cơ sở đã giải thể",
    )
    assert not Clock.objects.for_object(recommendation).open().exists()
    step(demo, inspection, "close")


def test_cancelling_needs_a_reason_and_is_refused_once_concluded(demo):
    inspection = plan(demo)
    with pytest.raises(ValidationError):
        step(demo, inspection, "cancel", reason="")
    step(demo, inspection, "cancel", reason="Trùng lịch")
    with pytest.raises(InvalidTransition):
        step(demo, inspection, "start")


def test_a_wrong_state_is_refused_and_changes_nothing(demo):
    inspection = plan(demo)
    before = snapshot(inspection)
    with pytest.raises(InvalidTransition):
        step(demo, inspection, "conclude", conclusion="…", no_violation_found=True)
    with pytest.raises(InvalidTransition):
        fine(demo, inspection)  # findings wait for the inspection to start
    assert snapshot(inspection) == before


def test_a_member_records_findings_but_only_the_lead_runs_the_steps(demo, colleague):
    inspection = plan(demo, members=(colleague,))
    with pytest.raises(Forbidden):
        services.inspection_start(actor=colleague, inspection_id=inspection.pk)
    step(demo, inspection, "start")
    finding = services.finding_record(
        actor=colleague,
        inspection_id=inspection.pk,
        description="…",
        legal_basis="…",
        responsible="…",
        sanction="warning",
    )
    assert finding.author == colleague


@pytest.mark.parametrize("username", ["officer_a", "police", "admin", "chair_a"])
def test_people_outside_inspections_do_not_find_them(demo, username):
    inspection = plan(demo)
    before = snapshot(inspection)
    with pytest.raises(NotFound):
        services.inspection_start(actor=demo[username], inspection_id=inspection.pk)
    assert snapshot(inspection) == before


def test_an_inspector_not_on_the_team_does_not_find_it(demo, colleague):
    inspection = plan(demo)
    with pytest.raises(NotFound):
        services.inspection_start(actor=colleague, inspection_id=inspection.pk)


@pytest.mark.parametrize("username", ["province", "manager"])
def test_overseers_see_every_inspection_but_act_on_none(demo, username):
    from inspections.selectors import inspections_visible_to

    inspection = plan(demo)
    assert inspections_visible_to(demo[username]).filter(pk=inspection.pk).exists()
    with pytest.raises(Forbidden):
        services.inspection_start(actor=demo[username], inspection_id=inspection.pk)


def test_only_inspectors_plan_and_with_their_own_agency(demo):
    with pytest.raises(Forbidden):
        services.inspection_plan(
            actor=demo["officer_a"],
            plan=services.Plan(
                kind="thematic",
                topic="other",
                title="x",
                lead_agency=Agency.objects.get(name=LEAD),
                decision_number="1",
                decision_date=timezone.localdate(),
                planned_start=timezone.localdate(),
                planned_end=timezone.localdate(),
            ),
        )
    with pytest.raises(ValidationError) as refused:
        plan(demo, lead_agency=Agency.objects.get(name="Công an tỉnh Ninh Bình"))
    assert "lead_agency" in refused.value.message_dict
    assert not Inspection.objects.exists()


def test_bad_dates_and_team_are_refused_naming_each_field(demo):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        plan(
            demo,
            planned_end=today - datetime.timedelta(days=1),
            decision_date=today + datetime.timedelta(days=1),
            members=(demo["officer_a"],),
        )
    assert {"planned_end", "decision_date", "members"} <= set(refused.value.message_dict)
    assert not Inspection.objects.exists()


def test_a_fine_needs_an_amount_and_only_a_fine_has_one(demo):
    inspection = plan(demo)
    step(demo, inspection, "start")
    with pytest.raises(ValidationError) as refused:
        fine(demo, inspection, fine_amount=None)
    assert "fine_amount" in refused.value.message_dict
    with pytest.raises(ValidationError):
        fine(demo, inspection, sanction="warning", fine_amount=100)
    assert not inspection.findings.exists()


def test_a_finding_about_a_child_at_risk_opens_a_case_in_the_commune(demo):
    inspection = plan(demo)
    step(demo, inspection, "start")
    commune = Unit.objects.get(structure="2025", code="14329")
    finding = fine(
        demo,
        inspection,
        child=services.ChildAtRisk(
            commune=commune,
            full_name="Lê Văn Tùng",
            sex="male",
            estimated_age=12,
            situation="at_risk",
            abuse_forms=("exploitation",),
            description="Trẻ làm việc đêm tại cơ sở lưu trú.",
        ),
    )
    case = Case.objects.get(pk=finding.case_id)
    assert (case.source, case.commune, case.status) == ("inspection", commune, "received")
    assert case.inspection_finding == finding  # linked both ways
    from cases.selectors import cases_visible_to

    assert cases_visible_to(demo["officer_b"]).filter(pk=case.pk).exists()
    assert not cases_visible_to(demo["inspector"]).filter(pk=case.pk).exists()


def test_a_child_found_at_a_school_is_a_case_harmed_at_school(demo):
    """The figures count cases by setting: a school found using the rod is "school"."""
    school = services.subject_register(
        actor=demo["inspector"],
        kind="school",
        name="Trường THCS Nho Quan",
        unit=Unit.objects.get(structure="2025", code="14428"),
    )
    inspection = plan(demo, subjects=(school,))
    step(demo, inspection, "start")
    finding = fine(
        demo,
        inspection,
        subject=school,
        child=services.ChildAtRisk(
            commune=Unit.objects.get(structure="2025", code="14428"),
            full_name="Lê Văn Tùng",
            sex="male",
            estimated_age=12,
            situation="abused",
            abuse_forms=("physical_violence",),
            description="Giáo viên dùng roi đánh học sinh.",
        ),
    )

    case = Case.objects.get(pk=finding.case_id)
    assert (case.setting, case.harm_location) == ("school", "Trường THCS Nho Quan")


def test_a_recommendation_runs_a_clock_to_the_end_of_its_due_date(demo):
    inspection = plan(demo)
    step(demo, inspection, "start")
    step(demo, inspection, "begin_reporting")
    due = timezone.localdate() + datetime.timedelta(days=14)
    recommendation = services.recommendation_add(
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        action="…",
        responsible="…",
        due_date=due,
    )
    clock = Clock.objects.for_object(recommendation).get(kind=clocks.RECOMMENDATION)
    local = timezone.localtime(clock.due_at)  # 24:00 of the due date
    assert (local.date(), local.hour, local.minute) == (due + datetime.timedelta(days=1), 0, 0)
    # Civil Code 2015 Art. 148(1): on time until 24:00 of its last day.
    last_minute = datetime.datetime.combine(due, datetime.time(23, 59, 30), tzinfo=VIETNAM)
    with time_machine.travel(last_minute, tick=False):
        assert not with_clocks([recommendation])[0].is_overdue
    with time_machine.travel(last_minute + datetime.timedelta(minutes=1), tick=False):
        assert with_clocks([recommendation])[0].is_overdue
    with pytest.raises(ValidationError):
        services.recommendation_add(
            actor=demo["inspector"],
            inspection_id=inspection.pk,
            action="…",
            responsible="…",
            due_date=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_an_overdue_recommendation_notifies_the_head_of_the_team(demo):
    from notifications.models import Notification
    from notifications.sweeps import sweep_clocks

    inspection = plan(demo)
    step(demo, inspection, "start")
    step(demo, inspection, "begin_reporting")
    recommendation = services.recommendation_add(
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        action="…",
        responsible="…",
        due_date=timezone.localdate(),
    )
    clock = Clock.objects.for_object(recommendation).get()
    sweep_clocks(now=clock.due_at + datetime.timedelta(minutes=5))
    breached = Notification.objects.filter(event="clock_breached", channel="in_app")
    assert [n.recipient.username for n in breached] == ["inspector"]
    assert breached.get().params["code"] == inspection.decision_number


def test_the_subject_registry_is_shared_across_inspections(demo):
    unit = Unit.objects.get(structure="2025", code="14428")
    first = services.subject_register(
        actor=demo["inspector"], kind=SubjectKind.SCHOOL, name="Trường A", unit=unit
    )
    again = services.subject_register(
        actor=demo["inspector"], kind=SubjectKind.SCHOOL, name=" Trường A ", unit=unit
    )
    assert first == again
    one = plan(demo, subjects=(first,))
    two = plan(demo, subjects=(first,), title="Lần hai")
    assert set(first.inspections.all()) == {one, two}
    with pytest.raises(Forbidden):
        services.subject_register(actor=demo["officer_a"], kind="school", name="B", unit=unit)
