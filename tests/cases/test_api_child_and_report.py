"""The child and the report through the API (issue 11): intake refuses a person of 16 or more,
Form 01's family and report fields, Form 02's conclusion, an unfounded dismissal's verification,
and correcting the record (PATCH) with the API's order of refusal."""

import datetime
from typing import Any

from django.utils import timezone

from cases import services
from cases.models import Case
from tests.cases.factories import make_case

URL = "/api/v1/cases/"


def dismiss(case: Case, officer: Any) -> None:
    services.case_dismiss(
        actor=officer, case_id=case.pk, reason="unfounded", verification="Đã gặp gia đình."
    )


def assess(case: Case, officer: Any) -> None:
    services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="medium",
        immediate_danger=False,
        findings="Vết bầm.",
        confirmed="abuse",
        safety_measures="Ở nhà bà.",
    )


def report(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "commune": "14428",
        "channel": "phone",
        "source": "neighbour",
        "description": "Trẻ bị đánh.",
        "situation": "abused",
        "abuse_forms": ["physical_violence"],
        "setting": "family",
        "reporter_name": "Trần Văn Hàng",
        "reporter_contact": "0912 345 678",
        "reporter_address": "Thôn Đông",
        "receiving_body": "UBND xã Nho Quan",
        "report_number": "15/BC-UBND",
        "likely_harm": "Trẻ tiếp tục bị đánh.",
        "actions_taken": "Hàng xóm đưa trẻ sang nhà bà.",
        "child": {
            "full_name": "Nguyễn Thị Lan",
            "sex": "female",
            "estimated_age": 9,
            "disability": True,
            "special_circumstances": ["l"],
            "carers": [
                {"name": "Nguyễn Văn Ba", "relation": "bố", "age": 41, "occupation": "thợ mộc"}
            ],
            "family_circumstances": "Hộ cận nghèo.",
        },
    }
    return body | overrides


def test_form_01_with_the_family_is_recorded_and_shown(api_as):
    response = api_as("officer_a").post(URL, report(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    for name in ("reporter_address", "receiving_body", "report_number", "likely_harm"):
        assert body[name] == report()[name]
    assert body["actions_taken"] == "Hàng xóm đưa trẻ sang nhà bà."
    child = body["child"]
    assert child["special_circumstances"] == ["d", "l"]
    assert child["carers"] == [
        {
            "name": "Nguyễn Văn Ba",
            "relation": "bố",
            "age": 41,
            "occupation": "thợ mộc",
            "contact": "",
        }
    ]
    assert child["family_circumstances"] == "Hộ cận nghèo."
    assert child["age"] == 9


def test_the_reporters_address_is_reporter_data_and_the_family_carers_data(api_as, demo):
    case = make_case(demo["officer_a"], reporter_address="Thôn Đông Bí Mật")

    province = api_as("province").get(f"{URL}{case.pk}/").json()
    own = api_as("officer_a").get(f"{URL}{case.pk}/").json()

    assert own["reporter_address"] == "Thôn Đông Bí Mật"
    assert "reporter_address" not in province
    assert "reporter_name" not in province
    assert "likely_harm" in province  # the report itself is not confidential


def test_a_person_of_16_on_the_reports_date_is_refused_naming_the_field(api_as):
    received = timezone.now() - datetime.timedelta(days=2)
    day = timezone.localtime(received).date()
    born = day.replace(year=day.year - 16)
    child = report()["child"] | {"date_of_birth": born.isoformat(), "estimated_age": None}

    response = api_as("officer_a").post(
        URL, report(child=child, received_at=received.isoformat()), format="json"
    )

    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"child"}
    assert set(errors["child"]) == {"date_of_birth"}
    assert "16" in errors["child"]["date_of_birth"][0]
    assert Case.objects.count() == 0


def test_an_estimated_age_of_16_is_refused_and_15_accepted(api_as):
    client = api_as("officer_a")
    refused = client.post(
        URL, report(child=report()["child"] | {"estimated_age": 16}), format="json"
    )
    accepted = client.post(
        URL, report(child=report()["child"] | {"estimated_age": 15}), format="json"
    )

    assert refused.status_code == 400
    assert set(refused.json()["child"]) == {"estimated_age"}
    assert accepted.status_code == 201


def test_a_known_child_now_16_is_refused_naming_child_id(api_as, demo):
    old = make_case(
        demo["officer_a"],
        received_at=timezone.now() - datetime.timedelta(days=400),
        estimated_age=15,
    )
    body = report(child_id=old.child_id)
    del body["child"]

    response = api_as("officer_a").post(URL, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"child_id"}


def test_an_old_special_circumstance_code_is_refused(api_as):
    child = report()["child"] | {"special_circumstances": ["left_behind", "orphan"]}

    response = api_as("officer_a").post(URL, report(child=child), format="json")

    assert response.status_code == 400
    assert set(response.json()["child"]) == {"special_circumstances"}


# --- Form 02 and the dismissal -----------------------------------------------------------------


def step(client: Any, case: Case, name: str, payload: dict[str, Any]) -> Any:
    return client.post(f"{URL}{case.pk}/transitions/{name}/", payload, format="json")


def test_form_02_needs_its_conclusion_and_the_safety_measures(api_as, demo):
    case = make_case(demo["officer_a"])
    client = api_as("officer_a")
    base = {"harm_level": "medium", "immediate_danger": False, "findings": "Vết bầm."}

    refused = step(client, case, "assess_initial", base | {"confirmed": "perhaps"})
    done = step(
        client,
        case,
        "assess_initial",
        base | {"confirmed": "abuse", "safety_measures": "Trẻ ở nhà bà ngoại."},
    )

    assert refused.status_code == 400
    assert set(refused.json()) == {"confirmed", "safety_measures"}
    assert done.status_code == 200, done.json()
    record = done.json()["records"]["initial_assessments"][0]
    assert (record["confirmed"], record["safety_measures"]) == ("abuse", "Trẻ ở nhà bà ngoại.")


def test_form_02_refusals_come_before_the_payload(api_as, demo):
    case = make_case(demo["officer_a"])
    bad = {"harm_level": "medium"}

    assert step(api_as("chair_a"), case, "assess_initial", bad).status_code == 403
    assert step(api_as("officer_b"), case, "assess_initial", bad).status_code == 404
    dismiss(case, demo["officer_a"])
    assert step(api_as("officer_a"), case, "assess_initial", bad).status_code == 409


def test_an_unfounded_dismissal_needs_what_was_verified(api_as, demo):
    case = make_case(demo["officer_a"])
    client = api_as("officer_a")

    refused = step(client, case, "dismiss", {"reason": "unfounded", "verification": " "})
    done = step(
        client,
        case,
        "dismiss",
        {"reason": "unfounded", "verification": "Đến nhà, gặp trẻ: không bị đánh."},
    )

    assert refused.status_code == 400
    assert set(refused.json()) == {"verification"}
    assert done.status_code == 200, done.json()
    assert done.json()["dismiss_verification"] == "Đến nhà, gặp trẻ: không bị đánh."


# --- Correcting the record ---------------------------------------------------------------------


def patch(client: Any, case: Case, body: dict[str, Any]) -> Any:
    return client.patch(f"{URL}{case.pk}/", body, format="json")


def test_the_officer_corrects_the_report_and_adds_carers_later(api_as, demo):
    case = make_case(demo["officer_a"])
    client = api_as("officer_a")

    response = patch(
        client,
        case,
        {
            "setting": "school",
            "reporter_address": "Thôn Tây",
            "abuse_forms": ["physical_violence", "neglect"],
            "child": {
                "carers": [{"name": "Bà Hoa", "relation": "bà", "age": 62}],
                "family_circumstances": "Bố mẹ đi làm xa.",
                "special_circumstances": ["c"],
            },
        },
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["setting"] == "school"
    assert body["abuse_forms"] == ["neglect", "physical_violence"]
    assert body["child"]["carers"][0]["name"] == "Bà Hoa"
    assert body["child"]["special_circumstances"] == ["c"]
    events = client.get(f"{URL}{case.pk}/events/").json()
    rows = events["results"] if isinstance(events, dict) else events
    changed = next(e for e in rows if e["action"] == "correct")["details"]["changed"]
    assert changed["setting"] == ["family", "school"]
    assert changed["reporter_address"] == "…"
    assert changed["child"]["family_circumstances"] == ["", "Bố mẹ đi làm xa."]


def test_a_correction_is_refused_in_the_apis_order(api_as, demo):
    case = make_case(demo["officer_a"])
    bad = {"setting": "moon"}

    assert patch(api_as("officer_b"), case, bad).status_code == 404
    assert patch(api_as("chair_a"), case, bad).status_code == 403
    response = patch(api_as("officer_a"), case, bad | {"code": "x", "child": {"sex": "robot"}})
    assert response.status_code == 400
    assert set(response.json()) == {"setting", "code", "child"}
    assert set(response.json()["child"]) == {"sex"}
    response = patch(api_as("officer_a"), case, {"child": {"residence": "14329"}})
    assert response.status_code == 400
    assert set(response.json()["child"]) == {"residence"}
    dismiss(case, demo["officer_a"])
    assert patch(api_as("officer_a"), case, bad).status_code == 409
    case.refresh_from_db()
    assert case.setting == "family"
    assert not case.events.filter(action="correct").exists()
