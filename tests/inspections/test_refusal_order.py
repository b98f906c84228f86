"""One order of refusal for every write to an inspection, through the API and the pages: not
visible → 404; visible, but not the user's to do → 403; not possible now → 409 whatever the
payload; possible, but the payload is wrong → 400 naming each field. Each refused call changes
nothing."""

import datetime

import pytest
from django.contrib.messages import constants as message_levels
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from inspections import services
from inspections.models import Inspection
from tests.inspections.factories import advance, another_inspector, plan_inspection

BAD_FINDING = {"description": "…", "sanction": "prison"}


def state(inspection: Inspection) -> tuple:
    inspection.refresh_from_db()
    return (
        inspection.status,
        inspection.events.count(),
        inspection.findings.count(),
        inspection.recommendations.count(),
    )


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def step(client: APIClient, inspection: Inspection, name: str, payload: dict):
    return client.post(
        f"/api/v1/inspections/{inspection.pk}/transitions/{name}/",
        payload,
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


@pytest.fixture
def member(demo):
    return another_inspector()


@pytest.fixture
def inspection(demo, member) -> Inspection:
    return plan_inspection(demo, members=(member,))


def open_recommendation(demo, inspection: Inspection):
    return services.recommendation_add(
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        action="Niêm yết số Tổng đài 111",
        responsible="Nhà trường",
        due_date=timezone.localdate() + datetime.timedelta(days=10),
    )


# --- 409 before 400 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "name", "payload"),
    [
        ("planned", "conclude", {}),
        ("planned", "conclude", {"conclusion": "", "no_violation_found": "maybe"}),
        ("in_progress", "start", {"surprise": 1}),
        ("closed", "cancel", {}),
        ("cancelled", "cancel", {"reason": ""}),
    ],
)
def test_a_step_not_possible_now_is_409_whatever_its_payload(
    demo, api_as, inspection, status, name, payload
):
    inspection = advance(inspection, status, demo)
    before = state(inspection)
    response = step(api_as("inspector"), inspection, name, payload)
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "invalid_transition"
    assert state(inspection) == before


def test_a_guard_refuses_with_409_before_the_payload_is_judged(demo, api_as, inspection):
    inspection = advance(inspection, "reporting", demo)
    open_recommendation(demo, inspection)
    inspection = advance(inspection, "follow_up", demo)
    before = state(inspection)
    response = step(api_as("inspector"), inspection, "close", {"surprise": 1})
    assert (response.status_code, response.json()["code"]) == (409, "invalid_transition")
    assert response.json()["detail"] == "1 recommendation is neither done nor waived."
    assert state(inspection) == before


def test_findings_and_recommendations_not_possible_now_are_409_whatever_the_payload(
    demo, api_as, inspection
):
    client = api_as("inspector")
    before = state(inspection)
    finding = client.post(
        f"/api/v1/inspections/{inspection.pk}/findings/", BAD_FINDING, format="json"
    )
    assert (finding.status_code, finding.json()["code"]) == (409, "invalid_transition")
    recommendation = client.post(
        f"/api/v1/inspections/{inspection.pk}/recommendations/", {}, format="json"
    )
    assert (recommendation.status_code, recommendation.json()["code"]) == (
        409,
        "invalid_transition",
    )
    assert state(inspection) == before


def test_a_resolved_recommendation_is_409_whatever_the_payload(demo, api_as, inspection):
    inspection = advance(inspection, "reporting", demo)
    recommendation = open_recommendation(demo, inspection)
    client = api_as("inspector")
    url = f"/api/v1/recommendations/{recommendation.pk}/"
    assert client.post(url + "done/", {"evidence": "Biên bản"}).status_code == 200
    assert client.post(url + "done/", {}).status_code == 409
    assert client.post(url + "waive/", {}).status_code == 409


# --- 403 before 409 and 400 ----------------------------------------------------------------------


def test_a_member_of_the_team_is_refused_a_step_with_403_whatever_the_payload(
    demo, inspection, member
):
    before = state(inspection)
    client = api_for(member)
    for name, payload in [("cancel", {}), ("start", {}), ("conclude", {"conclusion": ""})]:
        response = step(client, inspection, name, payload)
        assert response.status_code == 403, (name, response.json())
        assert response.json()["detail"] == "only the head of the team"
    assert state(inspection) == before


@pytest.mark.parametrize("username", ["province", "manager"])
def test_an_overseer_is_refused_every_write_with_403(demo, api_as, inspection, username):
    inspection = advance(inspection, "reporting", demo)
    recommendation = open_recommendation(demo, inspection)
    before = state(inspection)
    client = api_as(username)
    assert step(client, inspection, "conclude", {}).status_code == 403
    assert step(client, inspection, "start", {}).status_code == 403  # not possible now either
    findings = f"/api/v1/inspections/{inspection.pk}/findings/"
    assert client.post(findings, BAD_FINDING, format="json").status_code == 403
    recommendations = f"/api/v1/inspections/{inspection.pk}/recommendations/"
    assert client.post(recommendations, {}, format="json").status_code == 403
    done = f"/api/v1/recommendations/{recommendation.pk}/done/"
    assert client.post(done, {}, format="json").status_code == 403
    assert state(inspection) == before


def test_only_the_head_of_the_team_waives_whatever_the_payload(demo, inspection, member):
    inspection = advance(inspection, "reporting", demo)
    recommendation = open_recommendation(demo, inspection)
    response = api_for(member).post(f"/api/v1/recommendations/{recommendation.pk}/waive/", {})
    assert response.status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.status == "open"


# --- 404 before everything -----------------------------------------------------------------------


def test_an_inspection_out_of_sight_is_404_for_every_write(demo, api_as, inspection):
    inspection = advance(inspection, "reporting", demo)
    recommendation = open_recommendation(demo, inspection)
    before = state(inspection)
    for client in (api_as("officer_a"), api_for(another_inspector("inspector_3"))):
        assert step(client, inspection, "conclude", {}).status_code == 404
        assert step(client, inspection, "start", {}).status_code == 404
        findings = f"/api/v1/inspections/{inspection.pk}/findings/"
        assert client.post(findings, BAD_FINDING, format="json").status_code == 404
        recommendations = f"/api/v1/inspections/{inspection.pk}/recommendations/"
        assert client.post(recommendations, {}, format="json").status_code == 404
        for outcome in ("done", "waive"):
            url = f"/api/v1/recommendations/{recommendation.pk}/{outcome}/"
            assert client.post(url, {}, format="json").status_code == 404
    assert state(inspection) == before


# --- 400 naming each field -----------------------------------------------------------------------


def test_a_step_that_takes_no_input_names_each_field_sent_anyway(demo, api_as, inspection):
    before = state(inspection)
    response = step(api_as("inspector"), inspection, "start", {"when": "now", "who": "me"})
    assert response.status_code == 400
    assert set(response.json()) == {"when", "who"}
    assert state(inspection) == before
    assert step(api_as("inspector"), inspection, "start", {}).status_code == 200


def test_a_possible_step_with_a_bad_payload_is_400_naming_the_field(demo, api_as, inspection):
    inspection = advance(inspection, "reporting", demo)
    before = state(inspection)
    response = step(api_as("inspector"), inspection, "conclude", {"no_violation_found": "maybe"})
    assert response.status_code == 400
    assert set(response.json()) == {"conclusion", "no_violation_found"}
    assert state(inspection) == before


# --- The same order on the pages -----------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def transition_url(inspection: Inspection, name: str) -> str:
    return reverse("inspections:transition", args=[inspection.pk, name])


def test_a_page_refuses_a_step_not_possible_now_before_judging_its_form(demo, inspection):
    before = state(inspection)
    # An empty conclusion on a planned inspection: the state answers, not the form.
    response = signed_in(demo["inspector"]).post(
        transition_url(inspection, "conclude"),
        {"conclude-conclusion": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    detail = reverse("inspections:detail", args=[inspection.pk])
    assert response.redirect_chain == [(detail, 302)]
    errors = [str(m) for m in response.context["messages"] if m.level == message_levels.ERROR]
    assert errors == ["“Conclude” is not possible while the inspection is “Planned”."]
    assert state(inspection) == before


def test_a_page_refuses_a_member_a_step_with_403_before_judging_its_form(demo, inspection, member):
    before = state(inspection)
    client = signed_in(member)
    assert client.post(transition_url(inspection, "cancel"), {}).status_code == 403
    assert client.post(transition_url(inspection, "start")).status_code == 403
    assert state(inspection) == before


def test_a_page_refuses_an_overseer_a_finding_with_403_before_judging_its_form(demo, inspection):
    inspection = advance(inspection, "in_progress", demo)
    before = state(inspection)
    url = reverse("inspections:finding", args=[inspection.pk])
    assert signed_in(demo["province"]).post(url, {}).status_code == 403
    assert state(inspection) == before


def test_a_page_answers_404_for_an_inspection_out_of_sight(demo, inspection):
    inspection = advance(inspection, "reporting", demo)
    recommendation = open_recommendation(demo, inspection)
    before = state(inspection)
    client = signed_in(demo["officer_a"])
    assert client.post(transition_url(inspection, "conclude"), {}).status_code == 404
    assert client.post(reverse("inspections:finding", args=[inspection.pk]), {}).status_code == 404
    resolve = reverse("inspections:resolve", args=[inspection.pk, recommendation.pk, "done"])
    assert client.post(resolve, {}).status_code == 404
    assert state(inspection) == before


def test_a_page_answers_404_for_an_unknown_step(demo, inspection):
    response = signed_in(demo["inspector"]).post(transition_url(inspection, "approve"))
    assert response.status_code == 404
