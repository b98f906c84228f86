"""`GET /healthz` answers 200 when the database and the broker answer, 503 naming what is down."""

from django.db import OperationalError

from core import health


def test_it_answers_200_without_a_broker_to_check(client, db, settings):
    settings.REDIS_URL = None  # tasks run in process

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_naming_the_broker_when_redis_does_not_answer(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down", "down": ["broker"]}


def test_it_answers_503_naming_the_database_when_it_does_not_answer(
    client, db, settings, monkeypatch
):
    settings.REDIS_URL = None
    monkeypatch.setattr(health, "database_is_up", lambda: False)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "ok", "down": ["database"]}


def test_it_names_both_when_both_are_down(client, db, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(health, "database_is_up", lambda: False)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["broker", "database"]


class BrokenConnection:
    def cursor(self):
        raise OperationalError("server closed the connection unexpectedly")


def test_the_database_check_reports_a_failing_connection_as_down(db, monkeypatch):
    assert health.database_is_up() is True

    monkeypatch.setattr(health, "connection", BrokenConnection())

    assert health.database_is_up() is False


def test_it_answers_only_get(client, db):
    assert client.post("/healthz").status_code == 405


def test_an_unparseable_broker_url_is_reported_down_not_an_error(client, db, settings):
    settings.REDIS_URL = "redis://:@:notaport/x"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
