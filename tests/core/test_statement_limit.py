"""The web's time limit on each statement (core/statement_limit.py): the web's entry points ask
for it, the workers and commands do not, and a statement stopped at the limit answers a page
and an API error that say so, in the user's language. tests/services/test_statement_limit.py
holds the same against PostgreSQL itself."""

import os
import subprocess
import sys
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import translation
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny

from core.errors import TooSlow, timed_out
from core.statement_limit import limit_statements

POSTGRESQL = "django.db.backends.postgresql"


def stopped_statement() -> OperationalError:
    """As Django raises it when PostgreSQL stops a statement: its error, from the driver's."""
    message = "canceling statement due to statement timeout"
    try:
        raise OperationalError(message) from psycopg.errors.QueryCanceled(message)
    except OperationalError as error:
        return error


def slow_page(request: HttpRequest) -> HttpResponse:
    raise stopped_statement()


@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def slow_api(request):
    raise stopped_statement()


urlpatterns = [
    path("slow/", slow_page),
    path("api/slow/", slow_api),
    path("", include("core.urls")),
]


def test_the_limit_is_added_to_a_postgresql_connections_options_beside_those_given():
    database: dict[str, Any] = {
        "ENGINE": POSTGRESQL,
        "OPTIONS": {"options": "-c search_path=checho"},
    }

    limit_statements(database, 25)

    assert database["OPTIONS"]["options"] == "-c search_path=checho -c statement_timeout=25000"


@pytest.mark.parametrize(
    ("engine", "seconds"), [(POSTGRESQL, 0), ("django.db.backends.sqlite3", 25)]
)
def test_no_limit_when_none_is_asked_or_on_sqlite(engine, seconds):
    database: dict[str, Any] = {"ENGINE": engine}

    limit_statements(database, seconds)

    assert "options" not in database.get("OPTIONS", {})


def printed_by_a_fresh_process(script: str, **variables: str) -> str:
    """What `script` prints, run by a new Python in the project with these variables and no
    DATABASE_STATEMENT_SECONDS of the test run's."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_STATEMENT_SECONDS"}
    env.update(variables)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def connection_options(code: str, **variables: str) -> str:
    """The default database's libpq options, as a fresh process running `code` sees them."""
    script = (
        f"{code}\nfrom django.conf import settings\n"
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', ''))"
    )
    never_connected_to = "postgres://nobody@127.0.0.1:1/none"
    return printed_by_a_fresh_process(script, DATABASE_URL=never_connected_to, **variables)


def test_the_web_entry_points_limit_each_statement_to_25_seconds_by_default():
    assert connection_options("import core.wsgi") == "-c statement_timeout=25000"
    assert connection_options("import core.asgi") == "-c statement_timeout=25000"
    given = connection_options("import core.wsgi", DATABASE_STATEMENT_SECONDS="5")
    assert given == "-c statement_timeout=5000"
    # Behind PgBouncer, which refuses the option, the operator turns it off (docs/operations.md).
    assert connection_options("import core.wsgi", DATABASE_STATEMENT_SECONDS="0") == ""


SETUP = (
    "import os, django\nos.environ['DJANGO_SETTINGS_MODULE'] = 'core.settings'\ndjango.setup()\n"
)
# What Celery does as a worker starts, before it runs a task (not beat, not a command).
WORKER_STARTS = (
    "import core.celery\nfrom celery.signals import worker_init\nworker_init.send(None)\n"
)


def test_beat_and_commands_have_no_limit_unless_given_one():
    assert connection_options(SETUP + "import core.celery") == ""
    given = connection_options(SETUP, DATABASE_STATEMENT_SECONDS="600")
    assert given == "-c statement_timeout=600000"


def test_a_worker_limits_each_statement_to_ten_minutes_by_default():
    assert connection_options(SETUP + WORKER_STARTS) == "-c statement_timeout=600000"
    given = connection_options(SETUP + WORKER_STARTS, CHECHO_WORKER_STATEMENT_SECONDS="60")
    assert given == "-c statement_timeout=60000"
    assert connection_options(SETUP + WORKER_STARTS, CHECHO_WORKER_STATEMENT_SECONDS="0") == ""
    # A limit the environment gives every process is the worker's too, not added to; so is
    # none (PgBouncer refuses the option: one environment file turns both off).
    given = connection_options(SETUP + WORKER_STARTS, DATABASE_STATEMENT_SECONDS="5")
    assert given == "-c statement_timeout=5000"
    assert connection_options(SETUP + WORKER_STARTS, DATABASE_STATEMENT_SECONDS="0") == ""


def test_only_a_cancelled_statement_counts_as_timed_out():
    assert timed_out(stopped_statement())
    assert not timed_out(OperationalError("server closed the connection unexpectedly"))
    assert not timed_out(psycopg.errors.QueryCanceled())  # not yet Django's database error


@pytest.mark.urls(__name__)
def test_a_page_stopped_at_the_limit_answers_503_saying_so_in_the_users_language(client):
    vietnamese = client.get("/slow/")
    english = client.get("/slow/", HTTP_ACCEPT_LANGUAGE="en")

    assert vietnamese.status_code == english.status_code == 503
    with translation.override("vi"):
        assert translation.gettext("This took too long") in vietnamese.text
        assert TooSlow().message in vietnamese.text
    assert '<html lang="en">' in english.text and "Narrow the search" in english.text
    assert "<style" not in english.text  # the Content-Security-Policy refuses style elements


@pytest.mark.urls(__name__)
def test_an_api_request_stopped_at_the_limit_answers_503_with_its_code(client):
    response = client.get("/api/slow/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response.json()["code"] == "too_slow"
    assert response.json()["detail"].startswith("This took longer than the time limit")
