"""The overdue filter of the lists and homes finds a reader's overdue rows from the clocks under
its units (core.deadlines.overdue): it must answer what the per-row test answers
(`is_overdue`, the earliest open deadline passed), for every reader, including after a case
moves to another commune, for a case offered to a commune, and for an agency's referrals."""

import datetime

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case
from cases.panels import overdue_cases
from cases.selectors import case_list
from core.deadlines import with_next_deadline
from core.models import Clock, Role
from core.scope import scope_for
from referrals.selectors import referral_list
from reports.panels import key_figures
from tests.cases.factories import commune, make_case
from tests.referrals.helpers import refer, sexual_abuse_case


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def overdue_now(*records) -> None:
    """Their open deadlines passed an hour ago (their unit paths untouched)."""
    for record in records:
        Clock.objects.for_object(record).open().update(due_at=hours_ago(1))


@pytest.fixture
def world(demo):
    officer_a, officer_b = demo["officer_a"], demo["officer_b"]
    late = make_case(officer_a, received_at=hours_ago(20))  # its 12 hours have passed
    make_case(officer_a)  # not yet late
    make_case(officer_b, commune_code="14329", received_at=hours_ago(30))
    # Late, then moved to commune B: its clocks' path moves with it.
    moved = make_case(officer_a, received_at=hours_ago(20))
    transfer = services.case_transfer_request(
        actor=officer_a, case_id=moved.pk, to_commune=commune("14329"), reason="Trẻ chuyển nhà."
    )
    services.case_transfer_decide(actor=officer_b, transfer_id=transfer.pk, accept=True)
    # Late and offered to commune B, still A's: B's officer reads it through the offer.
    offered = make_case(officer_a, received_at=hours_ago(20))
    services.case_transfer_request(
        actor=officer_a, case_id=offered.pk, to_commune=commune("14329"), reason="Trẻ chuyển nhà."
    )
    # Late, recorded by the hotline: it reads its own report until the commune takes it over.
    hotline_report = make_case(demo["hotline"], received_at=hours_ago(20))
    # Referrals: one late to accept, one not, the agencies reading them as their inbox.
    case = sexual_abuse_case(demo)
    late_referral = refer(demo, case, "police_report")
    refer(demo, case, "legal_aid")
    overdue_now(late_referral)
    return {
        "late": late,
        "moved": moved,
        "offered": offered,
        "hotline_report": hotline_report,
        "late_referral": late_referral,
    }


def per_row(rows) -> tuple[set[int], set[int]]:
    """The ids the per-row flag calls overdue, and those it calls not overdue."""
    rows = list(rows)
    return {r.pk for r in rows if r.is_overdue is True}, {
        r.pk for r in rows if r.is_overdue is False
    }


@pytest.mark.parametrize(
    "username",
    [
        "officer_a",
        "officer_b",
        "chair_a",
        "province",
        "police",
        "legalaid",
        "hotline",
        "manager",
        "inspector",
    ],
)
def test_the_overdue_filter_answers_what_the_per_row_test_answers(world, demo, username):
    user = demo[username]

    late, on_time = per_row(case_list(user))
    assert {c.pk for c in case_list(user, overdue=True)} == late
    assert {c.pk for c in case_list(user, overdue=False)} == on_time
    late, on_time = per_row(referral_list(user))
    assert {r.pk for r in referral_list(user, overdue=True)} == late
    assert {r.pk for r in referral_list(user, overdue=False)} == on_time


def test_the_readers_see_the_late_rows_the_world_was_built_with(world, demo):
    def overdue(username: str) -> set[int]:
        return {c.pk for c in case_list(demo[username], overdue=True)}

    assert world["late"].pk in overdue("officer_a") and world["moved"].pk not in overdue(
        "officer_a"
    )
    assert world["moved"].pk in overdue("officer_b") and world["offered"].pk in overdue("officer_b")
    assert {world["late"].pk, world["moved"].pk, world["offered"].pk} <= overdue("province")
    assert overdue("hotline") == {world["hotline_report"].pk}
    police = {r.pk for r in referral_list(demo["police"], overdue=True)}
    assert police == {world["late_referral"].pk}


def test_the_homes_count_the_overdue_cases_as_the_lists_do(world, demo):
    province = demo["province"]
    assert {c.pk for c in overdue_cases(province, Role.PROVINCIAL_OFFICER)} == {
        c.pk for c in case_list(province, overdue=True) if c.status != "closed"
    }
    manager = scope_for(demo["manager"])
    figures = key_figures(manager, timezone.localdate().year)
    cases = with_next_deadline(Case.objects.filter(manager.units_q("unit_path", Role.MANAGER)))
    assert figures["overdue"] == cases.filter(is_overdue=True).exclude(status="closed").count() == 5
