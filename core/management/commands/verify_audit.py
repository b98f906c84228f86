"""Check the audit trail's hash chain (core/audit_chain.py): OK with the count, or the first event
that does not hold and a non-zero exit."""

import re
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.audit_chain import CHAINED_FIELDS, GENESIS, rows_of, verify
from core.models import AuditEvent

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")
BATCH = 2000


def events_in_order() -> Iterator[tuple[Any, ...]]:
    """Every event's chained values in the order of their ids, read a batch at a time after the
    last id read: millions of events in little memory, with no server-side cursor (there are
    none: core/settings.py), and the walk may stop at a broken event with nothing left open."""
    after = 0
    fields = ("id", *CHAINED_FIELDS, "previous_hash", "chain_hash")
    while True:
        batch = list(
            AuditEvent.objects.filter(id__gt=after).order_by("id").values_list(*fields)[:BATCH]
        )
        yield from batch
        if len(batch) < BATCH:
            return
        after = batch[-1][0]


def anchor(text: str) -> tuple[int, str]:
    match = ANCHOR.match(text.strip().lower())
    if match is None:
        raise ValueError(text)
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = (
        "Check that every audit event still follows the one before it and matches its hash. "
        "Prints OK and the count, or names the first broken event and exits with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            type=anchor,
            action="append",
            default=[],
            metavar="ID:HASH",
            help="An event and its hash noted from an earlier run (kept outside the database): "
            "it must still be there, unchanged. Finds the newest events removed. Repeatable.",
        )
        parser.add_argument(
            "--after",
            default=GENESIS,
            metavar="HASH",
            help="The hash the first event follows, when older events were archived: the last "
            "hash of the archive. Default: the start of the chain.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify(
            rows_of(events_in_order()), start=options["after"], anchors=dict(options["anchor"])
        )
        if not verdict.ok:
            raise CommandError(
                f"BROKEN at audit event #{verdict.broken_id}: {verdict.problem}. "
                f"{verdict.count} events before it hold"
                + (f" (the last: #{verdict.last_id})." if verdict.last_id is not None else ".")
            )
        if verdict.last_id is None:
            self.stdout.write(self.style.SUCCESS("OK: 0 audit events."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"OK: {verdict.count} audit events, the chain holds. "
                f"Last: {verdict.last_id}:{verdict.last_hash}"
            )
        )
