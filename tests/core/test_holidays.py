"""The calendar the migration loads: Labour Code 2019 Art. 112's holidays for 2015–2040,
computed by the holidays library, and the government swaps the library knows of."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from core.models import AuditEvent, CalendarDecision, Holiday
from core.public_holidays import FIRST_YEAR, LAST_YEAR, library_swaps, load_holidays

fill = importlib.import_module("core.migrations.0007_public_holidays").fill
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)


def days_off(year: int) -> set[datetime.date]:
    return set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))


def test_the_migration_fills_every_supported_year(calendar):
    Holiday.objects.all().delete()
    CalendarDecision.objects.all().delete()

    fill(apps, None)

    for year in YEARS:
        off = days_off(year)
        fixed = {
            datetime.date(year, 1, 1),
            datetime.date(year, 4, 30),
            datetime.date(year, 5, 1),
            datetime.date(year, 9, 2),
        }
        assert fixed <= off, year
        tet = Holiday.objects.filter(date__year=year, name__contains="Tết").exclude(
            name__startswith="Tết Dương lịch"
        )
        # Five days of Tết on working days: a first day on a weekend adds a working day.
        weekdays = [day for day in tet.values_list("date", flat=True) if day.weekday() < 5]
        if year != 2015:  # 2015's fifth day was a swap (16 Feb for Saturday 14 Feb)
            assert len(weekdays) == 5, (year, weekdays)
        assert Holiday.objects.filter(date__year=year, name__contains="Hùng Vương").exists()
        if year >= 2021:  # Art. 112 (2019 Code, in force 2021): 2 September and a day next to it
            assert {datetime.date(year, 9, 1), datetime.date(year, 9, 3)} & (
                off | set(CalendarDecision.objects.values_list("date", flat=True))
            ), year


def test_a_holiday_on_a_weekly_day_off_is_taken_on_the_next_working_day(calendar):
    assert Holiday.objects.filter(date=datetime.date(2026, 4, 26)).exists()  # Sunday
    assert Holiday.objects.get(date=datetime.date(2026, 4, 27)).name.endswith("(nghỉ bù)")
    assert Holiday.objects.filter(date=datetime.date(2027, 5, 1)).exists()  # Saturday
    assert Holiday.objects.get(date=datetime.date(2027, 5, 3)).name.endswith("(nghỉ bù)")


def test_tet_2026_is_the_five_weekdays_the_government_gave(calendar):
    # Off Saturday 14 to Sunday 22 February 2026 for civil servants: the weekdays 16 to 20.
    tet = {datetime.date(2026, 2, day) for day in range(14, 23)}
    assert {day for day in days_off(2026) if day in tet} == {
        datetime.date(2026, 2, day) for day in range(16, 21)
    }


def test_the_library_swaps_are_decisions_a_day_off_and_a_saturday_worked(calendar):
    day_off = CalendarDecision.objects.get(date=datetime.date(2026, 8, 31))
    worked = CalendarDecision.objects.get(date=datetime.date(2026, 8, 22))

    assert day_off.kind == CalendarDecision.Kind.DAY_OFF
    assert worked.kind == CalendarDecision.Kind.WORKING_DAY
    assert day_off.changed_by is None and "22/08/2026" in day_off.reason
    assert not Holiday.objects.filter(date=datetime.date(2026, 8, 31)).exists()
    assert len(library_swaps(YEARS)) >= 8


def test_the_cultural_day_is_not_a_holiday_until_the_law_says_so(calendar):
    assert datetime.date(2026, 11, 24) not in days_off(2026)
    assert datetime.date(2027, 11, 24) not in days_off(2027)


def test_loading_again_adds_nothing_and_keeps_what_an_administrator_decided(calendar):
    CalendarDecision.objects.filter(date=datetime.date(2026, 8, 22)).update(reason="Edited")
    Holiday.objects.filter(date=datetime.date(2030, 1, 1)).delete()

    assert load_holidays(Holiday, CalendarDecision) == (1, 0)
    assert load_holidays(Holiday, CalendarDecision) == (0, 0)
    assert CalendarDecision.objects.get(date=datetime.date(2026, 8, 22)).reason == "Edited"


def test_a_decision_on_a_date_keeps_the_library_holiday_out(calendar):
    Holiday.objects.filter(date=datetime.date(2030, 1, 1)).delete()
    CalendarDecision.objects.create(
        date=datetime.date(2030, 1, 1), kind=CalendarDecision.Kind.WORKING_DAY, reason="Test"
    )

    load_holidays(Holiday, CalendarDecision)

    assert not Holiday.objects.filter(date=datetime.date(2030, 1, 1)).exists()


def test_the_command_extends_the_years_and_is_audited(calendar, capsys: pytest.CaptureFixture):
    call_command("load_holidays", "--first", "2041", "--last", "2041")

    assert datetime.date(2041, 1, 1) in days_off(2041)
    assert "2041–2041" in capsys.readouterr().out
    event = AuditEvent.objects.filter(action="calendar.load_holidays").latest("at")
    assert event.details["years"] == [2041, 2041] and event.details["holidays"] > 0
