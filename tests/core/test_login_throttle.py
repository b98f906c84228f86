"""Signing in is locked out after repeated failures (django-axes), on the web and the token
endpoint alike, with 429 and Retry-After; every attempt is in the audit trail; and the API has
rate limits per user and per anonymous address."""

import os
import subprocess
import sys
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from core.demo import demo_password
from core.models import ApiToken, AuditEvent

SIGN_IN = "/api/v1/auth/token/"
WRONG = "not-the-password"
LOCKOUT_SECONDS = "900"  # the default: 15 minutes


def api_sign_in(username: str, password: str, address: str = "127.0.0.1"):
    return APIClient(REMOTE_ADDR=address).post(
        SIGN_IN, {"username": username, "password": password}, format="json"
    )


def web_sign_in(client: Client, username: str, password: str, *, language: str = "vi"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        headers={"Accept-Language": language},
    )


# Lockout ---------------------------------------------------------------------------------------


def test_the_fifth_failure_locks_the_token_endpoint_even_for_the_right_password(demo):
    answers = [api_sign_in("officer_a", WRONG).status_code for _ in range(5)]

    locked = api_sign_in("officer_a", demo_password())

    assert answers == [400, 400, 400, 400, 429]
    assert locked.status_code == 429
    assert locked["Retry-After"] == LOCKOUT_SECONDS
    assert locked.json()["code"] == "locked_out"
    assert "15 phút" in locked.json()["detail"]  # Vietnamese, the default language
    assert not ApiToken.objects.exists()


def test_the_fifth_failure_locks_the_web_sign_in_even_for_the_right_password(client, demo):
    answers = [web_sign_in(client, "officer_a", WRONG).status_code for _ in range(5)]

    locked = web_sign_in(client, "officer_a", demo_password(), language="en")

    assert answers == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert locked["Retry-After"] == LOCKOUT_SECONDS
    page = locked.content.decode()
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in page
    assert 'id="id_username"' in page  # the sign-in page, to try again later
    assert "_auth_user_id" not in client.session


def test_the_locked_page_speaks_vietnamese_by_default(client, demo):
    for _ in range(5):
        web_sign_in(client, "officer_a", WRONG)

    locked = web_sign_in(client, "officer_a", demo_password())

    assert locked.status_code == 429
    assert 'lang="vi"' in locked.content.decode()


def test_failures_on_the_web_and_the_api_count_together(client, demo):
    for _ in range(3):
        web_sign_in(client, "officer_a", WRONG)
    api_sign_in("officer_a", WRONG)
    api_sign_in("officer_a", WRONG)

    assert api_sign_in("officer_a", demo_password()).status_code == 429
    assert web_sign_in(client, "officer_a", demo_password()).status_code == 429


def test_the_lockout_is_for_one_username_from_one_address(demo):
    for _ in range(5):
        api_sign_in("officer_a", WRONG)

    assert api_sign_in("officer_a", demo_password(), address="192.0.2.10").status_code == 200
    assert api_sign_in("chair_a", demo_password()).status_code == 200


def test_after_the_lockout_has_passed_the_right_password_signs_in(client, demo):
    for _ in range(5):
        api_sign_in("officer_a", WRONG)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert api_sign_in("officer_a", demo_password()).status_code == 200
    assert web_sign_in(client, "officer_a", demo_password()).status_code == 302


def test_a_lockout_not_yet_passed_still_refuses(demo):
    for _ in range(5):
        api_sign_in("officer_a", WRONG)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))

    assert api_sign_in("officer_a", demo_password()).status_code == 429


def test_a_success_forgets_the_earlier_failures(demo):
    for _ in range(4):
        api_sign_in("officer_a", WRONG)
    assert api_sign_in("officer_a", demo_password()).status_code == 200

    answers = [api_sign_in("officer_a", WRONG).status_code for _ in range(4)]

    assert answers == [400] * 4


def test_the_sysadmin_unlocks_a_username_with_the_management_command(demo):
    for _ in range(5):
        api_sign_in("officer_a", WRONG)

    call_command("axes_reset_username", "officer_a")

    assert api_sign_in("officer_a", demo_password()).status_code == 200


@override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=timedelta(minutes=3))
def test_the_limit_and_the_lockout_are_settings(demo):
    answers = [api_sign_in("officer_a", WRONG).status_code for _ in range(2)]

    assert answers == [400, 429]
    assert api_sign_in("officer_a", demo_password())["Retry-After"] == "180"


# Audit -----------------------------------------------------------------------------------------


def test_a_web_sign_in_and_a_failure_are_audited(client, demo):
    web_sign_in(client, "officer_a", WRONG)
    web_sign_in(client, "officer_a", demo_password())

    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.actor is None
    assert (failed.object_type, failed.object_id) == ("core.user", str(demo["officer_a"].pk))
    assert failed.details == {"via": "web", "username": "officer_a"}
    assert failed.ip == "127.0.0.1"
    signed_in = AuditEvent.objects.get(action="auth.login")
    assert signed_in.actor == demo["officer_a"]
    assert signed_in.details == {"via": "web"}


def test_an_api_sign_in_and_a_failure_are_audited(demo):
    api_sign_in("officer_a", WRONG)
    api_sign_in("officer_a", demo_password())

    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.actor is None
    assert failed.details == {"via": "api", "username": "officer_a"}
    assert AuditEvent.objects.get(action="auth.login").actor == demo["officer_a"]
    created = AuditEvent.objects.get(action="auth.token_created")
    assert created.object_id == str(ApiToken.objects.get().pk)


def test_an_unknown_username_is_audited_without_a_target(demo):
    api_sign_in("nobody-by-this-name", WRONG)

    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert (failed.object_type, failed.object_id) == ("", "")
    assert failed.details["username"] == "nobody-by-this-name"


def test_attempts_while_locked_out_are_audited_as_such(demo):
    for _ in range(5):
        api_sign_in("officer_a", WRONG)
    api_sign_in("officer_a", demo_password())

    failures = AuditEvent.objects.filter(action="auth.login_failed").order_by("id")
    assert [event.details.get("locked_out", False) for event in failures] == [
        False,
        False,
        False,
        False,
        True,
        True,
    ]
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_the_admin_signs_in_and_out_through_the_audited_pages(client, demo):
    assert client.get("/admin/login/?next=/admin/core/").url == (
        "/accounts/login/?next=%2Fadmin%2Fcore%2F"
    )
    signed_in = client.post(
        "/accounts/login/?next=/admin/", {"username": "admin", "password": demo_password()}
    )
    assert signed_in.url == "/admin/"

    client.post("/admin/logout/")

    assert [event.action for event in AuditEvent.objects.order_by("id")] == [
        "auth.login",
        "auth.logout",
    ]


def test_an_empty_form_is_not_an_attempt(client, demo):
    response = client.post("/accounts/login/", {"username": "", "password": ""})

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action__startswith="auth.").exists()


# API rate limits -------------------------------------------------------------------------------


def fresh_counts(name: str) -> dict:
    """A cache of its own for a test's rate counts, so that no other test's requests count."""
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name},
    }


def settings_in_a_fresh_process(**variables: str) -> subprocess.CompletedProcess:
    """The settings as a deployment with these variables reads them (the test run's own turn
    the rate limits off: tests/conftest.py)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECHO_API_RATE")}
    code = "import core.settings as s; print(s.CHECHO_API_RATES, s.AXES_FAILURE_LIMIT, "
    code += "s.AXES_COOLOFF_TIME.total_seconds(), s.CHECHO_TOKEN_DAYS)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**env, **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_policy_defaults():
    result = settings_in_a_fresh_process()

    assert result.stdout.strip() == "{'user': '1200/hour', 'anon': '60/hour'} 5 900.0 30"


def test_the_policy_comes_from_the_environment():
    result = settings_in_a_fresh_process(
        CHECHO_API_RATE_USER="100/minute",
        CHECHO_API_RATE_ANON="off",
        CHECHO_LOGIN_FAILURE_LIMIT="3",
        CHECHO_LOGIN_LOCKOUT_MINUTES="60",
        CHECHO_TOKEN_DAYS="7",
    )

    assert result.stdout.strip() == "{'user': '100/minute', 'anon': None} 3 3600.0 7"


def test_a_rate_that_is_not_one_stops_start_up_naming_the_variable():
    result = settings_in_a_fresh_process(CHECHO_API_RATE_USER="lots")

    assert result.returncode != 0
    assert "CHECHO_API_RATE_USER='lots' is not a rate like 1200/hour, or off." in result.stderr


def test_a_user_over_the_rate_gets_429_with_retry_after(api_as):
    with override_settings(
        CHECHO_API_RATES={"user": "3/minute", "anon": None}, CACHES=fresh_counts("user-rate")
    ):
        officer, chair = api_as("officer_a"), api_as("chair_a")
        answers = [officer.get("/api/v1/me/").status_code for _ in range(4)]
        refused = officer.get("/api/v1/me/")
        other = chair.get("/api/v1/me/")

    assert answers == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert other.status_code == 200  # counted per user


def test_anonymous_calls_over_the_rate_get_429(demo):
    with override_settings(
        CHECHO_API_RATES={"user": None, "anon": "2/minute"}, CACHES=fresh_counts("anon-rate")
    ):
        answers = [api_sign_in(f"nobody-{n}", WRONG).status_code for n in range(3)]
        elsewhere = api_sign_in("nobody-3", WRONG, address="192.0.2.10")

    assert answers == [400, 400, 429]
    assert elsewhere.status_code == 400  # counted per address


def test_a_forged_forwarded_for_does_not_escape_the_anonymous_rate(demo):
    with override_settings(
        CHECHO_API_RATES={"user": None, "anon": "1/minute"}, CACHES=fresh_counts("forged")
    ):
        first = api_sign_in("nobody-1", WRONG)
        forged = APIClient(HTTP_X_FORWARDED_FOR="198.51.100.1").post(
            SIGN_IN, {"username": "nobody-2", "password": WRONG}, format="json"
        )

    assert (first.status_code, forged.status_code) == (400, 429)
