"""The API of access (issue 16): as real roles, the wrong role, the wrong scope, bad input."""

import pytest
from django.test import override_settings

from access.models import CaseAccess
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def grant_payload(case, demo, **overrides):
    return {
        "case": case.pk,
        "user": demo["school"].pk,
        "sections": ["child", "plan"],
        "explanation": "Giáo viên theo dõi.",
    } | overrides


def test_grant_revoke_and_who_can_see(demo, api_as):
    case = make_case(demo["officer_a"])
    answer = api_as("officer_a").post(
        "/api/v1/access/grants/", grant_payload(case, demo), format="json"
    )
    assert answer.status_code == 201, answer.data
    assert answer.data["sections"] == ["child", "plan"]
    access_id = answer.data["id"]
    who = api_as("chair_a").get(f"/api/v1/cases/{case.pk}/access/")
    assert who.status_code == 200
    rows = {row["username"]: row for row in who.data}
    assert rows["school"]["access"] == access_id and rows["school"]["until"]
    assert rows["officer_a"]["rule"] and rows["officer_a"]["access"] is None
    assert api_as("school").get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert api_as("officer_a").post(f"/api/v1/access/{access_id}/revoke/").status_code == 200
    assert api_as("school").get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_the_wrong_role_and_the_wrong_scope(demo, api_as):
    case = make_case(demo["officer_a"])
    assert api_as("province").get(f"/api/v1/cases/{case.pk}/access/").status_code == 403
    assert api_as("officer_b").get(f"/api/v1/cases/{case.pk}/access/").status_code == 404
    payload = grant_payload(case, demo)
    assert (
        api_as("province").post("/api/v1/access/grants/", payload, format="json").status_code == 403
    )
    assert (
        api_as("police").post("/api/v1/access/grants/", payload, format="json").status_code == 404
    )
    assert not CaseAccess.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"sections": ["reporter"]},
        {"days": 120},
        {"sections": "child"},
        {"user": "x"},
        {"explanation": ""},
    ],
)
def test_bad_grants_answer_400_and_change_nothing(demo, api_as, overrides):
    case = make_case(demo["officer_a"])
    payload = grant_payload(case, demo, **overrides)
    answer = api_as("officer_a").post("/api/v1/access/grants/", payload, format="json")
    assert answer.status_code == 400, answer.data
    assert not CaseAccess.objects.exists()


def test_the_api_lets_in_no_one_the_grant_page_does_not_offer(demo, api_as, api_for, hanoi):
    """The page offers the case's province only; the API once let a Hà Nội officer read it."""
    case = make_case(demo["officer_a"])
    payload = grant_payload(case, demo, user=hanoi.officer.pk)

    answer = api_as("officer_a").post("/api/v1/access/grants/", payload, format="json")

    assert answer.status_code == 400 and "user" in answer.data
    assert not CaseAccess.objects.exists()
    assert api_for(hanoi.officer).get(f"/api/v1/cases/{case.pk}/").status_code == 404


@override_settings(CHECHO_BREAK_GLASS_SEARCHES=2)
def test_break_the_glass_and_review_through_the_api(demo, api_as):
    case = make_case(demo["officer_a"])
    body = {"code": case.code, "reason": "police_intervention", "explanation": "Tại hiện trường."}
    assert (
        api_as("school").post("/api/v1/access/break-glass/", body, format="json").status_code == 403
    )
    police = api_as("police")
    assert (
        police.post(
            "/api/v1/access/break-glass/", body | {"code": "37-1"}, format="json"
        ).status_code
        == 404
    )
    answer = police.post("/api/v1/access/break-glass/", body, format="json")
    assert answer.status_code == 201 and answer.data == [{"id": case.pk, "code": case.code}]
    assert police.post("/api/v1/access/break-glass/", body, format="json").status_code == 429
    assert police.get(f"/api/v1/cases/{case.pk}/").status_code == 200

    province = api_as("province")
    waiting = province.get("/api/v1/access/reviews/")
    assert [row["case_code"] for row in waiting.data] == [case.code]
    access_id = waiting.data[0]["id"]
    review = f"/api/v1/access/{access_id}/review/"
    assert province.post(review, {"justified": False}, format="json").status_code == 400
    assert api_as("officer_a").post(review, {"justified": True}, format="json").status_code == 404
    assert province.post(review, {"justified": True}, format="json").status_code == 200
    assert province.post(review, {"justified": True}, format="json").status_code == 409
    assert api_as("officer_a").get("/api/v1/access/reviews/").status_code == 403


def test_what_a_user_can_see_for_the_reviewers_only(demo, api_as):
    make_case(demo["officer_a"])
    rows = api_as("admin").get(f"/api/v1/access/users/{demo['officer_a'].pk}/").data["results"]
    assert any(row["count"] >= 1 and not row["cases"] for row in rows)
    assert (
        api_as("province").get(f"/api/v1/access/users/{demo['officer_a'].pk}/").status_code == 200
    )
    assert (
        api_as("officer_b").get(f"/api/v1/access/users/{demo['officer_a'].pk}/").status_code == 403
    )


def test_the_grantee_reads_only_the_granted_sections_through_the_api(demo, api_as):
    case = make_case(demo["officer_a"])
    payload = grant_payload(case, demo, sections=["child"])
    assert (
        api_as("officer_a").post("/api/v1/access/grants/", payload, format="json").status_code
        == 201
    )
    data = api_as("school").get(f"/api/v1/cases/{case.pk}/").json()
    assert data["child"]["full_name"] == "Nguyễn Thị Lan"
    assert "carers" not in data["child"]  # family and carers not granted
    for hidden in ("received_at", "description", "reporter_name", "abuse_forms"):
        assert hidden not in data, hidden
    assert api_as("school").get(f"/api/v1/cases/{case.pk}/events/").status_code == 403
