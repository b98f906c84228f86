"""How pages write times: `{{ clock.due_at|due }}`, a due time as people read it, "24:00" of the
last day rather than "00:00" of the next (Civil Code Art. 148); `{{ case.received_at|moment }}`,
any other time; and the words "còn 2 ngày", "3 phút trước"."""

import datetime

from django import template
from django.utils import timezone

from core import timewords
from core.working_days import display_due

register = template.Library()


@register.filter
def due(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return display_due(value)
    return "" if value is None else str(value)


@register.filter
def moment(value: object) -> str:
    """ "05/03/2026 14:30" in local time: what `|date:"d/m/Y H:i"` writes, for a third of its
    cost (4.5 against 15 µs: Django's date filter parses its format on every call, and a list
    writes a time on each row)."""
    if not isinstance(value, datetime.datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y %H:%M}"


@register.filter
def time_left(value: object) -> str:
    """`{{ clock.due_at|time_left }}`: "còn 1 ngày 23 giờ" or "quá hạn 3 tháng"."""
    return timewords.time_left(value) if isinstance(value, datetime.datetime) else ""


@register.filter
def ago(value: object) -> str:
    """`{{ referral.sent_at|ago }}`: "3 phút trước"."""
    return timewords.time_ago(value) if isinstance(value, datetime.datetime) else ""


@register.filter
def past(value: object) -> bool:
    """`{% if clock.due_at|past %}`: the moment has gone by (an overdue deadline)."""
    return isinstance(value, datetime.datetime) and value <= timezone.now()
