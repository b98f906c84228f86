"""Every list with every filter, as each demo role: the walk that finds a page whose cost grows
with the country rather than with the reader (docs/performance-log.md, sixteenth session).

Each `GET` list of the API is requested with each value of each of its query parameters (read
from the API's schema: its choices, true and false, or a few words for free text), and each
list's next page by its cursor; the web lists with each of their filters. Each address is
requested twice, the second timed, so a cold cache does not pass for a slow page. Run it on a
generated country (`SCALE_KEEP=1 bin/scale N`), not on a database in use: it reads, it writes
only what reading writes (the audit of each read).
"""

import statistics
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from cases.forms import CaseFilterForm
from core.benchmarks import register_benchmark
from core.models import User
from inspections.forms import InspectionFilterForm
from scale.measures import forget_throttles

ROLES = ["province", "officer_a", "police", "inspector", "manager", "chair_a", "hospital"]
# Free-text parameters: a word every generated child's name holds, one letter, a code, a %.
WORDS = {
    "q": ["Trẻ", "n", "37-2026", "%"],
    "year": ["2025", "1"],
    "unit": ["37"],
    "commune": ["14428"],
    "on": ["2025-01-01"],
}
WEB_LISTS = ["/", "/cases/", "/referrals/", "/inspections/", "/notifications/", "/reports/"]


def api_addresses() -> Iterator[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        if "{" in path or "get" not in operations or "schema" in path:
            continue
        yield path
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] != "query" or parameter["name"] in ("cursor", "page"):
                continue
            kind = parameter.get("schema", {})
            values = kind.get("enum") or (
                ["true", "false"] if kind.get("type") == "boolean" else WORDS.get(parameter["name"])
            )
            for value in values or []:
                if value not in (None, ""):
                    yield f"{path}?{parameter['name']}={value}"


def web_addresses() -> Iterator[str]:
    yield from WEB_LISTS
    for prefix, form in (("/cases/", CaseFilterForm()), ("/inspections/", InspectionFilterForm())):
        for name, field in form.fields.items():
            for value, _label in getattr(field, "choices", None) or []:
                if value:
                    yield f"{prefix}?{name}={value}"
    for word in WORDS["q"]:
        yield f"/cases/?q={word}"


# Each address is timed this many times after its warm-up, and the median kept: one sample
# catches a garbage collection or another process as often as the page (the agencies' list read
# 304 ms once at 1,000,000 cases and 20 ms on every try after).
SAMPLES = 3


def timed(client: Client, address: str) -> tuple[float, int, int, object]:
    client.get(address)  # warm: the first read of a page after generating is a cold cache's
    samples = [sample(client, address) for _sample in range(SAMPLES)]
    ms = statistics.median(ms for ms, _queries, _response in samples)
    _ms, queries, response = samples[-1]
    return ms, response.status_code, queries, response


def sample(client: Client, address: str) -> tuple[float, int, Any]:
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    return (time.perf_counter() - started) * 1000, len(queries), response


def next_page(response) -> str | None:
    """The address of an API page's next page, by its cursor; None without one."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return None
    data = response.json()
    following = data.get("next") if isinstance(data, dict) else None
    if not following:
        return None
    parts = urlsplit(following)
    return f"{parts.path}?{parts.query}"


@register_benchmark("filters", "every list with every filter as each demo role; the slowest")
def every_filter(*, count: int | None = None) -> list[str]:
    """The `count` slowest addresses (default 25, each the median of its samples), and every one
    that answered a server error."""
    addresses = [*api_addresses(), *web_addresses()]
    results: list[tuple[float, str, str, int, int]] = []
    users = list(User.objects.filter(username__in=ROLES))
    forget_throttles(users)
    for user in users:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        for address in addresses:
            ms, status, queries, response = timed(client, address)
            results.append((ms, user.username, address, status, queries))
            if status == 200 and (following := next_page(response)):
                ms, status, queries, _response = timed(client, following)
                results.append((ms, user.username, f"{address} → next", status, queries))
    results.sort(reverse=True)
    lines = [f"{len(addresses)} addresses as {len(users)} users, each the median of {SAMPLES}"]
    lines += [
        f"{ms:9.1f} ms  {status}  {queries:3d} queries  {who:<10} {address}"
        for ms, who, address, status, queries in results[: count or 25]
    ]
    errors = [
        f"{who} {address} {status}" for _ms, who, address, status, _q in results if status >= 500
    ]
    lines.append(f"server errors: {', '.join(errors) if errors else 'none'}")
    return lines
