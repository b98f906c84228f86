"""Steps that lock several rows lock them in one order, the case first: two steps taking them in
opposite orders wait for each other until PostgreSQL kills one (a deadlock, answered 409)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from access import services
from tests.access.test_grants import grant
from tests.cases.factories import make_case


def locked_tables(statements: list[dict]) -> list[str]:
    """The tables each locking statement locks, in the order sent."""
    return [
        match.group(1)
        for query in statements
        if (match := re.search(r"FOR UPDATE OF (.+)$", query["sql"]))
    ]


def test_a_revocation_locks_the_case_then_the_access_alone(demo):
    """As a grant does (the case, then the accesses it replaces). Before, the revocation locked
    the access first, and with it the case and the grantee's account in one statement."""
    assert connection.vendor == "postgresql"
    case = make_case(demo["officer_a"])
    access = grant(demo, case)

    with CaptureQueriesContext(connection) as statements:
        services.revoke_access(actor=demo["officer_a"], access_id=access.pk)

    assert locked_tables(statements.captured_queries)[:2] == [
        '"cases_case"',
        '"access_caseaccess"',
    ]
    assert "FOR UPDATE" not in " ".join(
        q["sql"] for q in statements.captured_queries if "FOR UPDATE OF" not in q["sql"]
    )
