"""One order of refusal for every referral step, in the API and on the web pages: not visible →
404; visible but not the user's step → 403; not possible now → 409 whatever was sent; possible
but the input is wrong → 400 (the form again, with its errors), and nothing changes."""

import pytest

from cases import services as case_services
from core.models import Clock
from referrals import services
from referrals.models import Referral
from referrals.workflow import REFERRAL_WORKFLOW
from tests.referrals.helpers import agency, refer, sexual_abuse_case, staff_of

GARBAGE = {"reason": "", "due_at": "soon", "police_decision": "acquitted", "assigned_to": "x"}


@pytest.fixture
def referral(demo) -> Referral:
    return refer(demo, sexual_abuse_case(demo), "police_report")


def snapshot(referral: Referral) -> tuple:
    referral.refresh_from_db()
    clocks = list(Clock.objects.for_object(referral).values_list("kind", "met_at", "due_at"))
    return referral.status, referral.assigned_to_id, referral.case.events.count(), clocks


def step_url(referral: Referral, name: str) -> str:
    return f"/api/v1/referrals/{referral.pk}/transitions/{name}/"


# --- The API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REFERRAL_WORKFLOW.names)
def test_an_invisible_referral_answers_404_whatever_the_payload(demo, api_as, referral, name):
    before = snapshot(referral)
    for username in ("hospital", "officer_b"):
        response = api_as(username).post(step_url(referral, name), GARBAGE, format="json")
        assert response.status_code == 404, username
    listed = api_as("hospital").get(f"/api/v1/referrals/{referral.pk}/transitions/")
    assert listed.status_code == 404
    assert snapshot(referral) == before


@pytest.mark.parametrize(
    ("name", "username"),
    [
        ("accept", "officer_a"),
        ("decline", "chair_a"),
        ("complete", "province"),
        ("extend", "officer_a"),
        ("assign", "police"),  # staff, not the head
        ("cancel", "police"),
    ],
)
def test_a_visible_referral_by_the_wrong_role_answers_403_whatever_the_payload(
    demo, api_as, referral, name, username
):
    before = snapshot(referral)
    response = api_as(username).post(
        step_url(referral, name), GARBAGE, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == str(REFERRAL_WORKFLOW[name].who.refusal())
    assert snapshot(referral) == before


@pytest.mark.parametrize("name", ["complete", "extend"])
def test_an_impossible_step_with_a_bad_payload_answers_409(demo, api_as, referral, name):
    before = snapshot(referral)  # pending: neither completing nor extending is possible yet
    response = api_as("police").post(step_url(referral, name), GARBAGE, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert snapshot(referral) == before


def test_a_possible_step_with_a_bad_payload_answers_400_naming_each_field(demo, api_as, referral):
    police = api_as("police")
    before = snapshot(referral)
    declined = police.post(step_url(referral, "decline"), {}, format="json")
    assert declined.status_code == 400
    assert set(declined.json()) == {"reason"}
    assert snapshot(referral) == before

    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    before = snapshot(referral)
    extended = police.post(step_url(referral, "extend"), {"due_at": "soon"}, format="json")
    assert extended.status_code == 400
    assert set(extended.json()) == {"due_at", "reason"}
    completed = police.post(step_url(referral, "complete"), {"summary": "…"}, format="json")
    assert completed.status_code == 400  # the service judges the outcome of a police report
    assert {"police_decision", "summary"} <= set(completed.json())
    assert snapshot(referral) == before


def test_creating_a_referral_judges_the_case_before_the_body(demo, api_as):
    case = sexual_abuse_case(demo)
    body = {"case": case.pk, "service": "massage", "agency": 999999}
    assert api_as("officer_b").post("/api/v1/referrals/", body, format="json").status_code == 404
    assert api_as("chair_a").post("/api/v1/referrals/", body, format="json").status_code == 403
    assert api_as("officer_a").post("/api/v1/referrals/", body, format="json").status_code == 400

    case_services.case_dismiss(
        actor=demo["officer_a"],
        case_id=case.pk,
        reason="unfounded",
        verification="Đã gặp gia đình.",
    )
    closed = api_as("officer_a").post("/api/v1/referrals/", body, format="json")
    assert closed.status_code == 409
    assert not case.referrals.exists()


def test_a_waiver_judges_the_case_before_the_body(demo, api_as):
    case = sexual_abuse_case(demo)
    body = {"case": case.pk, "service": "massage"}
    url = "/api/v1/referrals/waivers/"
    assert api_as("chair_b").post(url, body, format="json").status_code == 404
    assert api_as("officer_a").post(url, body, format="json").status_code == 403
    refused = api_as("chair_a").post(url, body, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"service", "reason"}
    assert not case.referrals.exists()


def test_each_step_documents_its_own_request_body_in_the_schema(api_as):
    paths = api_as("officer_a").get("/api/schema/", {"format": "json"}).json()["paths"]
    bodies = {}
    for name in REFERRAL_WORKFLOW.names:
        operation = paths[f"/api/v1/referrals/{{id}}/transitions/{name}/"]["post"]
        assert operation["operationId"] == f"v1_referrals_transitions_{name}"
        assert {"400", "403", "404", "409"} <= set(operation["responses"])
        bodies[name] = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert bodies["accept"].endswith("/ReferralAcceptRequest")  # an empty object
    assert bodies["complete"].endswith("/ReferralCompleteRequest")
    assert bodies["extend"].endswith("/ReferralExtendRequest")
    assert len(set(bodies.values())) == len(bodies), "one body per step, none shared"
    assert "/api/v1/referrals/{id}/transitions/{name}/" not in paths


# --- The web pages -------------------------------------------------------------------------------


def page(client, user):
    client.force_login(user)
    return client


def test_the_step_page_refuses_before_it_shows_a_form(client, demo, referral):
    url = f"/referrals/{referral.pk}/decline/"
    assert page(client, demo["hospital"]).get(url).status_code == 404
    assert page(client, demo["officer_a"]).get(url).status_code == 403
    assert page(client, demo["police"]).get(f"/referrals/{referral.pk}/fly/").status_code == 404

    shown = page(client, demo["police"]).get(url)
    assert shown.status_code == 200
    assert 'name="decline-reason"' in shown.content.decode()

    not_now = client.get(
        f"/referrals/{referral.pk}/complete/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert not_now.redirect_chain == [(f"/referrals/{referral.pk}/", 302)]
    assert [str(m) for m in not_now.context["messages"]] == [
        "“Complete the referral” is not possible while the referral is “Pending”."
    ]


def test_an_impossible_step_with_a_bad_form_is_refused_by_its_state(client, demo, referral):
    before = snapshot(referral)
    response = page(client, demo["police"]).post(
        f"/referrals/{referral.pk}/extend/", {"extend-due_at": "soon"}
    )
    assert response.status_code == 302
    assert response.url == f"/referrals/{referral.pk}/"
    assert snapshot(referral) == before


def test_the_wrong_role_gets_403_whatever_the_form(client, demo, referral):
    before = snapshot(referral)
    response = page(client, demo["police"]).post(f"/referrals/{referral.pk}/cancel/", {})
    assert response.status_code == 403
    assert snapshot(referral) == before


def test_a_bad_form_comes_back_with_its_errors_and_changes_nothing(client, demo, referral):
    before = snapshot(referral)
    response = page(client, demo["police"]).post(
        f"/referrals/{referral.pk}/decline/", {"decline-reason": ""}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert snapshot(referral) == before


def test_a_services_refusal_of_the_input_lands_on_its_field(client, demo, referral):
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    before = snapshot(referral)
    response = page(client, demo["police"]).post(
        f"/referrals/{referral.pk}/extend/",
        {"extend-due_at": "2099-01-01T00:00", "extend-reason": "Phức tạp"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["due_at"]
    assert snapshot(referral) == before


def test_the_referral_form_refuses_for_the_case_before_the_form(client, demo):
    case = sexual_abuse_case(demo)
    url = f"/referrals/case/{case.pk}/refer/"
    assert page(client, demo["officer_b"]).post(url, {}).status_code == 404
    assert page(client, demo["chair_a"]).post(url, {}).status_code == 403

    officer = page(client, demo["officer_a"])
    wrong_agency = officer.post(
        url,
        {
            "refer-service": "police_report",
            "refer-agency": agency("medical_care").pk,
            "refer-urgency": "urgent",
            "refer-reason": "…",
            "refer-consent_basis": "emergency",
        },
    )
    assert wrong_agency.status_code == 200
    assert list(wrong_agency.context["form"].errors) == ["agency"]
    assert not case.referrals.exists()


def test_the_chair_waives_from_the_case_page_form(client, demo):
    case = sexual_abuse_case(demo)
    url = f"/referrals/case/{case.pk}/waive/"
    assert page(client, demo["officer_a"]).post(url, {}).status_code == 403
    chair = page(client, demo["chair_a"])
    refused = chair.post(url, {"waive-service": "education_support", "waive-reason": "…"})
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["service"]
    done = chair.post(url, {"waive-service": "legal_aid", "waive-reason": "Tự thuê luật sư"})
    assert done.status_code == 302
    assert case.referrals.get().status == "waived"


def test_a_step_that_takes_no_input_refuses_a_field_sent_anyway(api_as, demo):
    referral = refer(demo, sexual_abuse_case(demo), "police_report")
    response = api_as(staff_of(demo, "police_report").username).post(
        f"/api/v1/referrals/{referral.pk}/transitions/accept/", {"note": "x"}, format="json"
    )

    assert response.status_code == 400
    assert "note" in response.json()
