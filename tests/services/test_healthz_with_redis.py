from django.db import connection


def test_it_answers_200_with_postgresql_and_a_real_redis(client, db, settings, redis_server):
    assert connection.vendor == "postgresql"
    settings.REDIS_URL = redis_server.url

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_it_answers_503_naming_the_broker_once_redis_stops(client, db, settings, redis_server):
    settings.REDIS_URL = redis_server.url
    redis_server.stop()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down", "down": ["broker"]}
