"""`GET /healthz`: what a load balancer and the monitoring need to know.

503 names in "down" what is unreachable: the database, or the broker when there is one. The
beat heartbeat and the checks the apps register (the outbox's age…) only report; one past its
threshold is named in "degraded" and the answer stays 200, because a late scheduler or a slow
SMS gateway is no reason for a load balancer to stop sending users to a web process that works.
`/healthz?strict` answers 503 for those too, for a monitor that reads only the status code.

Core cannot import the apps built on it, so they register their checks from AppConfig.ready().
"""

import logging
from collections.abc import Callable
from typing import Any, NamedTuple

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# Where the heartbeat task (core.tasks) records, in Redis time, when it last ran.
BEAT_HEARTBEAT_KEY = "checho:beat:last-ran"
# Beat sends the heartbeat every minute; three missed in a row is no jitter.
BEAT_LATE_AFTER_SECONDS = 180
# Names core writes itself; a registered check may not take one.
CORE_KEYS = frozenset({"database", "broker", "beat", "beat_seconds_ago", "down", "degraded"})


class CheckResult(NamedTuple):
    ok: bool  # False names the check in "degraded"
    value: Any  # shown under the check's name; JSON: a number, a string, null


HealthCheck = Callable[[], CheckResult]

_checks: dict[str, HealthCheck] = {}


def register_health_check(name: str, check: HealthCheck) -> HealthCheck:
    """Add `check` to /healthz under `name`. It may query the database (it is skipped, and
    reported null, while the database is down) and should answer in milliseconds: load
    balancers call /healthz every few seconds."""
    if name in CORE_KEYS:
        raise ValueError(f"{name!r} is a key /healthz writes itself.")
    _checks[name] = check  # registering again (a second ready()) replaces, never duplicates
    return check


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def broker_is_up() -> bool:
    if settings.REDIS_URL is None:
        return True  # tasks run in process: there is no broker to lose
    try:
        return bool(redis_client(settings.REDIS_URL).ping())
    except (redis.RedisError, ValueError):  # unreachable, or a URL it cannot parse
        return False


def seconds_since_beat(redis_url: str) -> int | None:
    """Seconds since the heartbeat task last ran, or None if it never has (since Redis started).
    Both times are Redis's own clock, so a web host's clock drifting from a worker's changes
    nothing."""
    with redis_client(redis_url).pipeline(transaction=False) as pipe:
        pipe.get(BEAT_HEARTBEAT_KEY)
        pipe.time()
        last_ran, (now, _microseconds) = pipe.execute()
    if last_ran is None:
        return None
    return max(0, now - int(last_ran))


def beat_status(broker_up: bool) -> tuple[str | None, int | None, bool]:
    """(what "beat" says, "beat_seconds_ago", whether that is fine)."""
    if settings.REDIS_URL is None:
        return "not used", None, True  # tasks run in process and nothing is scheduled
    if not broker_up:
        return None, None, True  # the heartbeat lives in Redis; "down" already names it
    try:
        age = seconds_since_beat(settings.REDIS_URL)
    except Exception:
        logger.exception("Could not read the beat heartbeat")
        return "unknown", None, False
    if age is None:
        return "never", None, False
    if age > BEAT_LATE_AFTER_SECONDS:
        return "late", age, False
    return "ok", age, True


def run_registered_checks(database_up: bool) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    failing: list[str] = []
    for name, check in _checks.items():
        if not database_up:
            values[name] = None  # the database is named in "down"; do not wait on it again
            continue
        try:
            result = check()
        except Exception:
            logger.exception("Health check %s failed", name)
            result = CheckResult(False, None)
        values[name] = result.value
        if not result.ok:
            failing.append(name)
    return values, failing


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    services = {"database": database_is_up(), "broker": broker_is_up()}
    body: dict[str, Any] = {name: "ok" if up else "down" for name, up in services.items()}
    down = sorted(name for name, up in services.items() if not up)

    beat, beat_age, beat_ok = beat_status(services["broker"])
    body["beat"] = beat
    body["beat_seconds_ago"] = beat_age
    values, degraded = run_registered_checks(services["database"])
    body.update(values)
    if not beat_ok:
        degraded.append("beat")

    if down:
        body["down"] = down
    if degraded:
        body["degraded"] = sorted(degraded)
    failing = bool(down) or ("strict" in request.GET and bool(degraded))
    return JsonResponse(body, status=503 if failing else 200)
