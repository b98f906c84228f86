"""The list of cases: who sees what, the filters, and a page costs the same queries at any size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from rest_framework import serializers

from cases import selectors, services
from cases.api.outputs import CaseListSerializer
from cases.rows import case_rows
from tests.cases.factories import advance, make_case

URL = "/api/v1/cases/"


def codes(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["code"] for row in response.json()["results"]}


@pytest.fixture
def two_communes(demo) -> dict:
    return {
        "a": make_case(demo["officer_a"]),
        "b": make_case(demo["officer_b"], commune_code="14329", full_name="Lê Văn Nam"),
    }


def test_a_commune_officer_sees_only_the_cases_of_the_commune(api_as, two_communes):
    assert codes(api_as("officer_a").get(URL)) == {two_communes["a"].code}
    assert codes(api_as("chair_b").get(URL)) == {two_communes["b"].code}


def test_the_province_sees_the_cases_of_every_commune(api_as, two_communes):
    assert codes(api_as("province").get(URL)) == {c.code for c in two_communes.values()}


def test_roles_without_case_access_see_an_empty_list(api_as, two_communes):
    for username in ("manager", "inspector", "admin"):
        response = api_as(username).get(URL)
        assert response.status_code == 200
        assert response.json()["count"] == 0, username


def test_a_row_shows_the_case_without_the_story(api_as, two_communes):
    row = api_as("officer_a").get(URL).json()["results"][0]

    assert row["code"] == two_communes["a"].code
    assert row["status"] == "received"
    assert row["status_display"]
    assert (row["commune"], row["situation"]) == ("14428", "abused")
    assert row["commune_name"]
    assert row["child"] == {
        "full_name": "Nguyễn Thị Lan",
        "sex": "female",
        "age": 9,
    }
    assert row["abuse_forms"] == ["physical_violence"]
    assert row["next_due_at"] is not None
    assert row["is_overdue"] is False
    assert "description" not in row and "reporter_name" not in row


def test_it_filters_by_status(api_as, demo, two_communes):
    advance(two_communes["b"], "assess_initial", officer=demo["officer_b"], chair=demo["chair_b"])
    province = api_as("province")

    assert codes(province.get(URL, {"status": "assessment"})) == {two_communes["b"].code}
    assert codes(province.get(URL, {"status": "received"})) == {two_communes["a"].code}


def test_an_unknown_filter_value_is_refused(api_as, two_communes):
    response = api_as("province").get(URL, {"status": "lost", "abuse_form": "gossip"})

    assert response.status_code == 400
    assert set(response.json()) == {"status", "abuse_form"}


def test_it_filters_by_commune_situation_and_form_of_abuse(api_as, demo, two_communes):
    at_risk = make_case(
        demo["officer_a"], situation="at_risk", abuse_forms=("neglect", "online_abuse")
    )
    province = api_as("province")

    assert codes(province.get(URL, {"commune": "14329"})) == {two_communes["b"].code}
    assert codes(province.get(URL, {"situation": "at_risk"})) == {at_risk.code}
    assert codes(province.get(URL, {"abuse_form": "online_abuse"})) == {at_risk.code}
    assert codes(province.get(URL, {"abuse_form": "physical_violence"})) == {
        c.code for c in two_communes.values()
    }


def test_it_filters_the_cases_past_a_deadline(api_as, demo, two_communes):
    late = make_case(demo["officer_a"], received_at=timezone.now() - datetime.timedelta(hours=13))
    officer = api_as("officer_a")

    assert codes(officer.get(URL, {"overdue": "true"})) == {late.code}
    assert codes(officer.get(URL, {"overdue": "false"})) == {two_communes["a"].code}
    row = next(r for r in officer.get(URL).json()["results"] if r["code"] == late.code)
    assert row["is_overdue"] is True


def test_it_finds_a_case_by_code_or_by_name_with_or_without_diacritics(api_as, two_communes):
    province = api_as("province")
    lan = two_communes["a"].code

    assert codes(province.get(URL, {"q": lan})) == {lan}
    assert codes(province.get(URL, {"q": "Nguyễn Thị Lan"})) == {lan}
    assert codes(province.get(URL, {"q": "nguyen thi lan"})) == {lan}
    assert codes(province.get(URL, {"q": "le van"})) == {two_communes["b"].code}
    assert codes(province.get(URL, {"q": "nobody"})) == set()


def test_the_list_is_paginated(api_as, two_communes):
    body = api_as("province").get(URL).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2


def test_a_page_costs_the_same_queries_whatever_its_rows(api_as, demo):
    officer = api_as("officer_a")

    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer.get(URL).status_code == 200
        return len(captured)

    for _ in range(5):
        make_case(demo["officer_a"], abuse_forms=("neglect", "other"))
    with_five = queries_for_a_page()
    for _ in range(45):
        make_case(demo["officer_a"], abuse_forms=("neglect", "other"))
    with_fifty = queries_for_a_page()

    assert officer.get(URL).json()["count"] == 50
    assert with_fifty == with_five


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_row_written_out_is_what_its_declared_fields_give(demo, language):
    """The list's rows are plain rows (cases/rows.py), written out by the serializer: they must
    say of each case what the declared fields say of the model instance."""
    officer, chair = demo["officer_a"], demo["chair_a"]
    received = make_case(officer)  # a deadline running, an age estimated
    overdue = make_case(
        officer,
        full_name="Trần Văn Bình",
        received_at=timezone.now() - datetime.timedelta(days=2),
        abuse_forms=("psychological_violence", "neglect"),
    )
    born = make_case(
        officer,
        existing_child=None,
        child=services.ChildData(
            full_name="Lê Thị Mai", sex="female", date_of_birth=datetime.date(2015, 3, 1)
        ),
    )
    dismissed = advance(born, "dismiss", officer=officer, chair=chair)
    ids = [received.pk, overdue.pk, dismissed.pk]

    with translation.override(language):
        serializer = CaseListSerializer()
        written = [serializer.to_representation(row) for row in case_rows(ids, abuse_forms=True)]
        cases = selectors.case_list(demo["province"]).filter(pk__in=ids)
        declared = {
            case.pk: dict(serializers.ModelSerializer.to_representation(serializer, case))
            for case in cases
        }

    assert [row["id"] for row in written] == ids  # in the page's order
    assert written == [declared[pk] for pk in ids]
    assert {row["is_overdue"] for row in written} == {True, False, None}
    assert written[1]["abuse_forms"] == ["neglect", "psychological_violence"]
    assert {row["child"]["age"] for row in written} > {9}  # the estimated and the born


def test_rows_come_in_the_order_of_their_ids_and_skip_an_unknown_id(demo):
    first, second = make_case(demo["officer_a"]), make_case(demo["officer_a"], full_name="Lê Văn")

    rows = case_rows([second.pk, 10**9, first.pk])

    assert [row.pk for row in rows] == [second.pk, first.pk]
    assert rows[0].abuse_forms == ()  # not read unless asked
