"""A child's age on the day of a report, computed by the database (DOMAIN §9, Law on Children
Art. 1): whole years from the date of birth — a birthday not yet reached that year does not count
— else the age estimated at intake plus the whole years since. Never the year minus the year of
birth, which puts a five-year-old whose birthday is in December in the 6–10 group all year.

It is the same rule as `cases.models.full_years`, as SQL, so reports group thousands of cases
without loading one. A birthday on 29 February counts on 1 March in other years, as there.
"""

from django.db.models import Case, Expression, ExpressionWrapper, F, IntegerField, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, Greatest
from django.db.models.lookups import LessThan


def month_and_day(field: str) -> Expression:
    return ExtractMonth(field) * 100 + ExtractDay(field)


def full_years(start: str, end: str) -> Expression:
    """Whole years from the date `start` to the date (or moment, in local time) `end`."""
    before_birthday = Case(
        When(LessThan(month_and_day(end), month_and_day(start)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return ExtractYear(end) - ExtractYear(start) - before_birthday


def age_on_report(child: str = "child__", report: str = "received_at") -> Expression:
    """The age, in whole years, of the case's child on the day the case was reported."""
    since_estimate = Greatest(Value(0), full_years(f"{child}estimated_on", report))
    return Case(
        When(
            **{f"{child}date_of_birth__isnull": False},
            then=full_years(f"{child}date_of_birth", report),
        ),
        When(
            **{f"{child}estimated_on__isnull": False},
            then=ExpressionWrapper(
                F(f"{child}estimated_age") + since_estimate, output_field=IntegerField()
            ),
        ),
        default=F(f"{child}estimated_age"),
        output_field=IntegerField(),
    )
