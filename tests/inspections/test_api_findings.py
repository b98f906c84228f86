"""Findings and recommendations through the API: a sanction's input, a child found at risk handed
to the commune as a case, and a recommendation's clock."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cases.models import Case
from core.models import Agency, Clock
from inspections import clocks, services
from inspections.models import Finding, Inspection, Recommendation
from tests.inspections.factories import LEAD_AGENCY, advance, plan_inspection

TODAY = timezone.localdate()
WARNING: dict[str, Any] = {
    "description": "Không bố trí người làm công tác bảo vệ trẻ em.",
    "legal_basis": "Nghị định 56/2017/NĐ-CP, Điều 9",
    "responsible": "Hiệu trưởng",
    "sanction": "warning",
}
CHILD = {
    "commune": "14428",
    "full_name": "Lê Văn Tùng",
    "sex": "male",
    "estimated_age": 12,
    "situation": "at_risk",
    "abuse_forms": ["exploitation"],
    "description": "Trẻ làm việc đêm tại cơ sở lưu trú.",
}


@pytest.fixture
def inspecting(demo):
    return advance(plan_inspection(demo), "in_progress", demo)


def record(client, inspection, **payload):
    return client.post(
        f"/api/v1/inspections/{inspection.pk}/findings/", WARNING | payload, format="json"
    )


def recommend(client, inspection, **payload):
    values: dict[str, Any] = {
        "action": "Bố trí người làm công tác bảo vệ trẻ em",
        "responsible": "Trường Tiểu học Nho Quan",
        "due_date": str(TODAY + datetime.timedelta(days=14)),
    }
    return client.post(
        f"/api/v1/inspections/{inspection.pk}/recommendations/", values | payload, format="json"
    )


def test_a_fine_without_its_amount_is_refused_and_names_fine_amount(demo, api_as, inspecting):
    response = record(api_as("inspector"), inspecting, sanction="fine")
    assert response.status_code == 400
    assert set(response.json()) == {"fine_amount"}
    assert not Finding.objects.exists()


def test_only_a_fine_has_an_amount(demo, api_as, inspecting):
    response = record(api_as("inspector"), inspecting, fine_amount=1_000_000)
    assert response.status_code == 400
    assert set(response.json()) == {"fine_amount"}
    assert not Finding.objects.exists()


def test_a_bad_finding_names_every_bad_field(demo, api_as, inspecting):
    response = api_as("inspector").post(
        f"/api/v1/inspections/{inspecting.pk}/findings/",
        {"description": "…", "sanction": "prison", "fine_amount": -5, "subject": 999999},
        format="json",
    )
    assert response.status_code == 400
    assert {"legal_basis", "responsible", "sanction", "fine_amount", "subject"} <= set(
        response.json()
    )
    assert not Finding.objects.exists()


def test_a_finding_records_its_sanction_and_lists_with_the_others(demo, api_as, inspecting):
    client = api_as("inspector")
    fine = record(client, inspecting, sanction="fine", fine_amount=7_500_000)
    assert fine.status_code == 201, fine.json()
    record(client, inspecting, sanction="discipline_of_head", head_held_accountable=True)
    listed = client.get(f"/api/v1/inspections/{inspecting.pk}/findings/").json()
    assert listed["count"] == 2
    assert [
        (f["sanction"], f["fine_amount"], f["head_held_accountable"]) for f in listed["results"]
    ] == [("fine", 7_500_000, False), ("discipline_of_head", None, True)]


def test_a_child_found_at_risk_opens_a_case_for_the_commune(demo, api_as, inspecting):
    response = record(api_as("inspector"), inspecting, child_at_risk=CHILD)
    assert response.status_code == 201, response.json()

    case = Case.objects.get()
    assert (case.source, case.commune.code, case.status) == ("inspection", "14428", "received")
    assert (response.json()["case_code"], response.json()["case_id"]) == (case.code, case.pk)
    assert Finding.objects.get().case == case
    officer = api_as("officer_a").get(f"/api/v1/cases/{case.pk}/")
    assert officer.status_code == 200
    assert officer.json()["child"]["full_name"] == "Lê Văn Tùng"
    # The inspector hands the child over and keeps only the case's code.
    assert api_as("inspector").get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_a_child_at_risk_in_no_valid_commune_is_refused_and_opens_nothing(demo, api_as, inspecting):
    response = record(
        api_as("inspector"),
        inspecting,
        child_at_risk=CHILD | {"commune": "37", "abuse_forms": []},
    )
    assert response.status_code == 400
    assert set(response.json()["child_at_risk"]) == {"commune", "abuse_forms"}
    assert not Case.objects.exists() and not Finding.objects.exists()


def test_a_child_at_risk_lives_in_the_lead_agencys_province(demo, api_as, hanoi):
    """The form offers the communes of the lead agency's province; the API once took any."""
    inspection = advance(plan_inspection(demo), "in_progress", demo)
    member = api_as("inspector")

    elsewhere = record(member, inspection, child_at_risk=CHILD | {"commune": hanoi.ward.code})
    assert elsewhere.status_code == 400 and set(elsewhere.json()) == {"child_at_risk"}
    assert not Case.objects.exists() and not Finding.objects.exists()

    here = record(member, inspection, child_at_risk=CHILD)
    assert here.status_code == 201, here.json()
    assert Case.objects.get().commune.code == "14428"


@pytest.mark.parametrize("field", ["members", "member_agencies"])
def test_the_team_works_in_the_lead_agencys_province(demo, api_as, hanoi, field):
    """An inspector or an agency of another province on the team would read its findings and,
    through them, hand a child of this province to a commune (found by a probe)."""
    body = {
        "kind": "interagency",
        "topic": "school_violence",
        "title": "Kiểm tra liên ngành",
        "decision_number": "02/QĐ-SYT",
        "decision_date": str(TODAY - datetime.timedelta(days=3)),
        "planned_start": str(TODAY),
        "planned_end": str(TODAY + datetime.timedelta(days=4)),
        "lead_agency": Agency.objects.get(name=LEAD_AGENCY).pk,
        field: [hanoi.inspector.pk if field == "members" else hanoi.police.pk],
    }
    response = api_as("inspector").post("/api/v1/inspections/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Inspection.objects.exists()


def test_a_recommendation_starts_a_clock_due_at_the_end_of_its_due_date(demo, api_as, inspecting):
    inspection = advance(inspecting, "reporting", demo)
    client = api_as("inspector")
    due = TODAY + datetime.timedelta(days=14)
    response = recommend(client, inspection, due_date=str(due))
    assert response.status_code == 201, response.json()

    recommendation = Recommendation.objects.get()
    clock = Clock.objects.for_object(recommendation).get()
    end_of_day = datetime.datetime.combine(  # 24:00 of the due date
        due + datetime.timedelta(days=1), datetime.time(0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
    )
    assert (clock.kind, clock.due_at, clock.met_at) == (clocks.RECOMMENDATION, end_of_day, None)
    body = response.json()
    assert (body["status"], parse_datetime(body["due_at"]), body["is_overdue"]) == (
        "open",
        end_of_day,
        False,
    )

    done = client.post(
        f"/api/v1/recommendations/{recommendation.pk}/done/", {"evidence": "Quyết định phân công"}
    )
    assert done.status_code == 200, done.json()
    assert (done.json()["status"], done.json()["due_at"]) == ("done", None)
    clock.refresh_from_db()
    assert clock.met_at is not None and clock.breached_at is None


def test_an_overdue_recommendation_shows_it(demo, api_as, inspecting):
    inspection = advance(inspecting, "reporting", demo)
    recommendation = services.recommendation_add(
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        action="…",
        responsible="…",
        due_date=TODAY,
    )
    Clock.objects.for_object(recommendation).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    listed = api_as("province").get(f"/api/v1/inspections/{inspection.pk}/recommendations/")
    assert [(r["id"], r["is_overdue"]) for r in listed.json()["results"]] == [
        (recommendation.pk, True)
    ]


def test_recommendations_wait_for_the_report(demo, api_as, inspecting):
    response = recommend(api_as("inspector"), inspecting)
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert not Recommendation.objects.exists()


def test_a_bad_recommendation_is_refused_and_starts_no_clock(demo, api_as, inspecting):
    other = advance(plan_inspection(demo), "in_progress", demo)
    foreign = services.finding_record(actor=demo["inspector"], inspection_id=other.pk, **WARNING)
    inspection = advance(inspecting, "reporting", demo)
    client = api_as("inspector")
    response = recommend(client, inspection, finding=foreign.pk, responsible="")
    assert response.status_code == 400
    assert set(response.json()) == {"finding", "responsible"}
    past = recommend(client, inspection, due_date=str(TODAY - datetime.timedelta(days=1)))
    assert (past.status_code, set(past.json())) == (400, {"due_date"})
    assert not Recommendation.objects.exists() and not Clock.objects.exists()
