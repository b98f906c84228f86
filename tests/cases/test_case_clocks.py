"""The clocks of DOMAIN §7 as the case services start them, in Vietnam's time."""

import datetime
import importlib
from zoneinfo import ZoneInfo

from django.apps import apps as django_apps

from cases import clocks, services
from cases.models import Case
from cases.todo import state_deadline
from core import clock_law
from core.models import Clock, Holiday, Unit
from tests.cases.factories import advance, make_case

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def record_at(actor, received_at: datetime.datetime) -> Case:
    return services.case_create(
        actor=actor,
        commune=Unit.objects.get(structure="2025", code="14428"),
        received_at=received_at,
        channel="phone",
        source="family",
        description="…",
        situation="at_risk",
        abuse_forms=["neglect"],
        setting="family",
        child=services.ChildData(full_name="Trần Văn Nam", sex="male", estimated_age=7),
    )


def clock(case: Case, kind: str) -> Clock:
    return Clock.objects.for_object(case).get(kind=kind)


def test_the_initial_assessment_is_due_12_hours_after_the_report_in_local_time(demo):
    received = datetime.datetime(2026, 11, 27, 21, 30, tzinfo=VN)
    case = record_at(demo["officer_a"], received)

    due = clock(case, clocks.INITIAL_ASSESSMENT).due_at.astimezone(VN)
    assert due == datetime.datetime(2026, 11, 28, 9, 30, tzinfo=VN)


def test_the_plan_is_due_5_working_days_after_the_report_skipping_the_weekend(demo):
    received = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=VN)  # a Thursday
    case = record_at(demo["officer_a"], received)
    services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )

    due = clock(case, clocks.PLAN_SUBMISSION).due_at.astimezone(VN)
    # The next Thursday, to its end: 24:00 is 00:00 of the Friday (Civil Code Art. 148).
    assert due == datetime.datetime(2026, 12, 4, 0, 0, tzinfo=VN)


def test_the_plan_clock_skips_a_tet_holiday(demo):
    # Tết 2026 fell on Tuesday 17 February; the days off ran Monday 16 to Friday 20 (the
    # calendar the migrations loaded from Labour Code Art. 112).
    assert Holiday.objects.filter(date__range=("2026-02-16", "2026-02-20")).count() == 5
    received = datetime.datetime(2026, 2, 12, 8, 0, tzinfo=VN)  # a Thursday
    case = record_at(demo["officer_a"], received)
    services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )

    # Working days: Fri 13, then Tết and two weekends, then Mon 23, Tue 24, Wed 25, Thu 26; the
    # deadline ends at 24:00 of Thursday 26 (Civil Code Art. 148).
    due = clock(case, clocks.PLAN_SUBMISSION).due_at.astimezone(VN)
    assert due == datetime.datetime(2026, 2, 27, 0, 0, tzinfo=VN)


def test_an_assessment_after_12_hours_marks_the_clock_met_late(demo):
    received = datetime.datetime(2026, 11, 20, 8, 0, tzinfo=VN)
    case = record_at(demo["officer_a"], received)
    services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )

    met = clock(case, clocks.INITIAL_ASSESSMENT)
    assert met.met_at is not None
    assert met.breached_at == met.due_at


def test_clocks_due_now_are_found_in_one_query(demo, django_assert_num_queries):
    import datetime as dt

    from django.utils import timezone

    for hours in (13, 14, 15):
        record_at(demo["officer_a"], timezone.now() - dt.timedelta(hours=hours))
    record_at(demo["officer_a"], timezone.now() - dt.timedelta(hours=1))

    with django_assert_num_queries(1):
        due = list(Clock.objects.due_by(timezone.now()))
    assert len(due) == 3


def test_a_returned_plans_deadline_is_the_provinces_not_the_laws(demo):
    """Art. 28 fixes 5 working days for the plan after the report, once. A plan the chair
    returns runs a clock of its own, 5 working days by default, which the province's deadline
    policy may change and whose name claims no article; the to-do names it."""
    case = advance(
        make_case(demo["officer_a"]),
        "assess_initial",
        "submit_plan",
        "return_plan",
        officer=demo["officer_a"],
        chair=demo["chair_a"],
    )

    resubmission = clock(case, clocks.PLAN_RESUBMISSION)
    assert resubmission.met_at is None and resubmission.stopped_at is None
    assert not clock_law.is_fixed_by_law(clocks.PLAN_RESUBMISSION)
    assert clock_law.is_fixed_by_law(clocks.PLAN_SUBMISSION)
    assert "Art. 28" not in str(clocks.LABELS[clocks.PLAN_RESUBMISSION])
    deadline = state_deadline(case, list(Clock.objects.for_object(case).open()))
    assert deadline.label == clocks.LABELS[clocks.PLAN_RESUBMISSION]
    assert deadline.due_at == resubmission.due_at

    resubmitted = advance(case, "submit_plan", officer=demo["officer_a"], chair=demo["chair_a"])
    assert clock(resubmitted, clocks.PLAN_RESUBMISSION).met_at is not None


def test_the_migration_gives_a_returned_plans_old_clocks_their_own_kind(demo):
    """Before 2 December a return or a revision started the law's plan clock again: those
    clocks take the new kind; the report's and an emergency's end keep the law's."""
    migration = importlib.import_module("cases.migrations.0013_returned_plan_clocks")
    officer, chair = demo["officer_a"], demo["chair_a"]
    returned = advance(
        make_case(officer),
        *("assess_initial", "submit_plan", "return_plan", "submit_plan", "approve_plan"),
        *("start_review", "revise_plan"),
        officer=officer,
        chair=chair,
    )
    emergency = advance(
        make_case(officer),
        "declare_emergency",
        "end_emergency",
        officer=officer,
        chair=chair,
    )
    # Reopened: a new report, whose assessment starts the law's clock from the reopening.
    reopened = advance(
        make_case(officer),
        *("dismiss", "reopen", "assess_initial", "submit_plan", "return_plan"),
        officer=officer,
        chair=chair,
    )
    plan_clocks = Clock.objects.filter(kind__in=[clocks.PLAN_SUBMISSION, clocks.PLAN_RESUBMISSION])
    now = {clock.pk: clock.kind for clock in plan_clocks}
    plan_clocks.update(kind=clocks.PLAN_SUBMISSION)  # as the steps left them before

    assert migration.restarted_by_a_return(django_apps) == 3
    assert {clock.pk: clock.kind for clock in plan_clocks} == now

    def kinds(case: Case) -> list[str]:
        return [c.kind for c in plan_clocks.filter(subject_id=case.pk).order_by("started_at", "id")]

    law, again = clocks.PLAN_SUBMISSION, clocks.PLAN_RESUBMISSION
    assert kinds(returned) == [law, again, again]
    assert kinds(reopened) == [law, again]
    assert clock(emergency, clocks.PLAN_SUBMISSION).stopped_at is None
    assert migration.restarted_by_a_return(django_apps) == 0  # run again: nothing more
