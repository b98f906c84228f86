"""Who is a child, and how old on a day (Law on Children 2016, Art. 1).

A child is a person under 16. The limit is a setting (`CHECHO_CHILD_AGE_LIMIT`, default 16)
because raising it to 18 has been discussed. Ages are whole years counted from the date of birth
on the day that matters — the report's date at intake — never the year minus the year of birth;
without a date of birth, the age estimated on the report's date.
"""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from cases.models import full_years


def child_age_limit() -> int:
    return int(settings.CHECHO_CHILD_AGE_LIMIT)


def age_on_report(
    *, date_of_birth: datetime.date | None, estimated_age: int | None, day: datetime.date
) -> int | None:
    """The age on the report's day: from the date of birth, else the age estimated that day."""
    if date_of_birth is not None:
        return full_years(date_of_birth, day)
    return estimated_age


def is_child(age: int | None) -> bool:
    return age is None or age < child_age_limit()


def not_a_child_message(age: int) -> str:
    return _(
        "This person is %(age)s on the day of the report. A child is a person under "
        "%(limit)s (Law on Children, Art. 1): the report cannot be recorded as a child's case."
    ) % {"age": age, "limit": child_age_limit()}


def turned_16_refusal(age: int | None) -> str | None:
    """Why a case cannot be closed as "turned 16" (Law on Children 2016 Art. 1): the child is
    not yet of the limit's age today. None when it may (an age not known is not refused)."""
    if age is None or age >= child_age_limit():
        return None
    return _(
        "The child is %(age)s today: a case is closed as “turned %(limit)s” only once the "
        "child is %(limit)s (Law on Children 2016, Art. 1)."
    ) % {"age": age, "limit": child_age_limit()}
