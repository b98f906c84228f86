"""Work queues for the home page: each a short list of what waits, most urgent first.

A queue reads its rows with one query (a slice one longer than it shows, so it knows whether to
offer "all of them" without counting), and each app builds the queues of the roles it serves.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

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
