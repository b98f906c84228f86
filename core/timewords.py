"""The words of a duration ("3 tháng", "1 ngày, 23 giờ"), for `timesince` and `timeuntil`.

Django's Vietnamese catalogue has no translation for them, so "quá hạn 3 months" was shown. The
same messages, declared here, are extracted into the product's catalogue (locale/), which Django
searches before its own: the template filters then speak Vietnamese with no change to them.
"""

import datetime

from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext, ngettext_lazy, pgettext

DURATION_WORDS = [
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
]


def duration(start: datetime.datetime, end: datetime.datetime) -> str:
    """ "1 ngày 23 giờ": the two largest parts of a span, joined as the language joins them
    (Vietnamese writes no comma between them; Django's ", " also joins lists, so it stays)."""
    words = timeuntil(end, start, depth=2)
    return words.replace(gettext(", "), pgettext("between the parts of a duration", ", "))


def time_left(due_at: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """ "còn 1 ngày 23 giờ" before a deadline, "quá hạn 3 tháng" after it."""
    now = now or timezone.now()
    if due_at > now:
        return gettext("%(time)s left") % {"time": duration(now, due_at)}
    return gettext("overdue by %(time)s") % {"time": duration(due_at, now)}


def time_ago(moment: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """ "3 phút trước"."""
    now = now or timezone.now()
    if moment > now:
        moment = now  # a clock a little ahead of ours: "0 phút trước", not a negative span
    return gettext("%(time)s ago") % {"time": duration(moment, now)}
