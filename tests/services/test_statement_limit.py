"""The web's time limit on each statement, on PostgreSQL itself (core/statement_limit.py): the
web's connections carry it from their first statement, PostgreSQL stops a statement at it, and
the page and the API say so."""

import time
from urllib.parse import quote

import pytest
from django.db import OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny

from core.errors import timed_out
from core.statement_limit import limit_statements
from tests.core.test_statement_limit import printed_by_a_fresh_process

pytestmark = pytest.mark.django_db


def sleep_a_second() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(1)")


def slow_page(request: HttpRequest) -> HttpResponse:
    sleep_a_second()
    return HttpResponse("finished")


@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def slow_api(request):
    sleep_a_second()
    return HttpResponse("finished")


urlpatterns = [
    path("slow/", slow_page),
    path("api/slow/", slow_api),
    path("", include("core.urls")),
]


def test_postgresql_stops_a_statement_of_a_limited_connection_at_the_limit():
    # A copy: the connection's settings are the test run's own dict, which every later
    # connection of the run would otherwise read with the one-second limit.
    database = connection.settings_dict
    limited_settings = {**database, "OPTIONS": {**database["OPTIONS"]}}
    limit_statements(limited_settings, 1)
    limited = DatabaseWrapper(limited_settings, "limited")
    started = time.monotonic()
    try:
        with limited.cursor() as cursor, pytest.raises(OperationalError) as stopped:
            cursor.execute("SELECT pg_sleep(5)")
    finally:
        limited.close()

    assert timed_out(stopped.value)
    assert time.monotonic() - started < 4
    assert "statement_timeout" not in database["OPTIONS"].get("options", "")


def test_a_web_process_connects_with_the_limit_already_set():
    database = connection.settings_dict
    url = (  # the test database, which exists while the test runs
        f"postgres://{quote(database['USER'])}:{quote(database['PASSWORD'] or '')}@"
        f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{quote(database['NAME'])}"
    )
    script = (
        "import core.wsgi\nfrom django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('SHOW statement_timeout')\n"
        "    print(cursor.fetchone()[0])"
    )

    assert printed_by_a_fresh_process(script, DATABASE_URL=url) == "25s"


@pytest.fixture
def limit_of_a_tenth_of_a_second():
    # SET inside the test's transaction: its rollback puts the session's setting back.
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 100")


@pytest.mark.urls(__name__)
def test_a_page_past_the_limit_answers_the_503_page(client, limit_of_a_tenth_of_a_second):
    response = client.get("/slow/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert 'id="too-slow"' in response.text and "finished" not in response.text


@pytest.mark.urls(__name__)
def test_an_api_request_past_the_limit_answers_503_too_slow(client, limit_of_a_tenth_of_a_second):
    response = client.get("/api/slow/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert response.json()["code"] == "too_slow"
