"""Races on PostgreSQL: real connections in threads, released together by a barrier."""

import datetime
import threading

from django.db import connection, connections
from django.utils import timezone

from cases import services
from cases.models import Case, CaseCodeSequence, CaseEvent
from core.errors import Conflict, InvalidTransition
from core.models import Unit


def run_together(*calls) -> list:
    """Run each call in its own thread and connection, all released at once; return outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def worker(index: int, call) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # the outcome under test, kept for the assertions
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def new_case(officer) -> Case:
    return services.case_create(
        actor=officer,
        commune=Unit.objects.get(structure="2025", code="14428"),
        received_at=timezone.now() - datetime.timedelta(hours=1),
        channel="phone",
        source="family",
        description="…",
        situation="abused",
        abuse_forms=["physical_violence"],
        setting="family",
        child=services.ChildData(full_name="Lê Thị Hoa", sex="female", estimated_age=8),
    )


def test_two_concurrent_transitions_on_one_case_let_exactly_one_win(committed_demo):
    assert connection.vendor == "postgresql"
    officer = committed_demo["officer_a"]
    case = new_case(officer)

    outcomes = run_together(
        lambda: services.case_assess_initial(
            actor=officer,
            case_id=case.pk,
            harm_level="low",
            immediate_danger=False,
            confirmed="risk",
            safety_measures="Ở nhà bà.",
            findings="a",
        ),
        # Both start only from "received": whichever commits second must be refused.
        lambda: services.case_dismiss(
            actor=officer, case_id=case.pk, reason="unfounded", verification="Đã gặp gia đình."
        ),
    )

    winners = [o for o in outcomes if isinstance(o, Case)]
    losers = [o for o in outcomes if isinstance(o, InvalidTransition | Conflict)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    case.refresh_from_db()
    assert case.status == winners[0].status
    assert CaseEvent.objects.filter(case=case).exclude(action="create").count() == 1
    assert case.initialassessments.count() == (1 if case.status == "assessment" else 0)


def test_many_concurrent_intakes_get_unique_codes(committed_demo):
    assert connection.vendor == "postgresql"
    officer = committed_demo["officer_a"]

    outcomes = run_together(*[lambda: [new_case(officer) for _ in range(5)] for _ in range(8)])

    assert all(isinstance(o, list) for o in outcomes), outcomes
    codes = [case.code for batch in outcomes for case in batch]
    assert len(codes) == len(set(codes)) == 40
    year = timezone.localdate().year
    assert CaseCodeSequence.objects.get(province_code="37", year=year).last == 40
