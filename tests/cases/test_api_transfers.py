"""Beside the workflow: transfers between communes, the chair's separation decision, and the
duplicate check at intake."""

from cases.models import CaseTransfer, SeparationDecision
from tests.cases.factories import advance, make_case, open_clock_kinds, snapshot


def request_transfer(client, case, to_commune: str = "14329", reason: str = "Trẻ chuyển nhà."):
    return client.post(
        f"/api/v1/cases/{case.pk}/transfer/",
        {"to_commune": to_commune, "reason": reason},
        format="json",
    )


def test_a_case_moves_to_the_commune_that_accepts_it(api_as, demo):
    case = make_case(demo["officer_a"])

    offered = request_transfer(api_as("officer_a"), case)
    assert offered.status_code == 201, offered.json()
    assert (offered.json()["to_commune"], offered.json()["outcome"]) == ("14329", "pending")
    # The receiving commune sees the case it is offered.
    assert api_as("officer_b").get(f"/api/v1/cases/{case.pk}/").status_code == 200

    accepted = api_as("officer_b").post(
        f"/api/v1/transfers/{offered.json()['id']}/accept/", {"comments": "Nhận."}, format="json"
    )

    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["outcome"] == "accepted"
    case.refresh_from_db()
    assert case.commune.code == "14329"
    assert api_as("officer_a").get(f"/api/v1/cases/{case.pk}/").status_code == 404
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["create", "transfer_requested", "transfer_accepted"]


def test_a_declined_transfer_leaves_the_case_where_it_was(api_as, demo):
    case = make_case(demo["officer_a"])
    transfer = request_transfer(api_as("officer_a"), case).json()

    declined = api_as("officer_b").post(f"/api/v1/transfers/{transfer['id']}/decline/", {})

    assert declined.status_code == 200
    assert declined.json()["outcome"] == "declined"
    case.refresh_from_db()
    assert case.commune.code == "14428"


def test_only_the_receiving_communes_officer_answers_a_transfer(api_as, demo):
    case = make_case(demo["officer_a"])
    transfer = request_transfer(api_as("officer_a"), case).json()
    accept = f"/api/v1/transfers/{transfer['id']}/accept/"
    before = snapshot(case)

    assert api_as("officer_a").post(accept, {}).status_code == 403
    assert api_as("chair_b").post(accept, {}).status_code == 403
    assert api_as("manager").post(accept, {}).status_code == 404
    assert api_as("officer_b").post("/api/v1/transfers/999999/accept/", {}).status_code == 404
    assert snapshot(case) == before
    assert CaseTransfer.objects.get().outcome == "pending"


def test_a_transfer_is_answered_once(api_as, demo):
    case = make_case(demo["officer_a"])
    transfer = request_transfer(api_as("officer_a"), case).json()
    officer_b = api_as("officer_b")
    assert officer_b.post(f"/api/v1/transfers/{transfer['id']}/accept/", {}).status_code == 200

    again = officer_b.post(f"/api/v1/transfers/{transfer['id']}/decline/", {})

    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    case.refresh_from_db()
    assert case.commune.code == "14329"


def test_a_declined_transfer_is_no_longer_visible_to_the_commune_that_declined(api_as, demo):
    case = make_case(demo["officer_a"])
    transfer = request_transfer(api_as("officer_a"), case).json()
    officer_b = api_as("officer_b")
    assert officer_b.post(f"/api/v1/transfers/{transfer['id']}/decline/", {}).status_code == 200

    assert officer_b.post(f"/api/v1/transfers/{transfer['id']}/accept/", {}).status_code == 404
    assert officer_b.get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_a_transfer_request_is_checked(api_as, demo):
    case = make_case(demo["officer_a"])
    before = snapshot(case)

    same = request_transfer(api_as("officer_a"), case, to_commune="14428")
    unknown = request_transfer(api_as("officer_a"), case, to_commune="99999", reason="")

    assert same.status_code == 400 and "to_commune" in same.json()
    assert unknown.status_code == 400 and set(unknown.json()) == {"to_commune", "reason"}
    assert request_transfer(api_as("chair_a"), case).status_code == 403
    assert request_transfer(api_as("officer_b"), case).status_code == 404
    assert snapshot(case) == before


def test_a_closed_case_is_not_transferred(api_as, demo):
    case = advance(
        make_case(demo["officer_a"]), "dismiss", officer=demo["officer_a"], chair=demo["chair_a"]
    )

    response = request_transfer(api_as("officer_a"), case)

    assert response.status_code == 409
    assert not CaseTransfer.objects.exists()


def emergency_with_separation(demo):
    from cases import services

    case = make_case(demo["officer_a"])
    services.case_declare_emergency(
        actor=demo["officer_a"],
        case_id=case.pk,
        danger="Bị đánh.",
        measures_taken="Đưa đi.",
        separation_proposed=True,
        placement="Nhà bà ngoại",
        harm_level="high",
        confirmed="abuse",
    )
    return case, SeparationDecision.objects.get(case=case)


def test_the_chair_decides_on_separating_the_child(api_as, demo):
    case, decision = emergency_with_separation(demo)

    response = api_as("chair_a").post(
        f"/api/v1/separations/{decision.pk}/decide/",
        {
            "approve": True,
            "period_days": 7,
            "placement": "Nhà bà ngoại",
            "decision_number": "07/QĐ",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["outcome"], response.json()["decided_by"]) == ("approved", "chair_a")
    assert case.events.last().action == "separation_decided"
    # Its end is a clock, 7 days on (Decree 56/2017 Art. 32: at most 15 days).
    assert "case_separation_end" in open_clock_kinds(case)


def test_a_separation_decision_is_refused_to_others_and_checked(api_as, demo):
    case, decision = emergency_with_separation(demo)
    decide = f"/api/v1/separations/{decision.pk}/decide/"
    approve = {"approve": True, "placement": "Nhà bà ngoại", "period_days": 15}
    before = snapshot(case)

    assert api_as("officer_a").post(decide, approve, format="json").status_code == 403
    assert api_as("chair_b").post(decide, approve, format="json").status_code == 404
    # The place of care was proposed with the emergency; the period is the chair's to set.
    no_period = api_as("chair_a").post(decide, {"approve": True}, format="json")
    assert no_period.status_code == 400 and "period_days" in no_period.json()
    too_long = api_as("chair_a").post(decide, approve | {"period_days": 16}, format="json")
    assert too_long.status_code == 400 and "period_days" in too_long.json()
    assert api_as("chair_a").post(decide, {}, format="json").json().keys() == {"approve"}
    assert snapshot(case) == before

    assert api_as("chair_a").post(decide, {"approve": False}, format="json").status_code == 200
    again = api_as("chair_a").post(decide, approve, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


DUPLICATES = "/api/v1/cases/duplicates/"


def test_intake_proposes_a_child_already_known_in_the_commune(api_as, demo):
    case = make_case(demo["officer_a"], full_name="Nguyễn Thị Lan", estimated_age=9)
    birth_year = case.child.birth_year
    assert birth_year is not None

    response = api_as("officer_a").get(
        DUPLICATES, {"full_name": "nguyen lan", "birth_year": birth_year, "commune": "14428"}
    )

    assert response.status_code == 200, response.json()
    assert response.json() == [
        {
            "id": case.child_id,
            "full_name": "Nguyễn Thị Lan",
            "birth_year": birth_year,
            "sex": "female",
            "cases": [case.code],
        }
    ]
    other_year = {"full_name": "Nguyễn Thị Lan", "birth_year": birth_year - 3, "commune": "14428"}
    assert api_as("officer_a").get(DUPLICATES, other_year).json() == []


def test_the_duplicate_check_is_for_those_who_record_for_the_commune(api_as, demo):
    make_case(demo["officer_a"])
    query = {"full_name": "Nguyễn Thị Lan", "birth_year": 2017, "commune": "14428"}

    for username in ("officer_b", "province", "manager", "police"):
        assert api_as(username).get(DUPLICATES, query).status_code == 403, username
    assert api_as("hotline").get(DUPLICATES, query).status_code == 200


def test_the_duplicate_check_needs_a_name_a_birth_year_and_a_commune(api_as, demo):
    response = api_as("officer_a").get(DUPLICATES, {"birth_year": "soon", "commune": "99999"})

    assert response.status_code == 400
    assert set(response.json()) == {"full_name", "birth_year", "commune"}


def test_a_case_moves_only_within_its_province(api_as, api_for, demo, hanoi):
    """The transfer form offers the province's communes; the API once took any."""
    case = make_case(demo["officer_a"])

    answer = request_transfer(api_as("officer_a"), case, to_commune=hanoi.ward.code)

    assert answer.status_code == 400 and "to_commune" in answer.json()
    assert not CaseTransfer.objects.exists()
    assert api_for(hanoi.officer).get(f"/api/v1/cases/{case.pk}/").status_code == 404
