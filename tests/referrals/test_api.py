"""The referrals API as the demo roles use it, with its answers' content checked for what must
never leave the commune."""

import json

import pytest
from django.utils import timezone, translation

from core.models import RoleMembership, User
from referrals import services
from referrals.models import Referral
from referrals.workflow import REFERRAL_WORKFLOW
from tests.referrals.helpers import agency, outcome, refer, sexual_abuse_case


@pytest.fixture
def case(demo):
    return sexual_abuse_case(demo)


def test_the_commune_sends_a_referral_through_the_api(api_as, case):
    response = api_as("officer_a").post(
        "/api/v1/referrals/",
        {
            "case": case.pk,
            "service": "police_report",
            "agency": agency("police_report").pk,
            "urgency": "urgent",
            "consent_basis": "carer_suspected",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["required"], body["case_code"]) == ("pending", True, case.code)


def test_bad_input_names_each_bad_field_and_creates_nothing(api_as, case):
    response = api_as("officer_a").post(
        "/api/v1/referrals/",
        {"case": case.pk, "service": "massage", "agency": 999999, "consent_basis": "maybe"},
        format="json",
    )
    assert response.status_code == 400
    assert {"service", "agency", "consent_basis"} <= set(response.json())
    assert not case.referrals.exists()


def test_a_pending_referral_shows_the_agency_no_name_and_no_story(demo, api_as, case):
    referral = refer(demo, case, "police_report")
    response = api_as("police").get(f"/api/v1/referrals/{referral.pk}/")
    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body, ensure_ascii=False)
    assert "Hoa" not in text and case.description not in text
    assert (body["case_code"], body["child_sex"], body["child_age"]) == (case.code, "female", 11)
    # …and the case itself is not found until the police accept.
    assert api_as("police").get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_the_inbox_lists_incoming_referrals_only_to_their_agency(demo, api_as, case):
    refer(demo, case, "police_report")
    refer(demo, case, "medical_care")
    police = api_as("police").get("/api/v1/referrals/?direction=incoming").json()
    assert [r["service"] for r in police["results"]] == ["police_report"]
    assert api_as("forensic").get("/api/v1/referrals/").json()["count"] == 0
    outgoing = api_as("officer_a").get("/api/v1/referrals/?direction=outgoing").json()
    assert outgoing["count"] == 2
    assert api_as("officer_b").get("/api/v1/referrals/").json()["count"] == 0


def test_unknown_filter_values_answer_400(api_as):
    response = api_as("police").get("/api/v1/referrals/?status=lost&direction=sideways")
    assert response.status_code == 400
    assert set(response.json()) == {"status", "direction"}


def test_accept_then_complete_with_a_prosecution_decision(demo, api_as, case):
    referral = refer(demo, case, "police_report")
    police = api_as("police")
    assert police.post(f"/api/v1/referrals/{referral.pk}/transitions/accept/").status_code == 200
    response = police.post(
        f"/api/v1/referrals/{referral.pk}/transitions/complete/",
        {
            "police_decision": "prosecuted",
            "decision_date": timezone.localdate().isoformat(),
            "child_friendly_room": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["outcome"]["police_decision"] == "prosecuted"
    assert body["status"] == "completed"
    # The outcome keeps the receipt the police entered on accepting (here: the acceptance).
    assert body["outcome"]["report_received_at"] == body["report_received_at"]
    assert body["report_received_at"] == body["accepted_at"]


@pytest.mark.parametrize(
    ("username", "expected"),
    [("police", 200), ("officer_a", 403), ("chair_a", 403), ("hospital", 404), ("officer_b", 404)],
)
def test_the_accept_permission_matrix(demo, api_as, case, username, expected):
    referral = refer(demo, case, "police_report")
    response = api_as(username).post(f"/api/v1/referrals/{referral.pk}/transitions/accept/")
    assert response.status_code == expected
    referral.refresh_from_db()
    assert referral.status == ("accepted" if expected == 200 else "pending")


def test_a_wrong_state_answers_409(demo, api_as, case):
    referral = refer(demo, case, "police_report")
    response = api_as("police").post(
        f"/api/v1/referrals/{referral.pk}/transitions/complete/",
        outcome("police_report"),
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_transitions_list_what_the_user_may_do(demo, api_as, case):
    referral = refer(demo, case, "police_report")
    url = f"/api/v1/referrals/{referral.pk}/transitions/"
    rows = {r["name"]: r for r in api_as("police").get(url, HTTP_ACCEPT_LANGUAGE="en").json()}
    assert list(rows) == REFERRAL_WORKFLOW.names
    assert rows["accept"] == {
        "name": "accept",
        "label": "Accept the referral",
        "allowed": True,
        "missing": [],
    }
    assert rows["decline"]["allowed"]
    assert not rows["complete"]["allowed"] and not rows["cancel"]["allowed"]
    sender = {r["name"]: r for r in api_as("officer_a").get(url, HTTP_ACCEPT_LANGUAGE="en").json()}
    assert sender["cancel"]["allowed"] and not sender["accept"]["allowed"]


def test_what_is_missing_is_the_very_refusal_the_step_meets(demo, api_as, case):
    referral = refer(demo, case, "medical_care")
    url = f"/api/v1/referrals/{referral.pk}/transitions/"
    sender = {r["name"]: r for r in api_as("officer_a").get(url, HTTP_ACCEPT_LANGUAGE="en").json()}
    assert sender["accept"]["missing"] == ["only the receiving agency"]
    assert sender["assign"]["missing"] == ["only the head of the receiving agency"]
    assert set(sender["complete"]["missing"]) == {
        "only the receiving agency",
        "“Complete the referral” is not possible while the referral is “Pending”.",
    }

    services.referral_accept(actor=demo["hospital"], referral_id=referral.pk)
    hospital = {r["name"]: r for r in api_as("hospital").get(url, HTTP_ACCEPT_LANGUAGE="en").json()}
    assert hospital["cancel"]["missing"] == ["only the sending commune's officer"]
    assert hospital["extend"]["missing"] == [
        "Only the police's settlement of a crime report can be extended."
    ]
    refused = api_as("hospital").post(
        f"/api/v1/referrals/{referral.pk}/transitions/extend/",
        {"due_at": "2030-01-01T00:00:00+07:00", "reason": "…"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Only the police's settlement of a crime report can be extended.",
        "code": "invalid_transition",
    }


def test_the_agency_head_assigns_through_the_api(demo, api_as, case):
    referral = refer(demo, case, "police_report")
    head = User.objects.create_user("police_head", password="x")
    RoleMembership.objects.create(user=head, role="agency_head", agency=referral.agency)
    client = api_as("police")
    client.force_authenticate(head)
    url = f"/api/v1/referrals/{referral.pk}/transitions/assign/"

    refused = client.post(url, {"assigned_to": demo["hospital"].pk}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"assigned_to"}

    response = client.post(url, {"assigned_to": demo["police"].pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["assigned_to"] == demo["police"].pk
    assert api_as("police").post(url, {"assigned_to": demo["police"].pk}).status_code == 403


def test_the_chair_waives_through_the_api(demo, api_as, case):
    response = api_as("chair_a").post(
        "/api/v1/referrals/waivers/",
        {"case": case.pk, "service": "legal_aid", "reason": "Gia đình tự thuê luật sư"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "waived"
    refused = api_as("officer_a").post(
        "/api/v1/referrals/waivers/",
        {"case": case.pk, "service": "forensic_exam", "reason": "…"},
        format="json",
    )
    assert refused.status_code == 403


MEDICAL_FIELDS = {"child_condition"}


def test_legal_aid_reads_the_case_without_medical_fields_and_loses_it_on_completion(
    demo, api_as, case
):
    referral = refer(demo, case, "legal_aid")
    services.referral_accept(actor=demo["legalaid"], referral_id=referral.pk)

    response = api_as("legalaid").get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["description"] == case.description  # the facts of the matter
    assert body["child"]["full_name"] == "Đinh Thị Hoa"
    assert MEDICAL_FIELDS.isdisjoint(body)
    assert case.child_condition not in json.dumps(body, ensure_ascii=False)
    assert "reporter_name" not in body and "plans" not in body["records"]
    assert api_as("legalaid").get(f"/api/v1/cases/{case.pk}/events/").status_code == 403

    services.referral_complete(
        actor=demo["legalaid"], referral_id=referral.pk, outcome=outcome("legal_aid")
    )
    assert api_as("legalaid").get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api_as("legalaid").get(f"/api/v1/referrals/{referral.pk}/").status_code == 200


def test_the_hospital_reads_the_childs_state_but_not_the_story(demo, api_as, case):
    referral = refer(demo, case, "medical_care")
    services.referral_accept(actor=demo["hospital"], referral_id=referral.pk)
    body = api_as("hospital").get(f"/api/v1/cases/{case.pk}/").json()
    assert body["child_condition"] == case.child_condition
    assert "description" not in body


def test_the_commune_reads_everything_including_the_reporter(demo, api_as, case):
    body = api_as("officer_a").get(f"/api/v1/cases/{case.pk}/").json()
    assert {"description", "child_condition", "reporter_name"} <= set(body)
    assert "plans" in body["records"]
    province = api_as("province").get(f"/api/v1/cases/{case.pk}/").json()
    assert "reporter_name" not in province and "description" in province


def test_an_agency_does_not_list_cases_and_cannot_filter_what_it_may_not_read(demo, api_as, case):
    referral = refer(demo, case, "education_support")
    services.referral_accept(actor=demo["school"], referral_id=referral.pk)
    assert api_as("school").get(f"/api/v1/cases/{case.pk}/").status_code == 200
    listed = api_as("school").get("/api/v1/cases/", {"abuse_form": "sexual_abuse"}).json()
    assert listed["count"] == 0


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_lists_labels_are_the_models_in_the_readers_language(demo, api_as, case, language):
    # The labels are read from the choices once per list (core.api_fields.LabelField), not
    # through get_…_display for each row: they must still say what the model says.
    refer(demo, case, "police_report")
    refer(demo, case, "medical_care")
    with translation.override(language):
        body = api_as("officer_a").get("/api/v1/referrals/", HTTP_ACCEPT_LANGUAGE=language).json()
        expected = [
            {
                "status_display": referral.get_status_display(),
                "service_display": referral.get_service_display(),
                "urgency_display": referral.get_urgency_display(),
                "child_sex_display": referral.case.child.get_sex_display(),
            }
            for referral in Referral.objects.order_by("-sent_at", "-id")
        ]

    shown = [{name: row[name] for name in expected[0]} for row in body["results"]]
    assert shown == expected and len(shown) == 2
    assert {row["service_display"] for row in shown}.isdisjoint({"police_report", "medical_care"})
