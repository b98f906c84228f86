"""Work queues for the home page: each a short list of what waits, most urgent first.

A queue reads its rows with one query (a slice one longer than it shows, so it knows whether to
offer "all of them" without counting; `first_rows` when the rows join more than their order
needs), and each app builds the queues of the roles it serves.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.navigation import Panel
from core.typing import StrOrPromise

SHOWN = 8


@dataclass(frozen=True)
class QueueRow:
    url: str
    title: str
    text: StrOrPromise = ""
    due_at: datetime.datetime | None = None
    # A date rather than a moment (an inspection's planned end, a recommendation's due date).
    due_on: datetime.date | None = None
    badge: StrOrPromise = ""

    @property
    def overdue(self) -> bool:
        if self.due_at is not None:
            return self.due_at <= timezone.now()
        return self.due_on is not None and self.due_on < timezone.localdate()


@dataclass
class Queue:
    key: str
    title: StrOrPromise
    empty: StrOrPromise
    rows: list[QueueRow] = field(default_factory=list)
    more_url: str = ""
    more: bool = False


def first_rows(records: QuerySet[Any]) -> list[Any]:  # rows with their annotations
    """The first `SHOWN + 1` rows of `records` in its order, in one query that finds their keys
    first (the order's own columns and subqueries, no joins) and then joins only those rows to
    what the queue shows. Read as one plain query, the database joined every waiting row to its
    case, child and commune before sorting them by their deadline: 127 ms for the 3,986
    referrals waiting for one police agency of the 1,000,000-case benchmark."""
    return list(records.filter(pk__in=records.values("pk")[: SHOWN + 1]))


def queue(
    key: str,
    title: StrOrPromise,
    empty: StrOrPromise,
    rows: Iterable[QueueRow],
    *,
    more_url: str = "",
) -> Queue:
    """A queue from rows read as `query[: SHOWN + 1]`: the extra row only says there are more."""
    rows = list(rows)
    return Queue(key, title, empty, rows[:SHOWN], more_url, more=len(rows) > SHOWN)


def queues_panel(
    key: str, title: StrOrPromise, queues: list[Queue], order: int, link: str = ""
) -> Panel:
    return Panel(
        "core/panels/queues.html",
        {"key": key, "title": title, "queues": queues, "link": link},
        order=order,
    )
