"""A time limit on each statement of the web and of the workers (docs/operations.md, "A time
limit on the web's statements").

A statement the planner gets wrong can run for half an hour (docs/performance.md, "One word that
names every child"). Gunicorn abandons the request after 30 s, but PostgreSQL goes on with the
statement, holding the oldest snapshot, so VACUUM cleans no table behind it. The web's
connections therefore ask PostgreSQL to cancel any statement after `DATABASE_STATEMENT_SECONDS`:
core/wsgi.py and core/asgi.py make it 25 s for the web, before gunicorn's 30 s, so the user
reads why (core/errors.py, TooSlow) rather than a dropped connection. A Celery worker, whose
digest and reports run for seconds, takes CHECHO_WORKER_STATEMENT_SECONDS, 10 minutes
(core/celery.py); beat and the management commands — migrations that build indexes for
minutes, the benchmark — have no limit unless given one.

The limit travels in the connection's start-up packet (libpq `options`): no statement on each
connection, nothing a pooled server connection could carry over to another client. PgBouncer
refuses that option (or drops it, told to ignore it): behind it, set the limit on the web's
database role instead.
"""

from typing import Any

from dj_database_url import DBConfig

POSTGRESQL = "django.db.backends.postgresql"


def limit_statements(database: DBConfig | dict[str, Any], seconds: int) -> None:
    """Make PostgreSQL cancel any statement of this database's connections after `seconds`
    (0: no limit). Nothing on SQLite, which has no such setting."""
    if seconds <= 0 or database.get("ENGINE") != POSTGRESQL:
        return
    options = database.setdefault("OPTIONS", {})
    given = options.get("options", "")
    options["options"] = f"{given} -c statement_timeout={seconds * 1000}".strip()
