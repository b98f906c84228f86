"""Refusals and failures on the web answer with the product's own pages, in the user's language."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import translation
from django.views import defaults

from cases.workflow import CHAIR
from tests.cases.factories import make_case


def explode(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


# The site's URLs plus one that fails, for the 500 page (`@pytest.mark.urls(__name__)`).
urlpatterns = [path("explode/", explode), path("", include("core.urls"))]


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


@pytest.mark.urls(__name__)
def test_an_unexpected_error_answers_the_500_page_in_the_users_language(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False

    vietnamese = client.get("/explode/")  # the default language
    english = client.get("/explode/", HTTP_ACCEPT_LANGUAGE="en")

    assert vietnamese.status_code == english.status_code == 500
    assert '<html lang="vi">' in vietnamese.text and 'id="server-error"' in vietnamese.text
    with translation.override("vi"):
        assert translation.gettext("Back to the home page") in vietnamese.text
    assert '<html lang="en">' in english.text and "Something went wrong" in english.text
    # The Content-Security-Policy refuses <style> elements: the page is styled by attributes.
    assert "<style" not in vietnamese.text and 'style="' in vietnamese.text


def test_the_500_page_needs_neither_the_database_nor_a_request_context(rf):
    # No `db` fixture: pytest-django refuses any query, as a failed database would.
    with translation.override("vi"):
        response = defaults.server_error(rf.get("/"))

    assert response.status_code == 500
    assert 'id="server-error"' in response.content.decode()
