"""Refusals on the web answer with the product's own pages, in the user's language."""

from cases.workflow import CHAIR
from tests.cases.factories import make_case


def test_a_step_of_another_role_answers_the_403_page_naming_who_may(client, demo):
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_a"])

    response = client.get(f"/cases/{case.pk}/transitions/approve_plan/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "Not allowed" in response.text
    assert "Needs the role: Commune People" in response.text  # CHAIR.refusal(), capitalised
    assert CHAIR.role.label.split("'")[-1] in response.text


def test_a_case_out_of_scope_answers_the_404_page(client, demo, settings):
    settings.DEBUG = False
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_b"])

    response = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "not visible to you" in response.text
    assert case.code not in response.text


def test_a_step_not_possible_now_returns_to_the_case_with_the_reason(client, demo):
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_a"])

    response = client.get(
        f"/cases/{case.pk}/transitions/start_review/", HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert response.redirect_chain == [(f"/cases/{case.pk}/", 302)]
    assert "“Start the review” is not possible while the case is “Received”." in response.text
