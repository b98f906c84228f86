"""Who sees and who runs an inspection through the API, the list's filters, and planning with
its input checked."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Agency
from inspections.models import Inspection
from tests.inspections.factories import LEAD_AGENCY, advance, another_inspector, plan_inspection

TODAY = timezone.localdate()


def plan_payload(**overrides) -> dict:
    return {
        "kind": "thematic",
        "topic": "online_privacy",
        "title": "Kiểm tra chuyên đề bảo vệ bí mật đời sống riêng tư của trẻ em trên mạng",
        "lead_agency": Agency.objects.get(name=LEAD_AGENCY).pk,
        "decision_number": "15/QĐ-SYT",
        "decision_date": str(TODAY - datetime.timedelta(days=2)),
        "planned_start": str(TODAY),
        "planned_end": str(TODAY + datetime.timedelta(days=5)),
    } | overrides


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("username", ["officer_a", "police", "admin", "chair_a"])
def test_users_outside_inspections_neither_list_nor_find_them(demo, api_as, username):
    inspection = plan_inspection(demo)
    client = api_as(username)
    assert client.get("/api/v1/inspections/").json()["count"] == 0
    assert client.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
    assert client.get(f"/api/v1/inspections/{inspection.pk}/transitions/").status_code == 404
    assert client.get(f"/api/v1/inspections/{inspection.pk}/findings/").status_code == 404
    assert client.post(f"/api/v1/inspections/{inspection.pk}/transitions/start/").status_code == 404
    inspection.refresh_from_db()
    assert inspection.status == "planned"


def test_an_inspector_not_on_the_team_does_not_find_the_inspection(demo):
    inspection = plan_inspection(demo)
    client = signed_in(another_inspector())
    assert client.get("/api/v1/inspections/").json()["count"] == 0
    assert client.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
    assert client.post(f"/api/v1/inspections/{inspection.pk}/transitions/start/").status_code == 404
    inspection.refresh_from_db()
    assert inspection.status == "planned"


def test_a_team_member_reads_the_inspection_but_does_not_run_its_steps(demo):
    member = another_inspector()
    inspection = plan_inspection(demo, members=(member,))
    client = signed_in(member)
    body = client.get(f"/api/v1/inspections/{inspection.pk}/").json()
    assert [(m["username"], m["role"]) for m in body["team"]] == [
        ("inspector", "lead"),
        ("inspector_2", "member"),
    ]
    assert client.post(f"/api/v1/inspections/{inspection.pk}/transitions/start/").status_code == 403
    inspection.refresh_from_db()
    assert inspection.status == "planned"


@pytest.mark.parametrize("username", ["province", "manager"])
def test_the_province_reads_every_inspection_but_runs_nothing(demo, api_as, username):
    inspection = advance(plan_inspection(demo), "in_progress", demo)
    client = api_as(username)
    assert [i["id"] for i in client.get("/api/v1/inspections/").json()["results"]] == [
        inspection.pk
    ]
    assert client.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 200
    options = client.get(f"/api/v1/inspections/{inspection.pk}/transitions/").json()
    assert not any(row["allowed"] for row in options)

    step = client.post(f"/api/v1/inspections/{inspection.pk}/transitions/begin_reporting/")
    assert step.status_code == 403
    finding = client.post(
        f"/api/v1/inspections/{inspection.pk}/findings/",
        {"description": "…", "legal_basis": "…", "responsible": "…", "sanction": "warning"},
        format="json",
    )
    assert finding.status_code == 403
    inspection.refresh_from_db()
    assert (inspection.status, inspection.findings.count()) == ("in_progress", 0)


def test_every_endpoint_answers_401_without_credentials(demo, api):
    inspection = plan_inspection(demo)
    for method, url in [
        ("get", "/api/v1/inspections/"),
        ("post", "/api/v1/inspections/"),
        ("get", f"/api/v1/inspections/{inspection.pk}/"),
        ("get", f"/api/v1/inspections/{inspection.pk}/transitions/"),
        ("post", f"/api/v1/inspections/{inspection.pk}/transitions/start/"),
        ("get", f"/api/v1/inspections/{inspection.pk}/findings/"),
        ("post", f"/api/v1/inspections/{inspection.pk}/recommendations/"),
        ("post", "/api/v1/recommendations/1/done/"),
        ("get", "/api/v1/inspection-subjects/"),
    ]:
        assert getattr(api, method)(url).status_code == 401, url
    inspection.refresh_from_db()
    assert inspection.status == "planned"


def test_an_inspector_plans_an_inspection_and_leads_its_team(demo, api_as):
    member = another_inspector()
    culture = Agency.objects.get(name="Sở Văn hóa, Thể thao và Du lịch tỉnh Ninh Bình")
    response = api_as("inspector").post(
        "/api/v1/inspections/",
        plan_payload(member_agencies=[culture.pk], members=[member.pk]),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["topic"]) == ("thematic", "online_privacy")
    assert body["status"] == "planned"
    assert [a["name"] for a in body["member_agencies"]] == [culture.name]
    assert {(m["username"], m["role"]) for m in body["team"]} == {
        ("inspector", "lead"),
        ("inspector_2", "member"),
    }
    assert Inspection.objects.get(pk=body["id"]).created_by == demo["inspector"]


@pytest.mark.parametrize("username", ["province", "manager", "officer_a"])
def test_only_inspectors_plan_inspections(demo, api_as, username):
    response = api_as(username).post("/api/v1/inspections/", plan_payload(), format="json")
    assert response.status_code == 403
    assert not Inspection.objects.exists()


def test_a_bad_plan_names_every_bad_field_and_creates_nothing(demo, api_as):
    response = api_as("inspector").post(
        "/api/v1/inspections/",
        plan_payload(
            topic="weather",
            planned_end=str(TODAY - datetime.timedelta(days=1)),
            members=[999999],
        ),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"topic", "planned_end", "members"}
    assert not Inspection.objects.exists()


def test_a_plan_led_by_another_agency_or_with_a_non_inspector_is_refused(demo, api_as):
    police = Agency.objects.get(name="Công an tỉnh Ninh Bình")
    response = api_as("inspector").post(
        "/api/v1/inspections/",
        plan_payload(lead_agency=police.pk, members=[demo["officer_a"].pk]),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"lead_agency", "members"}
    assert not Inspection.objects.exists()


def test_the_list_filters_by_kind_topic_status_lead_agency_and_year(demo, api_as):
    school = plan_inspection(demo)
    online = plan_inspection(
        demo,
        kind="thematic",
        topic="online_privacy",
        decision_date=datetime.date(2025, 2, 1),
        planned_start=datetime.date(2025, 3, 1),
        planned_end=datetime.date(2025, 3, 5),
    )
    advance(online, "in_progress", demo)
    client = api_as("province")

    def ids(**params) -> list[int]:
        response = client.get("/api/v1/inspections/", params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [school.pk, online.pk]  # latest planned start first
    assert ids(kind="thematic") == [online.pk]
    assert ids(topic="school_violence") == [school.pk]
    assert ids(status="in_progress") == [online.pk]
    assert ids(year=2025) == [online.pk]
    assert ids(lead_agency=school.lead_agency_id, status="") == [school.pk, online.pk]
    other = Agency.objects.get(name="Công an tỉnh Ninh Bình")
    assert ids(lead_agency=other.pk) == []


def test_unknown_filter_values_answer_400(demo, api_as):
    response = api_as("province").get(
        "/api/v1/inspections/",
        {"kind": "x", "topic": "weather", "status": "lost", "lead_agency": 999999, "year": "x"},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "topic", "status", "lead_agency", "year"}


def test_the_lists_query_count_does_not_grow_with_its_rows(demo, api_as):
    client = api_as("province")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/inspections/")
        assert response.status_code == 200
        return len(captured.captured_queries)

    for _ in range(3):
        plan_inspection(demo)
    queries()  # the user's scope is read once and kept on the user
    few = queries()
    for _ in range(9):
        plan_inspection(demo)
    assert client.get("/api/v1/inspections/").json()["count"] == 12
    assert queries() == few
