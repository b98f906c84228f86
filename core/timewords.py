"""The words of a duration ("3 tháng", "1 ngày, 23 giờ"), for `timesince` and `timeuntil`.

Django's Vietnamese catalogue has no translation for them, so "quá hạn 3 months" was shown. The
same messages, declared here, are extracted into the product's catalogue (locale/), which Django
searches before its own: the template filters then speak Vietnamese with no change to them.
"""

from django.utils.translation import ngettext_lazy

DURATION_WORDS = [
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
]
