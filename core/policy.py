"""The policy defaults as they stand: the administrator's row (admin, "Policy settings") or,
while there is none, settings.py. Read by core.clocks (reminders), notifications (escalation) and
reports (small-count suppression). The law's own spans are not here: see core/clock_law.py."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models

from core.models import PolicySettings

_held: ContextVar[PolicySettings | None] = ContextVar("held_policy", default=None)


def current_policy() -> PolicySettings:
    """The saved row, or an unsaved one holding the defaults of settings.py; inside `held()`,
    the row read when it began."""
    return _held.get() or PolicySettings.objects.filter(pk=1).first() or PolicySettings()


@contextmanager
def held() -> Iterator[None]:
    """The policy read once for a piece of work that asks it at every step (a report asks the
    small-count threshold for each hidden cell: over a hundred times an export)."""
    token = _held.set(current_policy())
    try:
        yield
    finally:
        _held.reset(token)


def reminder_fraction() -> float:
    return current_policy().reminder_percent / 100


def escalation_chain() -> list[tuple[str, int]]:
    return [(str(role), int(hours)) for role, hours in current_policy().escalation_chain]


def small_count_threshold() -> int:
    return current_policy().small_count_threshold


def grant_days() -> tuple[int, int]:
    """(the usual period, the longest) of a grant of access to one case, in days."""
    policy = current_policy()
    return policy.grant_days, policy.grant_max_days


def break_glass_hours() -> int:
    return current_policy().break_glass_hours


def audited_values(record: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of `fields` as the audit trail keeps them (JSON: dates as text, links as ids)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = record._meta.get_field(name)
        value = field.value_from_object(record)  # type: ignore[union-attr]  # concrete fields
        if value is not None and not isinstance(value, int | float | str | bool | list | dict):
            value = str(value)
        values[name] = value
    return values


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for each value that changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }
