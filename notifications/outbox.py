"""Writing the outbox: `notify` adds rows in the caller's transaction; after the commit each row
is handed to the delivery task, and the sweep (sweeps.py) queues again whatever that missed.

One step tells each person once (issue 14): a step may publish several events that reach the
same person about the same case (an emergency that also proposes a separation, six referrals
sent together, the deadlines of one case breached in the same sweep). A notice names its topic
(the case or the inspection it is about); a second notice on the same topic to the same person,
in the same step, is folded into the row written first (it then says "and N other
notifications" and leads to the page where the person must act) instead of adding a row. Each
receiving agency still hears of its own referrals: the agencies are different people.

Why folding into the first row rather than the other ways to get there:
- not a buffer flushed on commit: `on_commit` runs after the commit, so the rows would no longer
  commit with the step (a crash in between would lose them), which is the outbox's promise;
- not a unique key per person and topic: the same case is heard of again in later steps.
The rows written in one step are remembered while the step runs (`one_notice_per_person`: a
request); a folded row that a rolled-back savepoint took away is simply written again. A sweep's
batch of deadlines, which takes no savepoint, collects its notices instead and writes them with
one insert at the end of its transaction (`written_together`): its cost does not grow with the
number of deadlines it handles.

Callers (subscribers, escalation, digest, admin) import this module; it imports only the models,
the texts and the delivery task below it, never what calls it.
"""

import datetime
import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.audit import audit
from core.models import User
from notifications import texts
from notifications.delivery import deliver_notifications
from notifications.models import Channel, Notification, Preference

logger = logging.getLogger(__name__)


# What a user who never chose is told on (the fields' defaults); built once, not per recipient.
DEFAULT_PREFERENCE = Preference()


def channels_for(user: User, preferences: dict[int, Preference]) -> list[str]:
    """The channels the user chose that can reach them (email needs an address, SMS a phone)."""
    preference = preferences.get(user.pk) or DEFAULT_PREFERENCE
    usable: dict[str, bool] = {
        Channel.IN_APP: True,
        Channel.EMAIL: bool(user.email),
        Channel.SMS: bool(user.phone),
    }
    return [channel for channel in preference.channels() if usable[channel]]


# --- One notice per person and topic in one transaction -----------------------------------------


@dataclass
class Batch:
    """The rows written in one step: (recipient, channel, topic) → the row's id."""

    rows: dict[tuple[int, str, str], int] = field(default_factory=dict)


_batch: ContextVar[Batch | None] = ContextVar("checho_outbox_batch", default=None)


@contextmanager
def one_notice_per_person() -> Iterator[None]:
    """Within the block — one request (notifications.middleware), one case's deadlines in a
    sweep — a person is told once per topic; nested blocks share the outer one."""
    if _batch.get() is not None:
        yield
        return
    token = _batch.set(Batch())
    try:
        yield
    finally:
        _batch.reset(token)


@dataclass(frozen=True)
class Notice:
    event: str
    params: dict
    link: str


def folded(first: Notice, then: Notice, summary_link: str) -> Notice:
    """Two notices on one topic as one: the one that asks the person to act leads (its text and
    its page), a child's separation before the rest (`texts.urgency`); two that read better as
    one sentence become it; otherwise the other is counted ("and 1 other notification"). Two of
    the same kind on different pages (two referrals) lead to the topic's summary page."""
    more = int(first.params.get("more", 0))
    lead, other = first, then
    if texts.urgency(then.event, then.params) > texts.urgency(first.event, first.params):
        lead, other = then, first
    link = lead.link
    if lead.event == other.event and lead.link != other.link:
        link = summary_link or lead.link
    combined = texts.COMBINED.get(frozenset({lead.event, other.event}))
    params = {name: value for name, value in lead.params.items() if name != "more"}
    if combined is not None:
        return Notice(combined, other.params | params | ({"more": more} if more else {}), link)
    return Notice(lead.event, params | {"more": more + 1}, link)


def fold_into(row_id: int, notice: Notice, summary_link: str) -> bool:
    """Fold `notice` into the row written earlier in this transaction; False if it is gone (a
    savepoint that wrote it rolled back) or already on its way."""
    # By its key alone, the status checked here: a status condition can lead the planner to a
    # pending index when its statistics lag behind a backlog (see delivery.locked_for_delivery).
    row = Notification.objects.filter(pk=row_id).first()
    if row is None or row.status != Notification.Status.PENDING:
        return False
    merged = folded(Notice(row.event, row.params, row.link), notice, summary_link)
    row.event, row.params, row.link = merged.event, merged.params, merged.link
    row.save(update_fields=["event", "params", "link"])
    return True


# --- A sweep's batch: collected, folded in memory, written with one insert -----------------------


@dataclass(frozen=True)
class Call:
    key: str
    recipients: list[User]
    notice: Notice
    topic: str
    summary_link: str


_collected: ContextVar[list[Call] | None] = ContextVar("checho_outbox_collected", default=None)


@contextmanager
def written_together() -> Iterator[None]:
    """Within the block, `notify` only collects; when the block ends without an error, the
    notices are written with one insert, each person told once per topic. For a block inside
    one transaction with no savepoint of its own (a sweep's batch): a savepoint rolled back
    inside it would not take its notices away."""
    calls: list[Call] = []
    token = _collected.set(calls)
    try:
        yield
    finally:
        _collected.reset(token)
    write_together(calls)


def write_together(calls: list[Call]) -> None:
    preferences = preferences_of(
        list({user.pk: user for call in calls for user in call.recipients}.values())
    )
    rows: list[dict] = []
    by_topic: dict[tuple[int, str, str], dict] = {}
    for call in calls:
        for user in call.recipients:
            for channel in channels_for(user, preferences):
                earlier = by_topic.get((user.pk, channel, call.topic)) if call.topic else None
                if earlier is not None:
                    merged = folded(
                        Notice(earlier["event"], earlier["params"], earlier["link"]),
                        call.notice,
                        call.summary_link,
                    )
                    earlier.update(event=merged.event, params=merged.params, link=merged.link)
                    continue
                row = outbox_row(call.key, user, channel, call.notice)
                rows.append(row)
                if call.topic:
                    by_topic[(user.pk, channel, call.topic)] = row
    if rows:
        insert_pending(rows)
        transaction.on_commit(partial(enqueue_pending, *{row["key"] for row in rows}))


def outbox_row(key: str, recipient: User, channel: str, notice: Notice) -> dict:
    """One row of the outbox as `insert_pending` writes it."""
    return {
        "key": key,
        "recipient_id": recipient.pk,
        "channel": channel,
        "event": notice.event,
        "params": notice.params,
        "link": notice.link,
    }


# Outbox rows in one statement fed one JSON document (on PostgreSQL): a sweep's batch writes
# thousands, and Django's bulk_create built a model instance per row and handed psycopg one array
# per column, which it writes out element by element in Python; the two took a third of a sweep's
# time. A row whose event already reached its recipient on its channel is skipped, as the unique
# key wants.
INSERT_PENDING = """
INSERT INTO notifications_notification (key, recipient_id, channel, event, params, link,
    status, attempts, next_attempt_at, last_error, created_at)
SELECT r.key, r.recipient_id, r.channel, r.event, r.params, r.link, %s, 0, %s, '', %s
FROM jsonb_to_recordset(%s::jsonb)
    AS r(key text, recipient_id bigint, channel text, event text, params jsonb, link text)
ON CONFLICT DO NOTHING
"""


def insert_pending(rows: list[dict]) -> None:
    """Write outbox rows (key, recipient_id, channel, event, params, link), pending."""
    now = timezone.now()
    # Until the worker has them, the outbox sweep leaves them alone; past this, it queues them.
    requeue_at = now + datetime.timedelta(seconds=settings.CHECHO_OUTBOX_REQUEUE_SECONDS)
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [Notification(**row, next_attempt_at=requeue_at, created_at=now) for row in rows],
            ignore_conflicts=True,
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_PENDING, [Notification.Status.PENDING, requeue_at, now, json.dumps(rows)]
        )


# Inside `remembered_preferences()` (a sweep), each person's preferences are read once.
_preferences: ContextVar[dict[int, Preference | None] | None] = ContextVar(
    "preferences_memo", default=None
)


@contextmanager
def remembered_preferences() -> Iterator[None]:
    token = _preferences.set({})
    try:
        yield
    finally:
        _preferences.reset(token)


def preferences_of(users: list[User]) -> dict[int, Preference]:
    memo = _preferences.get()
    missing = [user.pk for user in users if memo is None or user.pk not in memo]
    read = {p.user_id: p for p in Preference.objects.filter(user__in=missing)} if missing else {}
    if memo is None:
        return read
    for user_id in missing:
        memo[user_id] = read.get(user_id)
    return {user.pk: pref for user in users if (pref := memo.get(user.pk)) is not None}


def notify(
    *,
    key: str,
    recipients: Iterable[User],
    event: str,
    params: dict,
    link: str = "",
    topic: str = "",
    summary_link: str = "",
) -> None:
    """Queue `event` for each recipient on each channel they chose, in the caller's transaction.

    The rows are delivered once the transaction commits; if it rolls back, they never existed.
    `topic` names what the notice is about ("case:12"): a person already told of it in this
    transaction is not told again, the earlier row says more instead; `summary_link` is where
    such a row leads when the notices it holds are on different pages (default: the first's).
    Without a topic (a digest, a role granted) every call writes its rows.
    """
    # One row per person however many of their roles or memberships the audience matched.
    recipients = list({user.pk: user for user in recipients}.values())
    if not recipients:
        return
    collected = _collected.get()
    if collected is not None:
        collected.append(Call(key, recipients, Notice(event, params, link), topic, summary_link))
        return
    preferences = preferences_of(recipients)
    batch = _batch.get() if topic else None
    notice = Notice(event, params, link)
    rows = []
    for user in recipients:
        for channel in channels_for(user, preferences):
            earlier = batch.rows.get((user.pk, channel, topic)) if batch is not None else None
            if earlier is not None and fold_into(earlier, notice, summary_link):
                continue
            rows.append(outbox_row(key, user, channel, notice))
    if not rows:
        return
    # Publishing the same event twice (a retried request) adds nothing: the key is unique.
    insert_pending(rows)
    if batch is not None:
        written = Notification.objects.filter(
            key=key, recipient__in=[row["recipient_id"] for row in rows]
        ).values_list("pk", "recipient_id", "channel")
        for row_id, recipient_id, channel in written:
            batch.rows[(recipient_id, channel, topic)] = row_id
    transaction.on_commit(partial(enqueue_pending, key))


def enqueue_pending(*keys: str) -> None:
    # Read by the key's index (a few rows per key: one per recipient and channel), the pending
    # ones kept here, so the cost stays the same however many rows wait in the outbox.
    rows = (
        Notification.objects.filter(key__in=keys)
        .order_by("pk")
        .values_list("pk", "channel", "status")
    )
    enqueue(
        [(pk, channel) for pk, channel, status in rows if status == Notification.Status.PENDING]
    )


def retry(*, actor: User, ids: Iterable[int]) -> list[int]:
    """Send the notifications not yet sent among `ids` again, now, as `actor` (the sysadmin in
    the admin) decided: an audit row names them."""
    with transaction.atomic():
        rows = list(
            Notification.objects.filter(pk__in=list(ids))
            .exclude(status=Notification.Status.SENT)
            .select_for_update()
            .values_list("pk", "channel")
        )
        again = [pk for pk, _channel in rows]
        Notification.objects.filter(pk__in=again).update(
            status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        audit(
            actor=actor,
            action="notification.retried",
            object_type="notifications.notification",
            details={"ids": again},
        )
        transaction.on_commit(partial(enqueue, rows))
    return again


# In-app rows handed to a worker in one message: nothing is sent for them, and publishing a task
# costs about what marking one sent does (0.3 ms) while a sweep queues thousands.
DELIVERY_CHUNK = 25


def enqueue(rows: list[tuple[int, str]]) -> None:
    """Hand the rows, (id, channel), to the workers: in-app rows a chunk per message, an email or
    an SMS one per message (a slow or failing channel holds up no other row, and a message given
    again to another worker sends only its own row again). If the broker is down, leave the rest
    for the sweep."""
    in_app = [pk for pk, channel in rows if channel == Channel.IN_APP]
    messages = [
        in_app[start : start + DELIVERY_CHUNK] for start in range(0, len(in_app), DELIVERY_CHUNK)
    ]
    messages += [[pk] for pk, channel in rows if channel != Channel.IN_APP]
    for index, ids in enumerate(messages):
        try:
            deliver_notifications.delay(ids)
        except Exception:  # the broker is unreachable: nothing is lost, the sweep retries
            left = [pk for message in messages[index:] for pk in message]
            logger.warning("Broker unreachable; %d notifications left to the sweep", len(left))
            Notification.objects.filter(pk__in=left).update(next_attempt_at=timezone.now())
            return
