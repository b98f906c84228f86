"""Signing in to the API with a token, and what answers without one."""

import pytest

from core.demo import demo_password
from core.models import ApiToken
from core.tokens import token_create


@pytest.mark.parametrize(
    "url", ["/api/v1/me/", "/api/v1/units/", "/api/v1/units/37/", "/api/v1/agencies/"]
)
def test_it_answers_401_without_credentials(api, db, url):
    response = api.get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_it_gives_a_token_for_a_demo_username_and_password(api, demo):
    response = api.post(
        "/api/v1/auth/token/",
        {"username": "officer_a", "password": demo_password()},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "name", "created", "expiry", "current", "token"}
    assert ApiToken.objects.get(user=demo["officer_a"]).pk == body["id"]


def test_the_token_authenticates_later_requests(api, demo):
    token = api.post(
        "/api/v1/auth/token/",
        {"username": "officer_a", "password": demo_password()},
        format="json",
    ).json()["token"]

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "officer_a"


def test_a_wrong_password_answers_400_and_gives_no_token(api, demo):
    response = api.post(
        "/api/v1/auth/token/",
        {"username": "officer_a", "password": demo_password() + "x"},
        format="json",
    )

    assert response.status_code == 400
    assert "token" not in response.json()
    assert list(response.json()) == ["non_field_errors"]
    assert not ApiToken.objects.exists()


def test_an_unknown_token_answers_401(api, demo):
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    assert api.get("/api/v1/me/").status_code == 401


def test_a_deactivated_users_token_stops_working(api, demo):
    _, token = token_create(user=demo["officer_a"], via="api")
    demo["officer_a"].is_active = False
    demo["officer_a"].save()

    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert api.get("/api/v1/me/").status_code == 401


def test_the_schema_answers_for_a_signed_in_user(api_as):
    response = api_as("officer_a").get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/me/", "/api/v1/units/", "/api/v1/units/{code}/", "/api/v1/agencies/"} <= set(
        paths
    )


def test_the_schema_is_not_served_to_anonymous_callers(api):
    assert api.get("/api/schema/").status_code == 401
