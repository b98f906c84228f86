"""The national-scale benchmark's generator and measures, on a small data set on PostgreSQL: the
numbers are not judged (they are a command's, docs/performance.md), the data and the pages are."""

import pytest
from django.db import connection
from django.utils import timezone

from cases.choices import Service
from cases.models import Case, InitialAssessment
from core.models import Clock
from inspections.models import Inspection
from notifications.sweeps import clocks_due
from referrals.models import Referral, Status, Urgency
from scale.benchmark import scale
from scale.generate import generate
from scale.measures import measures

pytestmark = pytest.mark.django_db


def test_it_generates_a_country_shaped_data_set_and_times_every_page(demo, settings):
    assert connection.vendor == "postgresql"
    settings.REDIS_URL = None  # the delivery measure needs a broker: test_delivery_locks.py
    said: list[str] = []
    generate(400, said.append)
    generated = Case.objects.filter(code__startswith="SC-")
    assert generated.count() == 400
    assert set(generated.values_list("status", flat=True)) >= {"received", "intervention", "closed"}
    assert generated.filter(commune__code="14428").count() >= 2  # the home commune's share
    # Form 02 for every case past its receipt, most of them confirming abuse (the report's
    # tables of abused children count those).
    assessed = InitialAssessment.objects.filter(case__in=generated)
    assert assessed.count() == generated.exclude(status="received").count()
    assert not assessed.filter(case__status="received").exists()
    assert assessed.filter(confirmed="abuse").count() > assessed.count() // 2
    referrals = Referral.objects.filter(case__in=generated)
    assert referrals.count() == 1200 and not referrals.filter(agency__isnull=True).exists()
    # Every code is one the product knows: the pages show their labels, not the codes.
    assert set(referrals.values_list("urgency", flat=True)) <= set(Urgency.values)
    assert set(referrals.values_list("status", flat=True)) <= set(Status.values)
    assert set(referrals.values_list("service", flat=True)) <= set(Service.values)
    assert Clock.objects.open().filter(subject_id__in=generated.values("pk")).exists()
    inspections = Inspection.objects.filter(title__startswith="Kiểm tra ")
    assert inspections.count() == 4 and inspections.filter(unit_path__startswith="2025/").exists()
    before_the_measures = timezone.now()
    due_before = clocks_due(before_the_measures).count()
    timings = measures(runs=1)
    assert [t.name.split(" (")[0] for t in timings] == [
        "request_fixed_cost",
        "api_me",
        "officer_api_cases_page1",
        "officer_web_cases_page1",
        "officer_api_cases_search",
        "province_api_cases_last_page",
        "police_api_referrals_last_page",
        "province_api_cases_middle_by_cursor",
        "police_api_referrals_middle_by_cursor",
        "province_web_cases_middle_by_cursor",
        "province_web_inspections_page1",
        "police_web_inbox",
        "province_web_reach_police",
        "officer_web_case_page",
        "officer_web_home",
        "chair_web_home",
        "police_web_home",
        "province_web_home",
        "manager_web_home",
        "province_api_cases_overdue",
        "province_api_referrals_overdue",
        "province_web_cases_overdue",
        "province_api_cases_on_time",
        "province_api_referrals_on_time",
        "province_api_referrals_page1",
        "province_api_cases_search",
        "province_api_cases_search_word",
        "root_admin_audit_trail",
        "root_admin_outbox",
        "province_year_report",
        "intake_per_report_ms",
        "daily_digest_every_user",
        "clock_sweep_backlog",
        "clock_sweep_next_minute",
    ]
    # The generated backlog is swept, and then found gone. (What falls due in the minute after
    # it depends on how long the measures before it took: the generated deadlines are spread
    # minute by minute around the time of generation.)
    backlog = timings[-2]
    assert int(backlog.name.split("(")[1].split()[0]) >= due_before > 0
    # The request's fixed cost sends no statement and has no floor; every other measure has both.
    fixed, *pages = timings
    assert fixed.app and fixed.floor == [] and fixed.queries == 0
    assert "ratio      —" in fixed.line()
    assert all(t.app and t.floor and t.queries for t in pages)
    assert not clocks_due(before_the_measures).exists()


def test_it_refuses_any_database_but_a_scratch_one():
    with pytest.raises(RuntimeError, match="_scale"):
        scale(count=10)
