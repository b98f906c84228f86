"""The Decree 56 procedure through the services, as the demo roles run it."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import clocks, services
from cases.closure import WorkChoice, _blockers, register_closure_blocker
from cases.models import Case, CaseEvent, SeparationDecision
from core.errors import Forbidden, InvalidTransition, NotFound
from core.models import AuditEvent, Clock, Unit


def commune(code: str) -> Unit:
    return Unit.objects.get(structure="2025", code=code)


def record(actor, code: str = "14428", **overrides) -> Case:
    values: dict[str, Any] = {
        "commune": commune(code),
        "received_at": timezone.now() - datetime.timedelta(hours=1),
        "channel": "phone",
        "source": "neighbour",
        "description": "Trẻ bị đánh.",
        "situation": "abused",
        "abuse_forms": ["physical_violence"],
        "setting": "family",
        "child": services.ChildData(full_name="Nguyễn Thị Lan", sex="female", estimated_age=9),
    }
    return services.case_create(actor=actor, **(values | overrides))


def plan_payload() -> dict:
    return {
        "assessment_summary": "Đánh giá chi tiết.",
        "needs": "Y tế, tâm lý.",
        "meeting_held_at": timezone.now(),
        "meeting_participants": "Cán bộ xã, gia đình",
        "meeting_minutes": "Biên bản.",
        "goals": "Trẻ an toàn.",
        "measures": [services.MeasureData("psychosocial", "Tư vấn tâm lý", 14)],
    }


CLOSE_PAYLOAD = {
    "remaining_harm": "low",
    "perpetrator_access": "low",
    "care_obstacles": "medium",
    "resilience": "high",
    "reason": "goals_met",
}


def open_clock_kinds(case: Case) -> set[str]:
    return set(Clock.objects.for_object(case).open().values_list("kind", flat=True))


def snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    clocks_state = list(
        Clock.objects.for_object(case).values_list("kind", "met_at", "stopped_at").order_by("id")
    )
    return case.status, case.events.count(), clocks_state


def test_a_case_goes_from_intake_to_closure(demo):
    officer, chair = demo["officer_a"], demo["chair_a"]
    # "other" needs no service by the default pathway, so nothing but the workflow blocks closing.
    case = record(officer, abuse_forms=["other"])
    assert case.code.startswith(f"37-{timezone.localdate().year}-")
    assert open_clock_kinds(case) == {clocks.INITIAL_ASSESSMENT}

    services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="medium",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="…",
    )
    assert open_clock_kinds(case) == {clocks.PLAN_SUBMISSION}
    services.case_submit_plan(actor=officer, case_id=case.pk, **plan_payload())
    assert open_clock_kinds(case) == {clocks.PLAN_DECISION}
    services.case_approve_plan(actor=chair, case_id=case.pk, decision_number="01/QĐ")
    assert open_clock_kinds(case) == {clocks.REVIEW}
    services.case_start_review(actor=officer, case_id=case.pk)
    assert open_clock_kinds(case) == {clocks.REVIEW_CONCLUSION}
    services.case_propose_closure(actor=officer, case_id=case.pk, **CLOSE_PAYLOAD)
    assert open_clock_kinds(case) == {clocks.CLOSURE_DECISION}
    measure = case.plans.get().measures.get()
    services.case_close(
        actor=chair,
        case_id=case.pk,
        work={f"measure:{measure.pk}": WorkChoice("completed")},
    )

    case.refresh_from_db()
    assert case.status == "closed"
    assert case.closure_reason == "goals_met"
    assert open_clock_kinds(case) == set()
    assert list(case.events.values_list("action", flat=True)) == [
        "create",
        "assess_initial",
        "submit_plan",
        "approve_plan",
        "start_review",
        "propose_closure",
        "close",
    ]
    closure = case.closureassessments.get()
    assert (closure.outcome, closure.author, closure.decided_by) == ("closed", officer, chair)
    assert list(closure.work_decisions.values_list("key", "decision")) == [
        (f"measure:{measure.pk}", "completed")
    ]
    assert AuditEvent.objects.filter(object_id=str(case.pk), action="case.close").count() == 1


def test_the_history_records_who_moved_the_case_from_which_state(demo):
    case = record(demo["officer_a"])
    services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="…",
    )
    event = case.events.get(action="assess_initial")
    assert (event.actor, event.from_status, event.to_status) == (
        demo["officer_a"],
        "received",
        "assessment",
    )


def test_a_wrong_state_is_refused_and_changes_nothing(demo):
    case = record(demo["officer_a"])
    before = snapshot(case)
    with pytest.raises(InvalidTransition):
        services.case_approve_plan(actor=demo["chair_a"], case_id=case.pk, decision_number="1")
    assert snapshot(case) == before


def test_a_wrong_role_is_refused_and_changes_nothing(demo):
    case = record(demo["officer_a"])
    before = snapshot(case)
    with pytest.raises(Forbidden):
        services.case_assess_initial(
            actor=demo["chair_a"],
            case_id=case.pk,
            harm_level="low",
            immediate_danger=False,
            confirmed="risk",
            safety_measures="Ở nhà bà.",
            findings="",
        )
    assert snapshot(case) == before


@pytest.mark.parametrize(
    "username", ["officer_b", "chair_b", "manager", "inspector", "admin", "police"]
)
def test_a_case_out_of_scope_is_not_found(demo, username):
    case = record(demo["officer_a"])
    before = snapshot(case)
    with pytest.raises(NotFound):
        services.case_assess_initial(
            actor=demo[username],
            case_id=case.pk,
            harm_level="low",
            immediate_danger=False,
            confirmed="risk",
            safety_measures="Ở nhà bà.",
            findings="",
        )
    assert snapshot(case) == before


def test_a_plan_without_measures_is_refused_and_changes_nothing(demo):
    case = record(demo["officer_a"])
    services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    before = snapshot(case)
    with pytest.raises(ValidationError) as refused:
        services.case_submit_plan(
            actor=demo["officer_a"], case_id=case.pk, **plan_payload() | {"measures": []}
        )
    assert "measures" in refused.value.message_dict
    assert snapshot(case) == before
    assert case.plans.count() == 0


def test_an_emergency_from_intake_needs_form_02_and_meets_the_12_hour_clock(demo):
    case = record(demo["officer_a"])
    before = snapshot(case)
    with pytest.raises(ValidationError) as refused:
        services.case_declare_emergency(
            actor=demo["officer_a"], case_id=case.pk, danger="Bị đe dọa", measures_taken="Đưa đi"
        )
    assert set(refused.value.message_dict) == {"harm_level", "confirmed"}  # both of Form 02
    with pytest.raises(ValidationError) as refused:
        services.case_declare_emergency(
            actor=demo["officer_a"],
            case_id=case.pk,
            danger="Bị đe dọa",
            measures_taken="Đưa đi",
            harm_level="high",
            confirmed="maybe",
        )
    assert set(refused.value.message_dict) == {"confirmed"}
    assert snapshot(case) == before

    services.case_declare_emergency(
        actor=demo["officer_a"],
        case_id=case.pk,
        danger="Bị đe dọa",
        measures_taken="Đưa đến nhà người thân",
        harm_level="high",
        confirmed="abuse",
    )
    case.refresh_from_db()
    assert case.status == "emergency"
    assessment = case.initialassessments.get()
    assert (assessment.immediate_danger, assessment.confirmed) == (True, "abuse")
    assert Clock.objects.for_object(case).get(kind=clocks.INITIAL_ASSESSMENT).met_at is not None


def test_a_proposed_separation_waits_for_the_chair_before_the_emergency_ends(demo):
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = record(officer)
    services.case_declare_emergency(
        actor=officer,
        case_id=case.pk,
        danger="Cha đánh trẻ",
        measures_taken="Tạm lánh",
        harm_level="high",
        confirmed="abuse",
        separation_proposed=True,
        placement="Nhà bà ngoại",
    )
    decision = SeparationDecision.objects.get(case=case)
    with pytest.raises(InvalidTransition):
        services.case_end_emergency(
            actor=officer, case_id=case.pk, measures_applied="…", safe_location="…"
        )
    with pytest.raises(Forbidden):
        services.separation_decide(
            actor=officer, decision_id=decision.pk, approve=True, placement="Nhà bà"
        )

    assert clocks.SEPARATION_DECISION in open_clock_kinds(case)
    services.separation_decide(
        actor=chair, decision_id=decision.pk, approve=True, placement="Nhà bà ngoại", period_days=7
    )
    services.case_end_emergency(
        actor=officer, case_id=case.pk, measures_applied="Ở với bà", safe_location="Nhà bà ngoại"
    )
    case.refresh_from_db()
    assert case.status == "assessment"
    # The separation runs on after the emergency, until its end (a clock) or its revocation.
    assert open_clock_kinds(case) == {clocks.PLAN_SUBMISSION, clocks.SEPARATION_END}


def test_a_duplicate_is_dismissed_against_a_visible_case_only(demo):
    first = record(demo["officer_a"])
    second = record(demo["officer_a"])
    other_commune = record(demo["officer_b"], code="14329")
    # Each mistake is named: nothing typed, the report itself, a code out of the officer's sight.
    for code, says in [
        ("", "Give the code of the case this one duplicates."),
        (second.code, "A report cannot duplicate itself: give the code of the other case."),
        (other_commune.code, f"No case of yours has the code {other_commune.code}."),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.case_dismiss(
                actor=demo["officer_a"],
                case_id=second.pk,
                reason="duplicate",
                duplicate_of_code=code,
            )
        assert refused.value.message_dict == {"duplicate_of": [says]}
    second.refresh_from_db()
    assert second.status == "received"
    services.case_dismiss(
        actor=demo["officer_a"], case_id=second.pk, reason="duplicate", duplicate_of_code=first.code
    )
    second.refresh_from_db()
    assert (second.status, second.duplicate_of) == ("closed", first)
    assert open_clock_kinds(second) == set()


def test_a_closure_blocker_from_another_app_stops_the_close(demo):
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = record(officer, abuse_forms=["other"])
    services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    services.case_submit_plan(actor=officer, case_id=case.pk, **plan_payload())
    services.case_approve_plan(actor=chair, case_id=case.pk, decision_number="1")
    services.case_start_review(actor=officer, case_id=case.pk)
    services.case_propose_closure(actor=officer, case_id=case.pk, **CLOSE_PAYLOAD)
    work = {f"measure:{case.plans.get().measures.get().pk}": WorkChoice("completed")}

    def police_not_done(blocked: Case) -> list[str]:
        return ["The police report is not completed."] if blocked.pk == case.pk else []

    register_closure_blocker(police_not_done)
    try:
        before = snapshot(case)
        with pytest.raises(InvalidTransition, match="police report"):
            services.case_close(actor=chair, case_id=case.pk, work=work)
        assert snapshot(case) == before
        listed = {t.name: t for t in services.transitions_for(actor=chair, case=case)}
        assert listed["close"].allowed is False
        assert listed["close"].missing == ["The police report is not completed."]
    finally:
        _blockers.remove(police_not_done)
    services.case_close(actor=chair, case_id=case.pk, work=work)


def test_a_returned_plan_goes_back_to_assessment_and_can_be_resubmitted(demo):
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = record(officer)
    services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    services.case_submit_plan(actor=officer, case_id=case.pk, **plan_payload())
    services.case_return_plan(actor=chair, case_id=case.pk, comments="Bổ sung biện pháp học tập")
    case.refresh_from_db()
    assert case.status == "assessment"
    assert case.plans.get().outcome == "returned"
    services.case_submit_plan(actor=officer, case_id=case.pk, **plan_payload())
    services.case_approve_plan(actor=chair, case_id=case.pk, decision_number="2")
    assert sorted(case.plans.values_list("outcome", flat=True)) == ["approved", "returned"]


def test_a_closed_case_reopens_as_a_new_report_with_a_12_hour_clock(demo):
    case = record(demo["officer_a"])
    services.case_dismiss(
        actor=demo["officer_a"],
        case_id=case.pk,
        reason="unfounded",
        verification="Đã gặp gia đình.",
    )
    services.case_reopen(actor=demo["officer_a"], case_id=case.pk, information="Có tin mới")
    case.refresh_from_db()
    assert (case.status, case.dismiss_reason, case.closed_at) == ("received", "", None)
    assert open_clock_kinds(case) == {clocks.INITIAL_ASSESSMENT}
    reopened = Clock.objects.for_object(case).open().get(kind=clocks.INITIAL_ASSESSMENT)
    assert reopened.due_at - reopened.started_at == datetime.timedelta(hours=12)
    assert reopened.started_at > case.received_at


def test_the_hotline_sees_its_report_until_the_commune_takes_it(demo):
    from cases.selectors import cases_visible_to

    case = record(demo["hotline"], code="14329")
    assert case.recorded_by_hotline
    assert cases_visible_to(demo["hotline"]).filter(pk=case.pk).exists()
    assert not cases_visible_to(demo["officer_a"]).filter(pk=case.pk).exists()

    services.case_assess_initial(
        actor=demo["officer_b"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    assert not cases_visible_to(demo["hotline"]).filter(pk=case.pk).exists()


@pytest.mark.parametrize("username", ["manager", "police", "chair_a", "officer_b", "inspector"])
def test_only_the_communes_officer_or_the_hotline_may_record(demo, username):
    with pytest.raises(Forbidden):
        record(demo[username])
    assert Case.objects.count() == 0


def test_reading_a_case_is_audited(demo):
    case = record(demo["officer_a"])
    services.case_open(actor=demo["province"], case_id=case.pk)
    assert AuditEvent.objects.filter(
        actor=demo["province"], action="case.read", object_type="cases.case", object_id=str(case.pk)
    ).exists()


def test_a_transfer_moves_the_case_with_its_history_when_accepted(demo):
    case = record(demo["officer_a"])
    transfer = services.case_transfer_request(
        actor=demo["officer_a"],
        case_id=case.pk,
        to_commune=commune("14329"),
        reason="Gia đình chuyển nhà",
    )
    with pytest.raises(InvalidTransition):
        services.case_transfer_request(
            actor=demo["officer_a"], case_id=case.pk, to_commune=commune("14329"), reason="again"
        )
    with pytest.raises(Forbidden):
        services.case_transfer_decide(actor=demo["chair_b"], transfer_id=transfer.pk, accept=True)
    with pytest.raises(NotFound):
        services.case_transfer_decide(actor=demo["manager"], transfer_id=transfer.pk, accept=True)

    services.case_transfer_decide(actor=demo["officer_b"], transfer_id=transfer.pk, accept=True)
    case.refresh_from_db()
    assert case.commune.code == "14329"
    assert case.unit_path == "2025/37/14329/"
    assert case.events.count() == CaseEvent.objects.filter(case=case).count() == 3
    assert Clock.objects.for_object(case).get().unit_path == "2025/37/14329/"
    services.case_assess_initial(
        actor=demo["officer_b"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    with pytest.raises(NotFound):
        services.case_open(actor=demo["officer_a"], case_id=case.pk)


def test_a_declined_transfer_leaves_the_case_where_it_was(demo):
    case = record(demo["officer_a"])
    transfer = services.case_transfer_request(
        actor=demo["officer_a"], case_id=case.pk, to_commune=commune("14329"), reason="…"
    )
    services.case_transfer_decide(actor=demo["officer_b"], transfer_id=transfer.pk, accept=False)
    case.refresh_from_db()
    assert case.commune.code == "14428"
    with pytest.raises(NotFound):
        services.case_open(actor=demo["officer_b"], case_id=case.pk)


def test_intake_rejects_a_report_from_the_future_and_creates_nothing(demo):
    with pytest.raises(ValidationError) as refused:
        record(demo["officer_a"], received_at=timezone.now() + datetime.timedelta(days=1))
    assert "received_at" in refused.value.message_dict
    assert Case.objects.count() == 0


def test_a_correction_is_kept_in_the_history_without_the_reporters_identity(demo):
    case = record(demo["officer_a"], reporter_name="Bà Tư")
    services.case_correct(
        actor=demo["officer_a"],
        case_id=case.pk,
        changes={"setting": "school", "reporter_name": "Bà Năm"},
        abuse_forms=["physical_violence", "psychological_violence"],
    )
    case.refresh_from_db()
    assert (case.setting, case.reporter_name) == ("school", "Bà Năm")
    assert case.abuse_forms == ["physical_violence", "psychological_violence"]
    event = case.events.get(action="correct")
    assert event.details["changed"]["setting"] == ["family", "school"]
    assert event.details["changed"]["reporter_name"] == "…"
    assert "Bà" not in str(event.details)


def test_a_correction_with_a_bad_value_changes_nothing(demo):
    case = record(demo["officer_a"])
    before = snapshot(case)
    with pytest.raises(ValidationError) as refused:
        services.case_correct(actor=demo["officer_a"], case_id=case.pk, changes={"setting": "moon"})
    assert "setting" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.case_correct(actor=demo["officer_a"], case_id=case.pk, changes={"code": "x"})
    assert snapshot(case) == before
    case.refresh_from_db()
    assert case.setting == "family"
