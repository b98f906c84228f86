"""`manage.py benchmark scale --cases N`: a national data set, then each measure beside its floor.

It writes a million rows, so it refuses any database but a scratch PostgreSQL one whose name
ends in `_scale` (`make scale` creates one, runs this, and drops it): the database it ran in is
thrown away, never cleaned up row by row.
"""

import os
import time

from django.conf import settings
from django.db import connection

from core.benchmarks import register_benchmark
from scale.generate import generate
from scale.measures import measures


@register_benchmark(
    "scale",
    "a national data set (all communes) on a scratch PostgreSQL database, then every list, "
    "the sweep and the floors beside them",
)
def scale(*, count: int | None = None) -> list[str]:
    name = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql" or not str(name).endswith("_scale"):
        raise RuntimeError(
            "Run it with `make scale`: it needs a scratch PostgreSQL database named *_scale "
            f"(this one is {connection.vendor} {name!r})."
        )
    count = count or 100_000
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    say(f"this machine: {python_speed():.0f} ms for 5,000,000 Python additions (to compare runs)")
    generate(count, say)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database()), count(*) FROM cases_case")
        size, cases = cursor.fetchone()
    say(f"database {size / 1e9:.2f} GB for {cases} cases: {size / cases / 1024:.1f} KB per case")
    # SCALE_SWEEP=0 leaves out the backlog sweep, which takes minutes per 100,000 cases.
    for timing in measures(runs=7, sweep=os.environ.get("SCALE_SWEEP", "1") != "0"):
        say(timing.line())
    return []


def python_speed() -> float:
    """The same few lines of Python timed, so that figures from two machines (or one machine on
    two days) can be read side by side: most of a page's cost is Python."""
    started = time.perf_counter()
    total = 0
    for number in range(5_000_000):
        total += number
    return (time.perf_counter() - started) * 1000
