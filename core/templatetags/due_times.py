"""`{{ clock.due_at|due }}`: a due time as people read it, "24:00" of the last day rather than
"00:00" of the next (Civil Code Art. 148)."""

import datetime

from django import template

from core.working_days import display_due

register = template.Library()


@register.filter
def due(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return display_due(value)
    return "" if value is None else str(value)
