"""Hostile input to the access endpoints changes nothing and never answers 500: a NUL byte, year 1,
a code far too long, ids far beyond any row, someone else's case."""

import pytest

from access.models import CaseAccess
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

GLASS = {"reason": "medical_emergency", "explanation": "Cấp cứu."}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"code": "\x00"}, 400),
        ({"full_name": "A B", "date_of_birth": "0001-01-01"}, 404),
        ({"full_name": "A B", "date_of_birth": "9999-12-31", "explanation": "\x00"}, 400),
        ({"code": "x" * 5000, "reason": "x"}, 400),
    ],
)
def test_break_the_glass(demo, api_as, fresh_search_counts, body, status):
    make_case(demo["officer_a"])
    answer = api_as("police").post("/api/v1/access/break-glass/", GLASS | body, format="json")
    assert answer.status_code == status
    assert not CaseAccess.objects.exists()


def test_grants_and_reviews(demo, api_as, client):
    case = make_case(demo["officer_a"])
    officer = api_as("officer_a")
    for payload, status in [
        ({"case": 2**63, "user": demo["school"].pk}, 404),
        ({"case": case.pk, "user": 2**63}, 400),
        ({"case": case.pk, "user": demo["school"].pk, "explanation": "\x00"}, 400),
    ]:
        body = {"sections": ["child"], "explanation": "Giáo viên."} | payload
        assert officer.post("/api/v1/access/grants/", body, format="json").status_code == status
    assert officer.post("/api/v1/access/99999999999999/revoke/").status_code == 404
    assert api_as("admin").get("/api/v1/access/users/99999999999999/").status_code == 404
    client.force_login(demo["officer_a"])
    assert client.post("/access/case/99999999/grant/", {}).status_code == 404
    refused = client.post(
        f"/access/case/{case.pk}/grant/", {"grant-user": "abc", "grant-days": "-1"}
    )
    assert refused.status_code == 200 and b"form-errors" in refused.content
    assert not CaseAccess.objects.exists()
