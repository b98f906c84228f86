"""Production settings from the environment: `check --deploy` is clean with the variables the
README lists, and a missing or unusable variable stops start-up naming it."""

import os
import secrets
import subprocess
import sys
import tempfile

import pytest
from django.conf import settings


def manage(*args, **variables):
    """Run manage.py in a fresh process with these variables; None unsets one."""
    # Only what a deployment would have: no test-run settings such as DJANGO_ALLOW_ASYNC_UNSAFE.
    excluded = ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env: dict[str, str | None] = {k: v for k, v in os.environ.items() if k not in excluded}
    # A database with no tables, as on a fresh deployment before `migrate`: the checks (the API
    # schema among them) must not depend on rows that happen to exist.
    env["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/empty.db"
    env.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={k: v for k, v in env.items() if v is not None},
        capture_output=True,
        text=True,
        timeout=60,
    )


def production(**overrides):
    variables = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
        "DJANGO_ALLOWED_HOSTS": "checho.example.org",
    }
    variables.update(overrides)
    return variables


def test_check_deploy_finds_no_issues_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production())

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_deployment_that_forgets_to_turn_debug_off_runs_with_it_off():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production(DJANGO_DEBUG=None))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_developers_machine_with_nothing_set_has_debug_on():
    unset = dict.fromkeys(["DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
    shown = "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"
    result = manage("shell", "-c", shown, **unset)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True ['127.0.0.1', 'localhost']")


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "too-short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        # Debug off by default once the hosts are named: the secret key is asked for.
        ({"DJANGO_DEBUG": None, "DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({"CELERY_VISIBILITY_TIMEOUT": "59"}, "CELERY_VISIBILITY_TIMEOUT"),
    ],
)
def test_start_up_stops_naming_a_missing_or_unusable_variable(overrides, named):
    result = manage("check", **production(**overrides))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr
