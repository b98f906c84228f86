"""Every step of the Decree 56 workflow through the API: the allowed path and each refusal."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from cases import clocks
from cases.models import Case, CaseReview, PlanMeasure
from core.workflow import Actor
from tests.cases.factories import advance, make_case, open_clock_kinds, snapshot


def plan() -> dict[str, Any]:
    return {
        "assessment_summary": "Đánh giá chi tiết.",
        "needs": "Y tế, tâm lý.",
        "meeting_held_at": timezone.now().isoformat(),
        "meeting_participants": "Cán bộ xã, gia đình",
        "meeting_minutes": "Biên bản.",
        "goals": "Trẻ an toàn.",
        "measures": [
            {"service": "psychosocial", "description": "Tư vấn tâm lý", "timeframe_days": 14}
        ],
    }


CLOSE = {
    "remaining_harm": "low",
    "perpetrator_access": "low",
    "care_obstacles": "medium",
    "resilience": "high",
    "reason": "goals_met",
}


def approved_measures(case: Case) -> list[PlanMeasure]:
    plan = case.plans.filter(outcome="approved").first()
    return list(plan.measures.all()) if plan else []


@dataclass(frozen=True)
class Step:
    name: str
    role: str  # "officer" or "chair" of the case's commune
    before: tuple[str, ...]  # the steps that bring a new case to where this one may run
    payload: Any  # a dict, or a function of the case for a payload naming the case's rows
    to_status: str
    open_clocks: set[str]
    bad_payload: dict[str, Any]  # the payload with one field wrong…
    bad_field: str  # …and that field
    refused_after: tuple[str, ...] = ()  # steps after which this one is not possible
    shows: Any = field(default=lambda body: True)  # what the record shows after the step


INTERVENTION = ("assess_initial", "submit_plan", "approve_plan")
STEPS = [
    Step(
        "assess_initial",
        "officer",
        (),
        {
            "harm_level": "medium",
            "immediate_danger": False,
            "findings": "Vết bầm.",
            "confirmed": "abuse",
            "safety_measures": "Ở nhà bà.",
        },
        "assessment",
        {clocks.PLAN_SUBMISSION},
        {"harm_level": "extreme", "immediate_danger": False, "findings": "…"},
        "harm_level",
        refused_after=("dismiss",),
        shows=lambda body: body["records"]["initial_assessments"][0]["findings"] == "Vết bầm.",
    ),
    Step(
        "declare_emergency",
        "officer",
        (),
        {
            "danger": "Bị đánh hằng ngày.",
            "measures_taken": "Đưa về nhà bà.",
            "separation_proposed": True,
            "placement": "Nhà bà ngoại",
            "harm_level": "high",
            "confirmed": "abuse",
        },
        "emergency",
        # The chair decides on the separation within 12 hours (Decree 56/2017 Art. 32).
        {clocks.SEPARATION_DECISION},
        {"measures_taken": "Đưa về nhà bà.", "harm_level": "high"},
        "danger",
        refused_after=("dismiss",),
        shows=lambda body: (
            body["records"]["emergency_declarations"][0]["separation"]["outcome"] == "pending"
            and body["records"]["emergency_declarations"][0]["separation"]["placement"]
            == "Nhà bà ngoại"
            and body["records"]["initial_assessments"][0]["immediate_danger"] is True
        ),
    ),
    Step(
        "dismiss",
        "officer",
        (),
        {"reason": "unfounded", "verification": "Đã gặp gia đình và nhà trường."},
        "closed",
        set(),
        {"reason": "duplicate"},
        "duplicate_of",
        refused_after=("assess_initial",),
        shows=lambda body: body["dismiss_reason"] == "unfounded",
    ),
    Step(
        "end_emergency",
        "officer",
        ("declare_emergency",),
        {"measures_applied": "Ở nhà bà.", "safe_location": "Nhà bà ngoại"},
        "assessment",
        {clocks.PLAN_SUBMISSION},
        {"measures_applied": "Ở nhà bà."},
        "safe_location",
        shows=lambda body: body["records"]["emergency_ends"][0]["safe_location"] == "Nhà bà ngoại",
    ),
    Step(
        "submit_plan",
        "officer",
        ("assess_initial",),
        plan(),
        "plan_review",
        {clocks.PLAN_DECISION},
        plan() | {"measures": []},
        "measures",
        shows=lambda body: (
            body["records"]["plans"][0]["outcome"] == "submitted"
            and len(body["records"]["plans"][0]["measures"]) == 1
        ),
    ),
    Step(
        "approve_plan",
        "chair",
        ("assess_initial", "submit_plan"),
        {"decision_number": "01/QĐ-UBND", "comments": "Đồng ý."},
        "intervention",
        {clocks.REVIEW},
        {"comments": "Đồng ý."},
        "decision_number",
        shows=lambda body: (
            body["records"]["plans"][0]["outcome"] == "approved"
            and body["records"]["plans"][0]["decisions"][0]["approved"] is True
        ),
    ),
    Step(
        "return_plan",
        "chair",
        ("assess_initial", "submit_plan"),
        {"comments": "Bổ sung nhu cầu học tập."},
        "assessment",
        {clocks.PLAN_RESUBMISSION},
        {"comments": ""},
        "comments",
        shows=lambda body: (
            body["records"]["plans"][0]["outcome"] == "returned"
            and body["records"]["plans"][0]["decisions"][0]["approved"] is False
        ),
    ),
    Step(
        "start_review",
        "officer",
        INTERVENTION,
        {"notes": "Đánh giá sau 30 ngày."},
        "review",
        {clocks.REVIEW_CONCLUSION},
        {"notes": ["not", "text"]},
        "notes",
    ),
    Step(
        "revise_plan",
        "officer",
        (*INTERVENTION, "start_review"),
        {"reason": "Trẻ chuyển trường."},
        "assessment",
        {clocks.PLAN_RESUBMISSION},
        {},
        "reason",
    ),
    Step(
        "record_review",
        "officer",
        INTERVENTION,
        lambda case: {
            "notes": "Trẻ đi học đều.",
            "measures": [
                {"measure": m.pk, "progress": "Đã tư vấn 2 buổi."} for m in approved_measures(case)
            ],
        },
        "intervention",
        # The next review is due 30 days on.
        {clocks.REVIEW},
        {"notes": "Trẻ đi học đều.", "measures": [{"measure": "one"}]},
        "measures",
        refused_after=("assess_initial",),
    ),
    Step(
        "record_plan_refusal",
        "officer",
        INTERVENTION,
        {
            "refused_by": "Bố của trẻ",
            "reasons": "Không đồng ý cho trẻ đi tư vấn.",
            "commune_action": "Gặp gia đình, giải thích; báo Chủ tịch.",
        },
        "intervention",
        {clocks.REVIEW},
        {"reasons": "…", "commune_action": "…"},
        "refused_by",
        refused_after=("assess_initial",),
    ),
    Step(
        "propose_closure",
        "officer",
        (*INTERVENTION, "start_review"),
        CLOSE,
        "closure_review",
        {clocks.CLOSURE_DECISION},
        CLOSE | {"resilience": "huge"},
        "resilience",
        refused_after=INTERVENTION,
        shows=lambda body: body["records"]["closure_assessments"][0]["resilience"] == "high",
    ),
    Step(
        "return_closure",
        "chair",
        (*INTERVENTION, "start_review", "propose_closure"),
        {"comments": "Cần theo dõi thêm một tháng."},
        "review",
        {clocks.REVIEW_CONCLUSION},
        {"comments": ""},
        "comments",
        refused_after=(*INTERVENTION, "start_review"),
    ),
    Step(
        "close",
        "chair",
        (*INTERVENTION, "start_review", "propose_closure"),
        # The plan's measure names no agency: the chair says it was done.
        lambda case: {
            "decision_number": "09/QĐ",
            "work": [
                {"key": f"measure:{m.pk}", "decision": "completed"} for m in approved_measures(case)
            ],
        },
        "closed",
        set(),
        {"work": [{"key": "measure:1", "decision": "maybe"}]},
        "work",
        refused_after=(*INTERVENTION, "start_review"),
        shows=lambda body: (
            body["closure_reason"] == "goals_met"
            and body["records"]["closure_assessments"][0]["resilience"] == "high"
        ),
    ),
    Step(
        "reopen",
        "officer",
        ("dismiss",),
        {"information": "Trẻ lại bị đánh."},
        # New information is a new report: Form 02 within 12 hours (Decree 56/2017 Art. 26).
        "received",
        {clocks.INITIAL_ASSESSMENT},
        {},
        "information",
        shows=lambda body: body["dismiss_reason"] == "",
    ),
    Step(
        "propose_separation",
        "officer",
        ("assess_initial",),
        {"placement": "Nhà bà ngoại", "grounds": "Bố đánh trẻ khi say rượu."},
        "assessment",
        {clocks.PLAN_SUBMISSION, clocks.SEPARATION_DECISION},
        {"grounds": "…"},
        "placement",
        refused_after=("dismiss",),
    ),
    Step(
        "decide_separation",
        "chair",
        ("assess_initial", "propose_separation"),
        {"approve": True, "period_days": 10, "decision_number": "07/QĐ"},
        "assessment",
        # Its end is a clock.
        {clocks.PLAN_SUBMISSION, clocks.SEPARATION_END},
        {"approve": True, "period_days": 16},
        "period_days",
        # Nothing awaits the chair's decision.
        refused_after=("assess_initial",),
    ),
    Step(
        "extend_separation",
        "chair",
        ("assess_initial", "propose_separation", "decide_separation"),
        {"days": 5, "reason": "Gia đình chưa an toàn."},
        "assessment",
        {clocks.PLAN_SUBMISSION, clocks.SEPARATION_END},
        # 10 + 6 days: beyond 15 only at a competent authority's request.
        {"days": 6, "reason": "Gia đình chưa an toàn."},
        "authority_request",
        refused_after=("assess_initial",),
    ),
    Step(
        "revoke_separation",
        "chair",
        ("assess_initial", "propose_separation", "decide_separation"),
        {"reason": "Gia đình đã bảo đảm an toàn."},
        "assessment",
        {clocks.PLAN_SUBMISSION},
        {},
        "reason",
        refused_after=("assess_initial",),
    ),
]
BY_NAME = {step.name: step for step in STEPS}
OTHER_ROLE = {"officer": "chair", "chair": "officer"}


def test_every_step_of_the_workflow_is_covered():
    from cases.workflow import CASE_WORKFLOW, CHAIR, OFFICER

    roles: dict[Actor, str] = {OFFICER: "officer", CHAIR: "chair"}
    assert {step.name: step.role for step in STEPS} == {
        step.name: roles[step.who] for step in CASE_WORKFLOW.steps
    }


def case_before(step: Step, demo, steps: tuple[str, ...] | None = None) -> Case:
    # "other" needs no agency's service, so closing waits for nothing but the workflow.
    case = make_case(demo["officer_a"], abuse_forms=("other",))
    return advance(
        case,
        *(step.before if steps is None else steps),
        officer=demo["officer_a"],
        chair=demo["chair_a"],
    )


def run(client, case: Case, name: str, payload: Any):
    """Post the step; a payload that names the case's own rows is built from the case."""
    if callable(payload):
        payload = payload(case)
    return client.post(f"/api/v1/cases/{case.pk}/transitions/{name}/", payload, format="json")


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_the_step_moves_the_case_and_records_it(step, api_as, demo):
    case = case_before(step, demo)
    status_before, events_before, _clocks = snapshot(case)

    response = run(api_as(f"{step.role}_a"), case, step.name, step.payload)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == step.to_status
    assert step.shows(body)
    case.refresh_from_db()
    assert case.status == step.to_status
    assert case.events.count() == events_before + 1
    event = case.events.last()
    assert event is not None
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        step.name,
        demo[f"{step.role}_a"],
        status_before,
        step.to_status,
    )
    assert open_clock_kinds(case) == step.open_clocks
    assert {c["kind"] for c in body["open_clocks"]} == step.open_clocks


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_the_step_is_refused_in_a_state_that_forbids_it(step, api_as, demo):
    case = case_before(step, demo, step.refused_after)
    before = snapshot(case)

    response = run(api_as(f"{step.role}_a"), case, step.name, step.payload)

    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["detail"]
    assert snapshot(case) == before


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_the_step_is_refused_to_the_other_role_of_the_commune(step, api_as, demo):
    case = case_before(step, demo)
    before = snapshot(case)

    response = run(api_as(f"{OTHER_ROLE[step.role]}_a"), case, step.name, step.payload)

    assert response.status_code == 403, response.json()
    assert snapshot(case) == before


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_the_step_on_another_communes_case_is_not_found(step, api_as, demo):
    case = case_before(step, demo)
    before = snapshot(case)

    response = run(api_as(f"{step.role}_b"), case, step.name, step.payload)

    assert response.status_code == 404, response.json()
    assert snapshot(case) == before


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_a_bad_payload_is_refused_naming_the_field(step, api_as, demo):
    case = case_before(step, demo)
    before = snapshot(case)

    response = run(api_as(f"{step.role}_a"), case, step.name, step.bad_payload)

    assert response.status_code == 400, response.json()
    assert step.bad_field in response.json()
    assert snapshot(case) == before


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_a_step_not_possible_now_is_refused_as_409_whatever_its_payload(step, api_as, demo):
    case = case_before(step, demo, step.refused_after)
    before = snapshot(case)

    response = run(api_as(f"{step.role}_a"), case, step.name, step.bad_payload)

    assert response.status_code == 409, response.json()
    assert snapshot(case) == before


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_the_other_role_is_refused_as_403_before_its_payload_is_judged(step, api_as, demo):
    case = case_before(step, demo)

    response = run(api_as(f"{OTHER_ROLE[step.role]}_a"), case, step.name, step.bad_payload)

    assert response.status_code == 403, response.json()


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_another_communes_case_is_404_before_the_payload_is_judged(step, api_as, demo):
    case = case_before(step, demo)

    response = run(api_as(f"{step.role}_b"), case, step.name, step.bad_payload)

    assert response.status_code == 404, response.json()


def test_an_unknown_step_is_not_found(api_as, demo):
    case = make_case(demo["officer_a"])

    response = run(api_as("officer_a"), case, "fly_away", {})

    assert response.status_code == 404
    assert snapshot(case)[0] == "received"


def test_an_anonymous_caller_may_not_run_a_step(api, demo):
    case = make_case(demo["officer_a"])
    before = snapshot(case)

    response = run(api, case, "assess_initial", BY_NAME["assess_initial"].payload)

    assert response.status_code == 401
    assert snapshot(case) == before


def test_a_child_in_immediate_danger_needs_the_emergency_step(api_as, demo):
    case = make_case(demo["officer_a"])
    before = snapshot(case)
    payload = BY_NAME["assess_initial"].payload | {"immediate_danger": True}

    response = run(api_as("officer_a"), case, "assess_initial", payload)

    assert response.status_code == 400
    assert "immediate_danger" in response.json()
    assert snapshot(case) == before


def test_an_emergency_from_a_new_report_needs_the_level_of_harm(api_as, demo):
    case = make_case(demo["officer_a"])
    before = snapshot(case)
    payload = {"danger": "Bị đánh.", "measures_taken": "Đưa đi."}

    response = run(api_as("officer_a"), case, "declare_emergency", payload)

    assert response.status_code == 400
    assert "harm_level" in response.json()
    assert snapshot(case) == before


def test_a_duplicate_is_dismissed_with_the_code_of_the_case_it_repeats(api_as, demo):
    first = make_case(demo["officer_a"])
    second = make_case(demo["officer_a"])

    response = run(
        api_as("officer_a"), second, "dismiss", {"reason": "duplicate", "duplicate_of": first.code}
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["dismiss_reason"], response.json()["duplicate_of"]) == (
        "duplicate",
        first.code,
    )


def test_the_emergency_cannot_end_before_the_chair_decides_on_separation(api_as, demo):
    case = make_case(demo["officer_a"])
    declared = run(
        api_as("officer_a"), case, "declare_emergency", BY_NAME["declare_emergency"].payload
    )
    assert declared.status_code == 200
    before = snapshot(case)

    response = run(api_as("officer_a"), case, "end_emergency", BY_NAME["end_emergency"].payload)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert snapshot(case) == before


def test_a_plan_naming_an_agency_records_the_ground_for_sharing(api_as, demo):
    from core.models import Agency

    case = case_before(BY_NAME["submit_plan"], demo)
    agency = Agency.objects.filter(is_active=True).first()
    assert agency is not None
    payload = plan()
    payload["measures"][0]["responsible_agency"] = agency.pk
    officer = api_as("officer_a")
    before = snapshot(case)

    refused = run(officer, case, "submit_plan", payload)
    assert refused.status_code == 400
    assert "consent_basis" in refused.json()
    assert snapshot(case) == before

    accepted = run(officer, case, "submit_plan", payload | {"consent_basis": "carer_suspected"})
    assert accepted.status_code == 200, accepted.json()
    [plan_record] = accepted.json()["records"]["plans"]
    assert plan_record["consent_basis"] == "carer_suspected"
    assert plan_record["measures"][0]["responsible_agency"] == agency.pk


def test_each_step_documents_its_own_request_body_in_the_schema(api_as):
    from cases.workflow import CASE_WORKFLOW

    paths = api_as("officer_a").get("/api/schema/", {"format": "json"}).json()["paths"]
    bodies = {}
    for name in CASE_WORKFLOW.names:
        operation = paths[f"/api/v1/cases/{{id}}/transitions/{name}/"]["post"]
        assert operation["operationId"] == f"v1_cases_transitions_{name}"
        assert {"400", "403", "404", "409"} <= set(operation["responses"])
        bodies[name] = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert bodies["approve_plan"].endswith("/ApprovePlanRequest")
    assert len(set(bodies.values())) == len(bodies), "one body per step, none shared"


def test_an_emergency_that_proposes_separation_needs_the_place_of_care(api_as, demo):
    case = make_case(demo["officer_a"])
    before = snapshot(case)

    response = run(
        api_as("officer_a"),
        case,
        "declare_emergency",
        {
            "danger": "Bị đánh hằng ngày.",
            "measures_taken": "Đưa về nhà bà.",
            "separation_proposed": True,
            "harm_level": "high",
            "confirmed": "abuse",
        },
    )

    assert response.status_code == 400, response.json()
    assert "placement" in response.json()
    assert snapshot(case) == before


def test_a_review_answers_under_measures_and_takes_each_measure_once(api_as, demo):
    """The request's field is `measures`: a refusal names it, not the service's argument, and a
    measure given twice is refused rather than one of its two progress notes silently kept."""
    case = case_before(BY_NAME["record_review"], demo)
    [measure] = approved_measures(case)
    officer = api_as("officer_a")
    for rows, says in (
        ([{"measure": 999999, "progress": "x"}], "999999"),
        ([], ""),
        (
            [{"measure": measure.pk, "progress": "x"}, {"measure": measure.pk, "progress": "y"}],
            str(measure.pk),
        ),
    ):
        response = run(officer, case, "record_review", {"notes": "n", "measures": rows})
        assert response.status_code == 400, response.content
        assert set(response.json()) == {"measures"}, response.json()
        assert says in " ".join(map(str, response.json()["measures"]))
    assert not CaseReview.objects.filter(case=case).exists()
