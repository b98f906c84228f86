"""`{{ clock.due_at|due }}`: a due time as people read it, "24:00" of the last day rather than
"00:00" of the next (Civil Code Art. 148)."""

import datetime

from django import template

from core import timewords
from core.working_days import display_due

register = template.Library()


@register.filter
def due(value: object) -> str:
    if isinstance(value, datetime.datetime):
        return display_due(value)
    return "" if value is None else str(value)


@register.filter
def time_left(value: object) -> str:
    """`{{ clock.due_at|time_left }}`: "còn 1 ngày 23 giờ" or "quá hạn 3 tháng"."""
    return timewords.time_left(value) if isinstance(value, datetime.datetime) else ""


@register.filter
def ago(value: object) -> str:
    """`{{ referral.sent_at|ago }}`: "3 phút trước"."""
    return timewords.time_ago(value) if isinstance(value, datetime.datetime) else ""
