"""API tokens: stored as a hash, expiring, revoked on signing out and on a password change, and
each user sees and revokes only their own — through the API and the "API tokens" page."""

import hashlib
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from core.demo import demo_password
from core.models import ApiToken, AuditEvent
from core.tokens import token_create

SIGN_IN = "/api/v1/auth/token/"
MIGRATION = import_module("core.migrations.0010_api_tokens")


def sign_in(username: str) -> str:
    response = APIClient().post(
        SIGN_IN, {"username": username, "password": demo_password()}, format="json"
    )
    assert response.status_code == 200, response.content
    token: str = response.json()["token"]
    return token


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def actions(**filters: object) -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="auth.", **filters)
        .order_by("id")
        .values_list("action", flat=True)
    )


# Stored as a hash, shown once ------------------------------------------------------------------


def test_the_stored_token_is_not_the_token(demo):
    token = sign_in("officer_a")

    stored = ApiToken.objects.get(user=demo["officer_a"])
    assert len(token) == 64
    assert stored.digest == hashlib.sha512(token.encode()).hexdigest()
    row = ApiToken.objects.filter(pk=stored.pk).values().get()
    assert not any(token in str(value) for value in row.values())
    assert not any(token in str(event.details) for event in AuditEvent.objects.all())


def test_the_token_is_shown_when_made_and_never_listed(demo):
    token = sign_in("officer_a")

    listed = client_with(token).get("/api/v1/me/tokens/").json()

    assert listed["count"] == 1
    assert "token" not in listed["results"][0]
    assert token not in str(listed)


def test_a_named_token_made_through_the_api_answers_201_with_the_token(demo):
    api = client_with(sign_in("officer_a"))

    response = api.post("/api/v1/me/tokens/", {"name": "district script"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "district script"
    assert client_with(body["token"]).get("/api/v1/me/").json()["username"] == "officer_a"
    assert actions(actor=demo["officer_a"]).count("auth.token_created") == 2


# Expiry ----------------------------------------------------------------------------------------


def test_a_token_expires_after_the_policy_days(demo):
    before = timezone.now()

    sign_in("officer_a")

    expiry = ApiToken.objects.get().expiry
    assert before + timedelta(days=30) <= expiry <= timezone.now() + timedelta(days=30)


@override_settings(CHECHO_TOKEN_DAYS=7)
def test_the_lifetime_is_a_setting(demo):
    token, _ = token_create(user=demo["officer_a"], via="api")

    expiry = token.expiry
    assert timedelta(days=6, hours=23) < expiry - timezone.now() <= timedelta(days=7)


def test_an_expired_token_is_refused_with_401_and_deleted(demo):
    token = sign_in("officer_a")
    ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))

    response = client_with(token).get("/api/v1/me/")

    assert response.status_code == 401
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "header",
    [
        b"Token " + b"0" * 64,
        b"Token abc\x00def",
        b"Token \xff\xfe" + b"a" * 62,
        b"Token " + b"G" * 64,
        b"Token " + b"a" * 65,
    ],
)
def test_a_wrong_or_malformed_token_answers_401(api, demo, header):
    sign_in("officer_a")
    api.credentials(HTTP_AUTHORIZATION=header.decode("latin-1"))

    assert api.get("/api/v1/me/").status_code == 401


# Revoked on signing out and on a password change ----------------------------------------------


def test_signing_out_of_the_api_revokes_the_token_used(demo):
    token, other = sign_in("officer_a"), sign_in("officer_a")

    response = client_with(token).post("/api/v1/auth/logout/")

    assert response.status_code == 204
    assert client_with(token).get("/api/v1/me/").status_code == 401
    assert client_with(other).get("/api/v1/me/").status_code == 200
    assert actions(actor=demo["officer_a"])[-2:] == ["auth.token_revoked", "auth.logout"]


def test_signing_out_of_the_web_revokes_every_token(client, demo):
    tokens = [sign_in("officer_a"), sign_in("officer_a")]
    client.force_login(demo["officer_a"])

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    for token in tokens:
        assert client_with(token).get("/api/v1/me/").status_code == 401
    assert actions(actor=demo["officer_a"])[-3:] == [
        "auth.token_revoked",
        "auth.token_revoked",
        "auth.logout",
    ]


def test_changing_the_password_on_the_page_revokes_every_token(client, demo):
    token = sign_in("officer_a")
    client.force_login(demo["officer_a"])

    response = client.post(
        "/accounts/password/",
        {
            "old_password": demo_password(),
            "new_password1": "a-New-passphrase-2026",
            "new_password2": "a-New-passphrase-2026",
        },
    )

    assert response.status_code == 302
    assert client_with(token).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.exists()
    assert client.get("/").status_code == 200  # the session that changed it stays signed in
    assert "auth.password_changed" in actions(actor=demo["officer_a"])


def test_a_wrong_current_password_changes_nothing(client, demo):
    token = sign_in("officer_a")
    client.force_login(demo["officer_a"])

    response = client.post(
        "/accounts/password/",
        {
            "old_password": "not-it",
            "new_password1": "a-New-passphrase-2026",
            "new_password2": "a-New-passphrase-2026",
        },
    )

    assert response.status_code == 200
    assert client_with(token).get("/api/v1/me/").status_code == 200


def test_a_password_changed_anywhere_else_makes_the_tokens_unusable(demo):
    """The admin's form and `manage.py changepassword` only set the password."""
    token = sign_in("officer_a")
    user = demo["officer_a"]
    user.set_password("set-by-the-sysadmin-2026")
    user.save()

    assert client_with(token).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.exists()


# Each user's own -------------------------------------------------------------------------------


def test_a_user_lists_only_their_own_tokens_and_sees_which_one_is_in_use(demo):
    mine, _, theirs = sign_in("officer_a"), sign_in("officer_a"), sign_in("chair_a")

    listed = client_with(mine).get("/api/v1/me/tokens/").json()["results"]

    own_ids = set(ApiToken.objects.filter(user=demo["officer_a"]).values_list("id", flat=True))
    assert {token["id"] for token in listed} == own_ids
    assert [token["current"] for token in listed].count(True) == 1
    assert theirs not in str(listed)


def test_a_user_revokes_their_own_token(demo):
    spare, _ = token_create(user=demo["officer_a"], name="spare", via="api")
    api = client_with(sign_in("officer_a"))

    response = api.delete(f"/api/v1/me/tokens/{spare.pk}/")

    assert response.status_code == 204
    assert not ApiToken.objects.filter(pk=spare.pk).exists()
    revoked = AuditEvent.objects.get(action="auth.token_revoked")
    assert (revoked.actor, revoked.object_id) == (demo["officer_a"], str(spare.pk))


def test_another_users_token_answers_404_and_stays(demo):
    sign_in("chair_a")
    theirs = ApiToken.objects.get()
    api = client_with(sign_in("officer_a"))

    response = api.delete(f"/api/v1/me/tokens/{theirs.pk}/")

    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_the_session_of_the_web_may_use_the_tokens_api(api_as):
    api = api_as("officer_a")

    made = api.post("/api/v1/me/tokens/", {}, format="json")

    assert made.status_code == 201
    assert api.get("/api/v1/me/tokens/").json()["count"] == 1
    assert api.delete(f"/api/v1/me/tokens/{made.json()['id']}/").status_code == 204


def test_anonymous_callers_get_401(api, db):
    assert api.get("/api/v1/me/tokens/").status_code == 401
    assert api.post("/api/v1/me/tokens/", {}, format="json").status_code == 401
    assert api.delete("/api/v1/me/tokens/1/").status_code == 401
    assert api.post("/api/v1/auth/logout/").status_code == 401


def test_signing_out_without_a_token_revokes_nothing(api_as, client, demo):
    """A user signed in some other way (the web's session, a test's forced user) has no token
    here to revoke: 401, not a server error."""
    client.force_login(demo["officer_a"])
    assert api_as("officer_a").post("/api/v1/auth/logout/").status_code == 401
    assert client.post("/api/v1/auth/logout/").status_code == 401


@override_settings(CHECHO_TOKENS_PER_USER=2)
def test_beyond_the_limit_the_oldest_token_is_revoked(demo):
    first, second, third = sign_in("officer_a"), sign_in("officer_a"), sign_in("officer_a")

    assert client_with(first).get("/api/v1/me/").status_code == 401
    assert client_with(second).get("/api/v1/me/").status_code == 200
    assert client_with(third).get("/api/v1/me/").status_code == 200


# The page --------------------------------------------------------------------------------------


def test_the_users_name_links_to_the_tokens_page_which_links_to_the_password_change(client, demo):
    client.force_login(demo["officer_a"])

    assert 'class="who" href="/accounts/tokens/"' in client.get("/").content.decode()
    assert 'href="/accounts/password/"' in client.get("/accounts/tokens/").content.decode()


def test_the_page_makes_a_token_shows_it_once_and_lists_it(client, demo):
    client.force_login(demo["officer_a"])

    made = client.post("/accounts/tokens/", {"name": "laptop"})

    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    token = made.context["new_token"]
    assert token in made.content.decode()
    assert client_with(token).get("/api/v1/me/").status_code == 200
    later = client.get("/accounts/tokens/").content.decode()
    assert "laptop" in later
    assert token not in later


def test_the_page_revokes_own_tokens_and_not_anothers(client, demo):
    sign_in("chair_a")
    theirs = ApiToken.objects.get()
    mine = client_with(sign_in("officer_a"))
    own = ApiToken.objects.get(user=demo["officer_a"])
    client.force_login(demo["officer_a"])

    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/tokens/{own.pk}/revoke/").status_code == 302

    assert mine.get("/api/v1/me/").status_code == 401
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_the_page_needs_a_signed_in_user(client, db):
    assert client.get("/accounts/tokens/").status_code == 302
    assert client.get("/accounts/password/").status_code == 302


# Upgrading -------------------------------------------------------------------------------------


def test_the_migration_drops_the_plain_tokens_of_drf_authtoken(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id int)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('0123456789abcdef', 1)")
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('authtoken', '0001_initial', CURRENT_TIMESTAMP)"
        )
        editor = SimpleNamespace(
            connection=connection, execute=cursor.execute, quote_name=connection.ops.quote_name
        )

        MIGRATION.drop_plain_tokens(None, editor)

        assert "authtoken_token" not in connection.introspection.table_names()
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone() == (0,)
