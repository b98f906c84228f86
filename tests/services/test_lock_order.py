"""Steps that lock several rows lock them in one order, the case first: two steps taking them in
opposite orders wait for each other until PostgreSQL kills one (a deadlock, answered 409)."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from access import services
from cases import services as case_services
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


def test_break_glass_locks_every_case_it_opens_before_it_writes_the_audit_trail(demo):
    """A child with two open cases. Before, the glass locked the first case, wrote its audit row
    (which holds the audit chain's lock until commit), then locked the second: a step on the
    second case, holding it and then waiting for the chain, deadlocked with it."""
    assert connection.vendor == "postgresql"
    born = datetime.date(2015, 3, 8)
    child = case_services.ChildData(full_name="Đinh Thị Hòa", sex="female", date_of_birth=born)
    first = make_case(demo["officer_a"], child=child)
    second = make_case(demo["officer_a"], existing_child=first.child, abuse_forms=("neglect",))

    with CaptureQueriesContext(connection) as statements:
        opened = services.break_glass(
            actor=demo["hospital"],
            full_name="Đinh Thị Hòa",
            date_of_birth=born,
            reason="medical_emergency",
            explanation="Trẻ nhập viện cấp cứu lúc 2 giờ.",
        )

    assert {case.pk for case in opened} == {first.pk, second.pk}
    sent = [query["sql"] for query in statements.captured_queries]
    case_locks = [i for i, sql in enumerate(sent) if 'FOR UPDATE OF "cases_case"' in sql]
    # The chain's lock of each audit row: the search's first (its own transaction), then those
    # of the accesses opened.
    chain_locks = [i for i, sql in enumerate(sent) if "pg_advisory_xact_lock" in sql]
    assert len(case_locks) == 1
    assert chain_locks[0] < case_locks[0] < chain_locks[1]
