"""Reminders before a clock falls due and escalations after it is breached (DOMAIN §7).

Each notice names as its topic the code it is about (a case's, for the case's own deadlines and
its referrals'): the sweep advances the deadlines of one code in one transaction, so a person
hears once of all that fell due on it (notifications/outbox.py), led by the most overdue.
"""

import datetime

from django.db import transaction

from core.models import Clock
from core.policy import escalation_chain
from core.staff import staff_of_unit
from core.working_days import display_due
from notifications.deadlines import Deadline, deadline_of
from notifications.outbox import notify


def topic_of(deadline: Deadline) -> str:
    return f"code:{deadline.code()}"


# No savepoint of its own inside the sweep's transaction: a failure aborts the whole topic anyway.
@transaction.atomic(savepoint=False)
def advance_clock(
    clock_id: int,
    now: datetime.datetime,
    *,
    found: Deadline | None = None,
    chain: list[tuple[str, int]] | None = None,
) -> int:
    """Send what is due for one clock; the row lock makes each step happen exactly once. A
    sweep passes the deadline it `found` (its record already read) and the escalation `chain`
    it read once."""
    clock = Clock.objects.select_for_update(skip_locked=True).filter(pk=clock_id).first()
    if clock is None or not clock.is_open:
        return 0
    deadline = (
        Deadline(clock=clock, subject=found.subject, kind=found.kind)
        if found is not None
        else deadline_of(clock)
    )
    if deadline is None:
        return 0
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
            key=f"clock:{clock.pk}:remind",
            recipients=deadline.owners(),
            event="clock_reminder",
            params=params,
            link=link,
            topic=topic,
        )
        clock.reminded_at = now
        steps += 1
    if chain is None:
        chain = escalation_chain()  # the administrator's, or CHECHO_ESCALATION_CHAIN
    while clock.escalation_level < len(chain):
        role, hours = chain[clock.escalation_level]
        if now < clock.due_at + datetime.timedelta(hours=hours):
            break
        if clock.escalation_level == 0:
            clock.breached_at = clock.breached_at or clock.due_at
            notify(
                key=f"clock:{clock.pk}:breached",
                recipients=deadline.owners(),
                event="clock_breached",
                params=params,
                link=link,
                topic=topic,
            )
        notify(
            key=f"clock:{clock.pk}:escalate:{clock.escalation_level}",
            recipients=staff_of_unit(clock.unit_path, role),
            event="clock_escalated",
            params=params,
            link=link,
            topic=topic,
        )
        clock.escalation_level += 1
        steps += 1
    clock.save(update_fields=["reminded_at", "breached_at", "escalation_level"])
    return steps
