"""Reminders before a clock falls due and escalations after it is breached (DOMAIN §7).

Each notice names as its topic the code it is about (a case's, for the case's own deadlines and
its referrals'): the sweep advances a batch of deadlines in one transaction, the most overdue
first, so a person hears once of all that fell due on one code (notifications/outbox.py), led by
the most overdue.
"""

import datetime
import logging

from core.models import Clock
from core.staff import staff_of_unit
from core.working_days import display_due
from notifications.deadlines import Deadline
from notifications.outbox import notify

logger = logging.getLogger(__name__)


def topic_of(deadline: Deadline) -> str:
    return f"code:{deadline.code()}"


def key_of(clock: Clock, notice: str) -> str:
    """The outbox key of one of a clock's notices. It holds the due time: a deadline the law lets
    be extended (core.clocks.reschedule_clock) reminds and escalates afresh on the same clock,
    and the outbox writes a key once (notifications/outbox.py), so a key without it took the new
    limit's notices for the old one's and dropped them."""
    return f"clock:{clock.pk}:{clock.due_at:%Y%m%dT%H%M}:{notice}"


def advance(
    clock: Clock, deadline: Deadline, now: datetime.datetime, chain: list[tuple[str, int]]
) -> int:
    """Send what is due for one clock, locked by the caller's sweep, and move it on: its
    reminder, then each step of the escalation `chain` whose time has come. Returns the steps
    taken; the caller saves the clock (core.models.Clock.next_action says when it is due next)."""
    params = {
        "code": deadline.code(),
        "deadline": clock.kind,
        "due": display_due(clock.due_at),
    }
    link = deadline.link()
    topic = topic_of(deadline)
    steps = 0
    if clock.reminded_at is None and clock.remind_at and clock.remind_at <= now < clock.due_at:
        notify(
            key=key_of(clock, "remind"),
            recipients=deadline.owners(),
            event="clock_reminder",
            params=params,
            link=link,
            topic=topic,
        )
        clock.reminded_at = now
        steps += 1
    if deadline.kind.end_event:
        return steps + end(clock, deadline, now, params)
    vacant = False
    while clock.escalation_level < len(chain):
        role, hours = chain[clock.escalation_level]
        # A step nobody holds (a post vacant, its account ended) goes up to the next at once:
        # a breached deadline told to nobody would wait the next step's hours for no one.
        if not vacant and now < clock.due_at + datetime.timedelta(hours=hours):
            break
        if clock.escalation_level == 0:
            clock.breached_at = clock.breached_at or clock.due_at
            notify(
                key=key_of(clock, "breached"),
                recipients=deadline.owners(),
                event="clock_breached",
                params=params,
                link=link,
                topic=topic,
            )
        holders = staff_of_unit(clock.unit_path, role)
        vacant = not holders
        if vacant:
            logger.warning(
                "Nobody holds %s for %s: the escalation of clock %s goes up a step at once.",
                role,
                clock.unit_path,
                clock.pk,
            )
        notify(
            key=key_of(clock, f"escalate:{clock.escalation_level}"),
            recipients=holders,
            event="clock_escalated",
            params=params,
            link=link,
            topic=topic,
        )
        clock.escalation_level += 1
        steps += 1
    return steps


def end(clock: Clock, deadline: Deadline, now: datetime.datetime, params: dict) -> int:
    """A period that ends by itself (core.clocks.ClockKind.end_event): at its due time the clock
    is met, as of that time, and its owners are told once; nothing is overdue."""
    if now < clock.due_at:
        return 0
    notify(
        key=key_of(clock, "ended"),
        recipients=deadline.owners(),
        event=deadline.kind.end_event,
        params=params,
        link=deadline.link(),
        topic=topic_of(deadline),
    )
    clock.met_at = clock.due_at
    return 1
