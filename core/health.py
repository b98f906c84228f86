"""`GET /healthz`: 200 when the database and the broker answer, 503 naming what is down."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def broker_is_up() -> bool:
    if settings.REDIS_URL is None:
        return True  # tasks run in process: there is no broker to lose
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        return bool(client.ping())
    except (redis.RedisError, ValueError):  # unreachable, or a URL it cannot parse
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_is_up(), "broker": broker_is_up()}
    down = sorted(name for name, up in checks.items() if not up)
    body = {name: "ok" if up else "down" for name, up in checks.items()}
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)
