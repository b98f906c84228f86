"""The audit trail's hash chain: each event carries the hash of the one before it and its own.

    chain_hash = sha256(previous_hash + "\\n" + canonical content), hex

where the canonical content is the event's fields (actor id, action, object type and id, time,
IP address, reason, details) as one line of JSON with sorted keys, the time in UTC to the
microsecond and the address in its normal form, so the text is the same whether it was computed
from the object being saved or from the row read back (PostgreSQL or SQLite). The first event
follows `GENESIS`. Events are chained in the order of their ids: `AuditEvent.save()` takes the
chain's lock, reads the last event's hash and inserts, so the next insert waits for this one's
transaction and no two events can follow the same one.

Changing a row breaks its own hash; removing one breaks the link of the row after it; recomputing
the hashes needs write access to the table, which the application's database role does not have
(docs/operations.md, "The audit trail's integrity"). `manage.py verify_audit` walks the chain.

This module knows nothing of the models, so the model and the migration that hashed the rows
before the chain existed both use it.
"""

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

GENESIS = "0" * 64
# The PostgreSQL advisory lock every insert takes until its transaction ends ("auditlog").
LOCK_KEY = int.from_bytes(b"auditlog", "big")
# The fields of a row that its hash covers, in the order verify reads them.
CHAINED_FIELDS = ("actor_id", "action", "object_type", "object_id", "at", "ip", "reason", "details")


def lock_the_chain(connection: BaseDatabaseWrapper) -> None:
    """Hold the chain until the transaction ends. SQLite needs nothing: it has one writer, and a
    transaction that read the last hash before another's insert cannot write after it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def normal_time(at: datetime.datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=datetime.UTC)
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def normal_ip(ip: Any) -> str | None:
    if ip is None or ip == "":
        return None
    try:
        address = ipaddress.ip_address(str(ip))
    except ValueError:
        return str(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)


def normal_json(value: Any) -> Any:
    """The value as the database gives it back: PostgreSQL keeps numbers as numerics, so a
    float without a fraction may come back as an integer."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(key): normal_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [normal_json(item) for item in value]
    return value


def canonical_content(fields: dict[str, Any]) -> str:
    content = {
        "actor": fields["actor_id"],
        "action": fields["action"],
        "object_type": fields["object_type"],
        "object_id": fields["object_id"],
        "at": normal_time(fields["at"]),
        "ip": normal_ip(fields["ip"]),
        "reason": fields["reason"],
        "details": normal_json(fields["details"]),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link(previous_hash: str, fields: dict[str, Any]) -> str:
    text = f"{previous_hash}\n{canonical_content(fields)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    id: int
    fields: dict[str, Any]
    previous_hash: str
    chain_hash: str


@dataclass(frozen=True)
class Verdict:
    count: int
    last_id: int | None
    last_hash: str
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def rows_of(values: Iterable[tuple[Any, ...]]) -> Iterator[ChainRow]:
    """Rows from `values_list("id", *CHAINED_FIELDS, "previous_hash", "chain_hash")`."""
    for row in values:
        yield ChainRow(
            id=row[0],
            fields=dict(zip(CHAINED_FIELDS, row[1:-2], strict=True)),
            previous_hash=row[-2],
            chain_hash=row[-1],
        )


def verify(
    rows: Iterable[ChainRow], *, start: str = GENESIS, anchors: dict[int, str] | None = None
) -> Verdict:
    """Walk the rows in id order; stop at the first one that does not hold.

    `start` is the hash the first row follows (the last hash of an archive, when older rows were
    moved out); `anchors` are {id: hash} noted earlier outside the database: each must still be
    there, unchanged, so removing the newest rows is found too."""
    expected, count, last_id = start, 0, None
    pending = dict(anchors or {})
    for row in rows:
        if row.previous_hash != expected:
            after = f"#{last_id}" if last_id is not None else "the start of the trail"
            return Verdict(
                count,
                last_id,
                expected,
                row.id,
                f"it does not follow {after}: an event between them was removed, or this "
                "event's link was rewritten",
            )
        if link(row.previous_hash, row.fields) != row.chain_hash:
            return Verdict(
                count,
                last_id,
                expected,
                row.id,
                "its content does not match its hash: it was changed",
            )
        if row.id in pending and pending.pop(row.id) != row.chain_hash:
            return Verdict(count, last_id, expected, row.id, "its hash is not the one noted for it")
        expected, count, last_id = row.chain_hash, count + 1, row.id
    if pending:
        missing = min(pending)
        return Verdict(
            count, last_id, expected, missing, "it was noted earlier and is no longer there"
        )
    return Verdict(count, last_id, expected)
