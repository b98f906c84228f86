"""The production database's roles (docs/operations.md, "The database roles"): the application's
role reads and appends to the audit trail and can do nothing else to it — no UPDATE, DELETE or
TRUNCATE, no ALTER TABLE … DISABLE TRIGGER — while the owner's migrations and the product's own
audit() work.

The SQL is the documentation's, block by block, with the names changed to fresh ones: a scratch
database and two roles of this run, created on the PostgreSQL of the test settings as its
superuser and dropped at the end. It fails — never skips — when the database is not PostgreSQL.
"""

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import sqlparse
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "operations.md"
SECTION = "### The database roles"
BLOCKS = {
    "superuser": "-- As a superuser, in any database:",
    "superuser_in_db": "-- As a superuser, in the database checho:",
    "owner": "-- As checho_owner, in the database checho, after every migrate:",
    # From the next section, "A time limit on the web's statements".
    "web": "-- As a superuser, for a web behind PgBouncer:",
}


def documented_sql() -> dict[str, str]:
    """The SQL blocks of the section and the next, keyed as BLOCKS names them."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ")]
    blocks = re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)
    found = {}
    for key, first_line in BLOCKS.items():
        [block] = [block for block in blocks if block.startswith(first_line)]
        found[key] = block
    return found


@dataclass(frozen=True)
class Names:
    database: str
    owner: str
    app: str
    web: str

    def apply(self, sql: str) -> str:
        sql = sql.replace("checho_owner", self.owner).replace("checho_app", self.app)
        sql = sql.replace("checho_web", self.web)
        return re.sub(r"\bchecho\b", self.database, sql)


@dataclass(frozen=True)
class Server:
    host: str
    port: str
    superuser: str
    password: str

    def connect(self, database: str, user: str | None = None) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            dbname=database,
            user=user or self.superuser,
            password=self.password if user is None else None,
            autocommit=True,
        )

    def url(self, database: str, user: str) -> str:
        return f"postgres://{user}@{self.host}:{self.port}/{database}"


def run(server: Server, database: str, sql: str, user: str | None = None) -> None:
    with server.connect(database, user) as conn:
        for statement in sqlparse.split(sql):
            if statement.strip().strip(";").strip():
                conn.execute(statement)


def manage(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """manage.py in a process of its own, connected as the role in `url`."""
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def scratch() -> Iterator[tuple[Server, Names]]:
    assert connection.vendor == "postgresql", "this test needs PostgreSQL (DATABASE_URL)"
    settings = connection.settings_dict
    server = Server(
        host=settings["HOST"] or "127.0.0.1",
        port=str(settings["PORT"] or 5432),
        superuser=settings["USER"],
        password=settings["PASSWORD"] or "",
    )
    suffix = uuid.uuid4().hex[:8]
    names = Names(
        f"checho_roles_{suffix}",
        f"checho_owner_{suffix}",
        f"checho_app_{suffix}",
        f"checho_web_{suffix}",
    )
    try:
        yield server, names
    finally:
        with server.connect("postgres") as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {names.database} WITH (FORCE)")
            conn.execute(f"DROP ROLE IF EXISTS {names.web}")
            conn.execute(f"DROP ROLE IF EXISTS {names.app}")
            conn.execute(f"DROP ROLE IF EXISTS {names.owner}")


def set_up_as_documented(server: Server, names: Names) -> dict[str, str]:
    """The roles and the database as the section's blocks make them, migrated as the owner;
    the blocks, named for this run, for what a test runs next."""
    sql = {key: names.apply(block) for key, block in documented_sql().items()}
    run(server, "postgres", sql["superuser"])
    run(server, names.database, sql["superuser_in_db"])
    migrated = manage(server.url(names.database, names.owner), "migrate", "core", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    run(server, names.database, sql["owner"], user=names.owner)
    return sql


@pytest.mark.services
def test_the_applications_role_can_append_to_the_trail_and_nothing_more(scratch):
    server, names = scratch
    set_up_as_documented(server, names)

    # The product, as the application's role: an event written by audit(), the chain verified.
    product = manage(
        server.url(names.database, names.app),
        "shell",
        "-c",
        "from core.audit import audit; audit(actor=None, action='roles.checked'); "
        "from django.core.management import call_command; call_command('verify_audit')",
    )
    assert product.returncode == 0, product.stderr
    assert "OK: 1 audit events, the chain holds." in product.stdout

    with server.connect(names.database, names.app) as app:
        inserted = app.execute(
            "INSERT INTO core_auditevent (action, object_type, object_id, at, reason, details, "
            "previous_hash, chain_hash) VALUES ('raw', '', '', now(), '', '{}', '', '') "
            "RETURNING id"
        ).fetchone()
        assert inserted is not None
        assert app.execute("SELECT count(*) FROM core_auditevent").fetchone() == (2,)

        refused = {
            "UPDATE core_auditevent SET reason = 'rewritten'": "permission denied",
            "DELETE FROM core_auditevent": "permission denied",
            "TRUNCATE core_auditevent": "permission denied",
            "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only": (
                "must be owner"
            ),
            "ALTER TABLE core_auditevent DISABLE TRIGGER ALL": "must be owner",
            "DROP TABLE core_auditevent": "must be owner",
        }
        for statement, message in refused.items():
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match=message):
                app.execute(statement)
        assert app.execute("SELECT count(*) FROM core_auditevent").fetchone() == (2,)

        # Elsewhere the application reads and writes as usual.
        app.execute("UPDATE core_user SET first_name = first_name")
        app.execute("DELETE FROM core_rolemembership")

    # The row added by hand does not hash: verify_audit, as the application, names it.
    checked = manage(server.url(names.database, names.app), "verify_audit")
    assert checked.returncode == 1
    assert f"BROKEN at audit event #{inserted[0]}" in checked.stderr


@pytest.mark.services
def test_a_web_role_of_its_own_has_the_applications_rights_and_each_role_its_limit(scratch):
    server, names = scratch
    sql = set_up_as_documented(server, names)

    run(server, "postgres", sql["web"])

    with server.connect(names.database, names.web) as web:
        assert web.execute("SHOW statement_timeout").fetchone() == ("25s",)
        web.execute("UPDATE core_user SET first_name = first_name")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            web.execute("DELETE FROM core_auditevent")
    with server.connect(names.database, names.app) as app:  # the workers' role
        assert app.execute("SHOW statement_timeout").fetchone() == ("10min",)
