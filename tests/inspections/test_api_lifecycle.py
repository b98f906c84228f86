"""An inspection's workflow through the API, as its team runs it: every step, the guards that
refuse a step, and that a refused call changed nothing."""

import datetime

import pytest
from django.utils import timezone

from inspections import services
from inspections.models import Inspection
from tests.inspections.factories import LEAD_AGENCY, advance, another_inspector, plan_inspection

TODAY = timezone.localdate()


def plan_payload(**overrides) -> dict:
    from core.models import Agency

    return {
        "kind": "interagency",
        "topic": "school_violence",
        "title": "Kiểm tra liên ngành phòng, chống bạo lực học đường",
        "lead_agency": Agency.objects.get(name=LEAD_AGENCY).pk,
        "decision_number": "12/QĐ-SYT",
        "decision_date": str(TODAY - datetime.timedelta(days=2)),
        "planned_start": str(TODAY),
        "planned_end": str(TODAY + datetime.timedelta(days=5)),
    } | overrides


def run(client, inspection_id: int, name: str, **payload):
    # In English: some assertions read the service's message.
    return client.post(
        f"/api/v1/inspections/{inspection_id}/transitions/{name}/",
        payload,
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def add_recommendation(demo, inspection: Inspection):
    return services.recommendation_add(
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        action="Niêm yết số Tổng đài 111 tại cổng trường",
        responsible="Trường Tiểu học Nho Quan",
        due_date=TODAY + datetime.timedelta(days=30),
    )


def state(inspection: Inspection) -> tuple:
    inspection.refresh_from_db()
    return inspection.status, inspection.events.count(), inspection.conclusion


def test_an_inspection_runs_from_plan_to_close_through_the_api(demo, api_as):
    client = api_as("inspector")
    created = client.post("/api/v1/inspections/", plan_payload(), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    pk = body["id"]
    assert body["status"] == "planned"
    assert body["lead_agency"]["name"] == LEAD_AGENCY
    assert body["team"] == [
        {"username": "inspector", "full_name": demo["inspector"].get_full_name(), "role": "lead"}
    ]

    assert run(client, pk, "start").json()["status"] == "in_progress"
    finding = client.post(
        f"/api/v1/inspections/{pk}/findings/",
        {
            "description": "Không niêm yết số Tổng đài 111.",
            "legal_basis": "Nghị định 130/2021/NĐ-CP",
            "responsible": "Hiệu trưởng",
            "sanction": "fine",
            "fine_amount": 5_000_000,
            "head_held_accountable": True,
        },
        format="json",
    )
    assert finding.status_code == 201, finding.json()
    assert (finding.json()["fine_amount"], finding.json()["case_code"]) == (5_000_000, None)
    assert run(client, pk, "begin_reporting").json()["status"] == "reporting"
    recommendation = client.post(
        f"/api/v1/inspections/{pk}/recommendations/",
        {
            "action": "Niêm yết số 111",
            "responsible": "Nhà trường",
            "due_date": str(TODAY + datetime.timedelta(days=30)),
            "finding": finding.json()["id"],
        },
        format="json",
    )
    assert recommendation.status_code == 201, recommendation.json()
    concluded = run(client, pk, "conclude", conclusion="Có vi phạm.", no_violation_found=False)
    assert concluded.json()["status"] == "concluded"
    assert run(client, pk, "follow_up").json()["status"] == "follow_up"
    done = client.post(
        f"/api/v1/recommendations/{recommendation.json()['id']}/done/",
        {"evidence": "Ảnh chụp bảng niêm yết"},
        format="json",
    )
    assert done.status_code == 200, done.json()
    closed = run(client, pk, "close")
    assert closed.status_code == 200, closed.json()

    detail = client.get(f"/api/v1/inspections/{pk}/").json()
    assert (detail["status"], detail["conclusion"]) == ("closed", "Có vi phạm.")
    assert (detail["actual_start"], detail["actual_end"]) == (str(TODAY), str(TODAY))
    findings = [
        (row["sanction"], row["fine_amount"], row["head_held_accountable"])
        for row in detail["findings"]
    ]
    assert findings == [("fine", 5_000_000, True)]
    assert [(r["status"], r["finding"], r["due_at"]) for r in detail["recommendations"]] == [
        ("done", finding.json()["id"], None)
    ]


def test_concluding_without_findings_is_refused_unless_no_violation_was_found(demo, api_as):
    inspection = advance(plan_inspection(demo), "reporting", demo)
    client = api_as("inspector")
    before = state(inspection)

    refused = run(client, inspection.pk, "conclude", conclusion="Không vi phạm.")
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_transition"
    assert state(inspection) == before

    allowed = run(
        client, inspection.pk, "conclude", conclusion="Không vi phạm.", no_violation_found=True
    )
    assert allowed.status_code == 200, allowed.json()
    assert (allowed.json()["status"], allowed.json()["no_violation_found"]) == ("concluded", True)


def test_concluding_needs_a_conclusion(demo, api_as):
    inspection = advance(plan_inspection(demo), "reporting", demo)
    before = state(inspection)
    response = run(api_as("inspector"), inspection.pk, "conclude", no_violation_found=True)
    assert response.status_code == 400
    assert set(response.json()) == {"conclusion"}
    assert state(inspection) == before


def test_close_is_refused_while_a_recommendation_is_open_and_allowed_once_done(demo, api_as):
    inspection = advance(plan_inspection(demo), "reporting", demo)
    recommendation = add_recommendation(demo, inspection)
    inspection = advance(inspection, "follow_up", demo)
    client = api_as("inspector")
    before = state(inspection)

    refused = run(client, inspection.pk, "close")
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "1 recommendation is neither done nor waived.",
        "code": "invalid_transition",
    }
    assert state(inspection) == before
    options = {
        row["name"]: row
        for row in client.get(
            f"/api/v1/inspections/{inspection.pk}/transitions/", HTTP_ACCEPT_LANGUAGE="en"
        ).json()
    }
    assert options["close"] == {
        "name": "close",
        "label": "Close",
        "allowed": False,
        "missing": ["1 recommendation is neither done nor waived."],
    }

    done = client.post(
        f"/api/v1/recommendations/{recommendation.pk}/done/", {"evidence": "Biên bản"}
    )
    assert done.json()["status"] == "done"
    assert run(client, inspection.pk, "close").json()["status"] == "closed"


def test_only_the_head_of_the_team_waives_a_recommendation_and_then_closes(demo, api_as):
    member = another_inspector()
    inspection = advance(plan_inspection(demo, members=(member,)), "reporting", demo)
    recommendation = add_recommendation(demo, inspection)
    inspection = advance(inspection, "concluded", demo)

    from rest_framework.test import APIClient

    as_member = APIClient()
    as_member.force_authenticate(member)
    url = f"/api/v1/recommendations/{recommendation.pk}/waive/"
    assert as_member.post(url, {"reason": "Cơ sở đã giải thể"}).status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.status == "open"
    # The member may run no step either: the head of the team does.
    assert run(as_member, inspection.pk, "close").status_code == 403

    client = api_as("inspector")
    assert set(client.post(url, {}).json()) == {"reason"}
    waived = client.post(url, {"reason": "Cơ sở đã giải thể"})
    assert waived.status_code == 200, waived.json()
    assert (waived.json()["status"], waived.json()["waive_reason"]) == (
        "waived",
        "Cơ sở đã giải thể",
    )
    assert run(client, inspection.pk, "close").json()["status"] == "closed"


def test_a_resolved_recommendation_cannot_be_resolved_again(demo, api_as):
    inspection = advance(plan_inspection(demo), "reporting", demo)
    recommendation = add_recommendation(demo, inspection)
    client = api_as("inspector")
    url = f"/api/v1/recommendations/{recommendation.pk}/"
    assert client.post(url + "done/", {"evidence": "Biên bản"}).status_code == 200
    again = client.post(url + "waive/", {"reason": "…"})
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


def test_cancelling_needs_a_reason(demo, api_as):
    inspection = plan_inspection(demo)
    client = api_as("inspector")
    before = state(inspection)
    for payload in ({}, {"reason": "   "}):
        response = run(client, inspection.pk, "cancel", **payload)
        assert response.status_code == 400
        assert set(response.json()) == {"reason"}
    assert state(inspection) == before

    cancelled = run(client, inspection.pk, "cancel", reason="Trùng kế hoạch của Sở GD&ĐT.")
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == (
        "cancelled",
        "Trùng kế hoạch của Sở GD&ĐT.",
    )


@pytest.mark.parametrize(
    ("status", "name"),
    [("planned", "begin_reporting"), ("in_progress", "start"), ("cancelled", "start")],
)
def test_a_step_the_state_does_not_allow_answers_409(demo, api_as, status, name):
    inspection = advance(plan_inspection(demo), status, demo)
    before = state(inspection)
    response = run(api_as("inspector"), inspection.pk, name)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert state(inspection) == before


def test_findings_are_refused_before_the_inspection_starts(demo, api_as):
    inspection = plan_inspection(demo)
    response = api_as("inspector").post(
        f"/api/v1/inspections/{inspection.pk}/findings/",
        {"description": "…", "legal_basis": "…", "responsible": "…", "sanction": "warning"},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert not inspection.findings.exists()


def test_an_unknown_step_answers_404(demo, api_as):
    inspection = plan_inspection(demo)
    assert run(api_as("inspector"), inspection.pk, "approve").status_code == 404
    assert state(inspection)[0] == "planned"


def test_the_transitions_list_what_the_head_of_the_team_may_do_now(demo, api_as):
    inspection = plan_inspection(demo)
    rows = api_as("inspector").get(f"/api/v1/inspections/{inspection.pk}/transitions/").json()
    assert [(row["name"], row["allowed"]) for row in rows] == [
        ("start", True),
        ("begin_reporting", False),
        ("conclude", False),
        ("follow_up", False),
        ("close", False),
        ("cancel", True),
    ]
