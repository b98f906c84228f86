"""The integrity rules reach a national database without closing its tables (PostgreSQL,
core/migration_operations.py): a check is added `NOT VALID` and then validated, a unique index is
built `CONCURRENTLY`. Rows that already break a rule fail the migration, naming the rule, and
leave nothing half made, so that it runs once the rows are mended."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations import AddConstraint
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from referrals.models import Referral
from tests.referrals.helpers import refer, sexual_abuse_case

# Outside a test's transaction: each step of these migrations commits on its own.
pytestmark = pytest.mark.django_db(transaction=True)


def run(app: str, migration: str, rule: str) -> list[str]:
    """Apply the operation of `migration` that adds `rule`; the statements it ran."""
    loader = MigrationLoader(connection)
    key = (app, migration)
    (operation,) = (
        operation
        for operation in loader.disk_migrations[key].operations
        if isinstance(operation, AddConstraint) and operation.constraint.name == rule
    )
    state = loader.project_state(key)
    with (
        CaptureQueriesContext(connection) as statements,
        connection.schema_editor(atomic=False) as editor,
    ):
        operation.database_forwards(app, editor, state, state)
    return [statement["sql"] for statement in statements.captured_queries]


def check_state(rule: str) -> bool | None:
    """Whether the check is validated; None if there is none."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT convalidated FROM pg_constraint WHERE conname = %s", [rule])
        row = cursor.fetchone()
    return row[0] if row else None


def index_state(name: str) -> bool | None:
    """Whether the index is valid; None if there is none."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = %s",
            [name],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def test_a_check_is_added_not_valid_then_validated_and_refuses_rows_that_break_it(
    committed_demo,
):
    rule = "case_closed_with_its_ending"
    case = sexual_abuse_case(committed_demo)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE cases_case DROP CONSTRAINT {rule}")
    # A case closed by an older script, without when or why.
    Case.objects.filter(pk=case.pk).update(status="closed")

    with pytest.raises(IntegrityError, match=rule):
        run("cases", "0018_integrity_in_the_database", rule)
    assert check_state(rule) is None

    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now(), closure_reason="other")
    statements = run("cases", "0018_integrity_in_the_database", rule)

    assert check_state(rule) is True
    (added,) = [i for i, sql in enumerate(statements) if sql.endswith("NOT VALID")]
    validated = statements.index(f'ALTER TABLE "cases_case" VALIDATE CONSTRAINT "{rule}"')
    # The moment's lock is waited for 5 s at the most, the validation without a limit.
    assert statements[:added] == [
        "SET lock_timeout = '5s'",
        f'ALTER TABLE "cases_case" DROP CONSTRAINT IF EXISTS "{rule}"',
    ]
    assert added < statements.index("RESET lock_timeout") < validated
    # A migration that failed later on runs again whole: this step with it.
    run("cases", "0018_integrity_in_the_database", rule)
    assert check_state(rule) is True


def test_a_unique_index_is_built_concurrently_and_none_is_left_invalid(committed_demo):
    rule = "referral_one_live_per_service"
    first = refer(committed_demo, sexual_abuse_case(committed_demo), "police_report")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {rule}")
    # Two agencies at once on the child's crime report, left by an older script.
    again = Referral.objects.filter(pk=first.pk).values().get()
    del again["id"]
    copy = Referral.objects.create(**again)

    with pytest.raises(IntegrityError, match="could not create unique index"):
        run("referrals", "0009_integrity_in_the_database", rule)
    assert index_state(rule) is None

    Referral.objects.filter(pk=copy.pk).update(
        status="cancelled", cancelled_at=timezone.now(), cancel_reason="Gửi trùng."
    )
    statements = run("referrals", "0009_integrity_in_the_database", rule)

    assert index_state(rule) is True
    assert any(statement.startswith("CREATE UNIQUE INDEX CONCURRENTLY") for statement in statements)
    run("referrals", "0009_integrity_in_the_database", rule)
    assert index_state(rule) is True


def test_in_one_transaction_the_operations_refuse_to_run(committed_demo):
    """There the moment's lock would last the whole check: the migration must be non-atomic."""
    with pytest.raises(ValueError, match="atomic = False"), transaction.atomic():
        run("cases", "0018_integrity_in_the_database", "case_closed_with_its_ending")
    assert check_state("case_closed_with_its_ending") is True
