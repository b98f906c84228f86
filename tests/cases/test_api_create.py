"""Recording a report (Form 01) through the API."""

import re

import pytest
from django.utils import translation

from cases.clocks import LABELS
from cases.models import Case, Child
from tests.cases.factories import advance, make_case

URL = "/api/v1/cases/"


def report(**overrides) -> dict:
    body = {
        "commune": "14428",
        "channel": "phone",
        "source": "neighbour",
        "description": "Trẻ bị đánh.",
        "situation": "abused",
        "abuse_forms": ["physical_violence"],
        "setting": "family",
        "reporter_name": "Trần Văn Hàng",
        "reporter_contact": "0912 345 678",
        "child": {
            "full_name": "Nguyễn Thị Lan",
            "sex": "female",
            "estimated_age": 9,
            "ethnicity": "01",
            "special_circumstances": ["l"],
            "carers": [{"name": "Bà Hoa", "relation": "grandmother", "contact": "0987"}],
        },
    }
    return body | overrides


def test_an_officer_records_a_report_for_a_new_child(api_as):
    response = api_as("officer_a").post(URL, report(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert re.match(r"^37-\d{4}-\d{6}$", body["code"])
    assert body["status"] == "received"
    assert body["commune"] == "14428"
    assert body["abuse_forms"] == ["physical_violence"]
    assert body["child"]["full_name"] == "Nguyễn Thị Lan"
    assert body["child"]["special_circumstances"] == ["l"]
    assert body["child"]["carers"][0]["name"] == "Bà Hoa"
    assert body["reporter_name"] == "Trần Văn Hàng"
    assert [c["kind"] for c in body["open_clocks"]] == ["case_initial_assessment"]
    # The API speaks the request's language, Vietnamese by default.
    with translation.override("vi"):
        expected = str(LABELS["case_initial_assessment"])
    assert body["open_clocks"][0]["label"] == expected
    assert Case.objects.get(pk=body["id"]).events.get().action == "create"


def test_it_names_every_bad_field_at_once(api_as):
    body = report()
    del body["description"]
    body["child"] = body["child"] | {"sex": "robot"}
    body["abuse_forms"] = []

    response = api_as("officer_a").post(URL, body, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) >= {"description", "abuse_forms", "child"}
    assert "sex" in errors["child"]
    assert Case.objects.count() == 0


def test_a_child_needs_exactly_one_of_birth_date_and_estimated_age(api_as):
    child = report()["child"] | {"date_of_birth": "2017-03-01", "sex": "robot"}

    response = api_as("officer_a").post(URL, report(child=child), format="json")

    assert response.status_code == 400
    assert set(response.json()["child"]) == {"sex", "date_of_birth"}


def test_bad_codes_are_refused_with_their_field(api_as):
    body = report(channel="pigeon", abuse_forms=["gossip"], setting="moon")
    body["child"] = body["child"] | {"ethnicity": "99", "special_circumstances": ["rich"]}

    response = api_as("officer_a").post(URL, body, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"channel", "abuse_forms", "setting", "child"}
    assert set(errors["child"]) == {"ethnicity", "special_circumstances"}


def test_a_report_names_either_a_new_child_or_a_known_one(api_as):
    body = report()
    del body["child"]

    response = api_as("officer_a").post(URL, body, format="json")

    assert response.status_code == 400
    assert "child" in response.json()


def test_an_unknown_commune_is_refused(api_as):
    response = api_as("officer_a").post(URL, report(commune="99999"), format="json")

    assert response.status_code == 400
    assert "commune" in response.json()


def test_a_report_received_in_the_future_is_refused(api_as):
    response = api_as("officer_a").post(
        URL, report(received_at="2999-01-01T00:00:00+07:00"), format="json"
    )

    assert response.status_code == 400
    assert "received_at" in response.json()


def test_roles_that_do_not_record_reports_are_refused(api_as):
    for username in ("manager", "police", "inspector", "chair_a"):
        response = api_as(username).post(URL, report(), format="json")
        assert response.status_code == 403, username
    # An inspector hands a child over through a finding of its inspection, never by naming the
    # source: the intake has no inspection to check the commune against.
    handed = api_as("inspector").post(URL, report(source="inspection"), format="json")
    assert handed.status_code == 403
    assert Case.objects.count() == 0


def test_an_officer_may_not_record_for_another_commune(api_as):
    response = api_as("officer_b").post(URL, report(commune="14428"), format="json")

    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_anonymous_callers_are_asked_to_sign_in(api, demo):
    assert api.post(URL, report(), format="json").status_code == 401
    assert api.get(URL).status_code == 401


def test_a_known_child_is_linked_instead_of_created_again(api_as, demo):
    first = make_case(demo["officer_a"])
    body = report()
    del body["child"]

    response = api_as("officer_a").post(URL, body | {"child_id": first.child_id}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["child"]["id"] == first.child_id
    assert Child.objects.count() == 1


def test_a_child_of_a_case_the_user_cannot_see_is_refused(api_as, demo):
    other = make_case(demo["officer_a"])
    body = report(commune="14329")
    del body["child"]

    response = api_as("officer_b").post(URL, body | {"child_id": other.child_id}, format="json")

    assert response.status_code == 400
    assert "child_id" in response.json()


def test_the_hotline_sees_its_report_until_the_commune_takes_it_over(api_as, demo):
    hotline = api_as("hotline")
    response = hotline.post(URL, report(commune="14329", channel="hotline_111"), format="json")
    assert response.status_code == 201, response.json()
    case_id = response.json()["id"]
    assert [row["id"] for row in hotline.get(URL).json()["results"]] == [case_id]
    assert hotline.get(f"{URL}{case_id}/").status_code == 200

    advance(
        Case.objects.get(pk=case_id),
        "assess_initial",
        officer=demo["officer_b"],
        chair=demo["chair_b"],
    )

    assert hotline.get(URL).json()["results"] == []
    assert hotline.get(f"{URL}{case_id}/").status_code == 404


@pytest.mark.parametrize("abuse_forms", [1, True, "sexual_abuse", {"sexual_abuse": 1}])
def test_abuse_forms_that_are_no_list_are_refused_by_name(api_as, abuse_forms):
    body = report(abuse_forms=abuse_forms, sexual_abuse_forms=["rape"])

    response = api_as("officer_a").post(URL, body, format="json")

    assert response.status_code == 400 and "abuse_forms" in response.json()
    assert Case.objects.count() == 0


def test_the_forms_of_sexual_abuse_go_with_sexual_abuse_only(api_as):
    officer = api_as("officer_a")
    wrong = officer.post(URL, report(sexual_abuse_forms=["rape"]), format="json")
    right = officer.post(
        URL, report(abuse_forms=["sexual_abuse"], sexual_abuse_forms=["rape"]), format="json"
    )

    assert wrong.status_code == 400 and "sexual_abuse_forms" in wrong.json()
    assert right.status_code == 201, right.json()
