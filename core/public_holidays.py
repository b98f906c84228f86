"""The public holidays of Labour Code 2019 Art. 112, computed by the `holidays` library.

Art. 112(1): 1 January; five days of Tết (the government chooses which, around the first day of
the lunar year); the Hùng Kings' day (10th day of the third lunar month); 30 April; 1 May;
2 September and one day next to it (before or after); Art. 112(3): the Prime Minister fixes
which days of Tết and next to 2 September are taken each year. Art. 111(3): a holiday that falls
on a weekly day off is taken on the next working day.

`holidays.VN` gives all of these, including the observed days, and chooses the five Tết days as
the government has done since 2014 (a first day of Tết on a Saturday adds the working day before,
on a Sunday the one after). It also lists the government's past swaps (a day off next to a
holiday, worked on a Saturday), which become CalendarDecision rows here: the day off and the
Saturday worked in exchange.

Left out: "Ngày Văn hóa Việt Nam" (24 November), which the library lists from 2026 after the
Politburo's Resolution 80-NQ/TW. It is a holiday only once Art. 112(1) is amended (the
Government's Resolution 30/NQ-CP of 2026 asks for that amendment); until then an administrator who
is told it is a day off adds it as a day-off decision. See docs/operations.md.

Used by migration 0007 (with the migration's models) and `manage.py load_holidays`. Existing
rows are never changed: loading again only adds what is missing.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import holidays
from holidays.countries.vietnam import VietnamStaticHolidays

FIRST_YEAR = 2015
LAST_YEAR = 2040
# Names (in Vietnamese, the library's default language) of days the library lists that are not
# yet holidays in law.
NOT_YET_LAW = ("Ngày Văn hóa Việt Nam",)
LIBRARY = f"holidays {holidays.__version__}"


@dataclass(frozen=True)
class Swap:
    day_off: datetime.date
    worked: datetime.date


def library_swaps(years: range) -> list[Swap]:
    """The government's swaps the library knows of: a day off, and the day worked instead."""
    swaps = []
    # {year: (month, day, worked month, worked day[, worked year]) or a tuple of such tuples}
    special: dict[int, Any] = VietnamStaticHolidays.special_public_holidays
    for year, entries in special.items():
        if year not in years:
            continue
        rows: tuple[tuple[int, ...], ...] = entries if isinstance(entries[0], tuple) else (entries,)
        for row in rows:
            month, day, worked_month, worked_day = row[:4]
            worked_year = row[4] if len(row) > 4 else year
            swaps.append(
                Swap(
                    day_off=datetime.date(year, month, day),
                    worked=datetime.date(worked_year, worked_month, worked_day),
                )
            )
    return swaps


def public_holidays(years: range) -> dict[datetime.date, str]:
    """Art. 112's holidays and the days they are taken on, by date, with their Vietnamese name;
    without the library's swaps (see `library_swaps`) and the days not yet in law."""
    calendar = holidays.country_holidays("VN", years=years, language="vi")
    swapped = {swap.day_off for swap in library_swaps(years)}
    return {
        day: name[:120]
        for day, name in sorted(calendar.items())
        if day not in swapped and not any(name.startswith(left) for left in NOT_YET_LAW)
    }


def load_holidays(
    holiday_model: Any, decision_model: Any, first: int = FIRST_YEAR, last: int = LAST_YEAR
) -> tuple[int, int]:
    """Add the missing holidays and swaps of [first, last]; return how many of each were added.

    Takes the models as arguments so the migration can pass its historical ones."""
    years = range(first, last + 1)
    known = set(holiday_model.objects.values_list("date", flat=True))
    decided = set(decision_model.objects.values_list("date", flat=True))
    new_holidays = [
        holiday_model(date=day, name=name)
        for day, name in public_holidays(years).items()
        if day not in known and day not in decided
    ]
    holiday_model.objects.bulk_create(new_holidays)
    new_decisions = []
    for swap in library_swaps(years):
        reason = f"Nghỉ thay cho ngày làm bù {swap.worked:%d/%m/%Y} ({LIBRARY})"
        if swap.day_off not in decided:
            new_decisions.append(decision_model(date=swap.day_off, kind="day_off", reason=reason))
        if swap.worked not in decided:
            worked_reason = f"Làm bù cho ngày nghỉ {swap.day_off:%d/%m/%Y} ({LIBRARY})"
            new_decisions.append(
                decision_model(date=swap.worked, kind="working_day", reason=worked_reason)
            )
    decision_model.objects.bulk_create(new_decisions)
    return len(new_holidays), len(new_decisions)
