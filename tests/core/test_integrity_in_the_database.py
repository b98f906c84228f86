"""The rules the services keep, kept by the database too: a row written some other way (a script,
the shell, a bug in a later service) that breaks one is refused, and the reports never count it.

Each test starts from records made through the services, then writes around them as such a writer
would, with `update()`; each refusal runs in its own savepoint, so the test can go on after it.
"""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case
from core.clocks import meet_clocks, start_clock
from core.models import Clock
from inspections.models import Inspection, Recommendation
from referrals.models import Referral
from tests.cases.factories import make_case
from tests.inspections.factories import late_recommendation, plan_inspection
from tests.referrals.helpers import refer, sexual_abuse_case

pytestmark = pytest.mark.django_db


def unique_broken(error: pytest.ExceptionInfo, rule: str, columns: str) -> bool:
    """PostgreSQL names the unique index that refused a row, SQLite its columns."""
    message = str(error.value)
    return rule in message or f"UNIQUE constraint failed: {columns}" in message


def refused(queryset, **values) -> str:
    """The name of the rule that refused `update(**values)`; nothing is written."""
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        queryset.update(**values)
    return str(error.value)


def test_a_case_has_a_known_state_and_is_closed_with_its_ending(demo):
    case = make_case(demo["officer_a"])
    rows = Case.objects.filter(pk=case.pk)
    now = timezone.now()

    assert "case_status_known" in refused(rows, status="archived")
    # Closed: when, and why (closure or dismissal, not both); open: neither.
    assert "case_closed_with_its_ending" in refused(rows, status="closed")
    assert "case_closed_with_its_ending" in refused(rows, status="closed", closed_at=now)
    assert "case_closed_with_its_ending" in refused(
        rows, status="closed", closed_at=now, closure_reason="goals_met", dismiss_reason="other"
    )
    assert "case_closed_with_its_ending" in refused(rows, closed_at=now)
    assert "case_closed_with_its_ending" in refused(rows, closure_reason="goals_met")

    assert rows.update(status="closed", closed_at=now, closure_reason="goals_met") == 1
    assert rows.update(closure_reason="", dismiss_reason="unfounded") == 1
    assert rows.update(status="received", closed_at=None, dismiss_reason="") == 1


def test_a_referral_ends_with_its_date_and_reason(demo):
    referral = refer(demo, sexual_abuse_case(demo), "police_report")
    rows = Referral.objects.filter(pk=referral.pk)
    now = timezone.now()

    assert "referral_status_known" in refused(rows, status="lost")
    assert "referral_declined_with_its_reason" in refused(rows, status="declined")
    assert "referral_declined_with_its_reason" in refused(rows, status="declined", declined_at=now)
    assert "referral_completed_when" in refused(rows, status="completed")
    assert "referral_cancelled_when" in refused(rows, status="cancelled")
    assert "referral_waived_with_its_reason" in refused(rows, status="waived", waived_at=now)

    assert rows.update(status="declined", declined_at=now, decline_reason="Ngoài thẩm quyền.") == 1
    assert rows.update(status="waived", waived_at=now, waive_reason="Đã có nơi khác.") == 1
    assert rows.update(status="completed", completed_at=now) == 1
    assert rows.update(status="cancelled", cancelled_at=now) == 1


def test_one_agency_at_a_time_works_on_a_service_for_a_child(demo):
    case = sexual_abuse_case(demo)
    first = refer(demo, case, "police_report")
    again = Referral.objects.filter(pk=first.pk).values().get()
    del again["id"]

    # A second live referral of the service, written around referral_create's check.
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        Referral.objects.create(**again)
    assert unique_broken(
        error,
        "referral_one_live_per_service",
        "referrals_referral.case_id, referrals_referral.service",
    )

    # Once the first has ended, the service may be sent again.
    Referral.objects.filter(pk=first.pk).update(
        status="declined", declined_at=timezone.now(), decline_reason="Ngoài thẩm quyền."
    )
    assert Referral.objects.create(**again).status == "pending"


def test_a_recommendation_is_resolved_with_its_evidence_or_reason(demo):
    recommendation = late_recommendation(demo)
    rows = Recommendation.objects.filter(pk=recommendation.pk)
    now = timezone.now()

    assert "recommendation_status_known" in refused(rows, status="late")
    assert "recommendation_done_with_its_evidence" in refused(rows, status="done", closed_at=now)
    assert "recommendation_done_with_its_evidence" in refused(
        rows, status="done", evidence="Biên bản số 3."
    )
    assert "recommendation_waived_with_its_reason" in refused(rows, status="waived", closed_at=now)

    assert rows.update(status="done", evidence="Biên bản số 3.", closed_at=now) == 1


def test_an_inspection_has_a_known_state(demo):
    inspection = plan_inspection(demo)
    rows = Inspection.objects.filter(pk=inspection.pk)

    assert "inspection_status_known" in refused(rows, status="postponed")


def test_a_deadline_runs_once_at_a_time_for_its_record(demo):
    case = make_case(demo["officer_a"])
    (running,) = Clock.objects.for_object(case).open()

    # A second clock of the same deadline on the same case, started around the services.
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        start_clock(kind=running.kind, subject=case, unit_path=case.unit_path)
    assert unique_broken(
        error,
        "clock_one_open_per_subject",
        "core_clock.subject_type_id, core_clock.subject_id, core_clock.kind",
    )

    # Once it is met, the same deadline may run again (a reopened case's fresh Form 02).
    meet_clocks(subject=case, kinds=[running.kind])
    again = start_clock(
        kind=running.kind,
        subject=case,
        unit_path=case.unit_path,
        start=timezone.now() + datetime.timedelta(minutes=1),
    )
    assert list(Clock.objects.for_object(case).open()) == [again]
