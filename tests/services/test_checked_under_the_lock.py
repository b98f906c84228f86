"""A step is judged on the case as it is once locked, not as it was read before: a transfer
accepted, or a closure, committed while the step waited for the lock changes the answer (races
found by a probe on 1 December 2026).

`held_open(first, second)`: `first` runs in its own thread and connection and stays uncommitted
(its row locks held); then `second` runs in another thread and connection, reads what was
committed before `first`, and is left to block on a row lock; only once PostgreSQL reports it
waiting on a lock is `first` committed. So `second` checked the state before `first` and acts
after it, whatever the timing.
"""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from access import services as access_services
from access.models import CaseAccess
from cases import services
from cases.choices import Status
from cases.models import Case, CaseEvent, CaseNote, CaseTransfer, SeparationDecision
from core.errors import Forbidden, InvalidTransition, NotFound
from core.models import Unit
from core.staff import province_of
from referrals import services as referral_services
from tests.cases.factories import advance, commune, make_case
from tests.referrals.helpers import refer
from tests.referrals.helpers import staff_of as agency_staff

pytestmark = pytest.mark.django_db(transaction=True)

COMMUNE_B = "14329"
REFUSALS = (Forbidden, NotFound, InvalidTransition)


def waits_on_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def held_open(first, second, *, timeout: float = 20.0) -> tuple:
    """Run `first` and hold its transaction open; run `second` until it waits on a lock (or
    ends); commit `first`; return both outcomes (a value or the exception raised)."""
    assert connection.vendor == "postgresql"
    outcomes: list = [None, None]
    first_done, release, second_pid, second_done = (
        threading.Event(),
        threading.Event(),
        [],
        threading.Event(),
    )

    def run_first() -> None:
        try:
            with transaction.atomic():
                outcomes[0] = first()
                first_done.set()
                release.wait(timeout)
        except Exception as error:  # the outcome under test
            outcomes[0] = error
        finally:
            first_done.set()
            connections.close_all()

    def run_second() -> None:
        try:
            first_done.wait(timeout)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                second_pid.append(cursor.fetchone()[0])
            outcomes[1] = second()
        except Exception as error:  # the outcome under test
            outcomes[1] = error
        finally:
            second_done.set()
            connections.close_all()

    waited: list[bool] = []
    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    threads[0].start()
    assert first_done.wait(timeout)
    assert not isinstance(outcomes[0], Exception), outcomes
    threads[1].start()
    deadline = time.monotonic() + timeout
    while not second_done.is_set() and time.monotonic() < deadline:
        if second_pid and waits_on_lock(second_pid[0]):
            waited.append(True)
            break
        time.sleep(0.02)
    release.set()
    for thread in threads:
        thread.join(timeout)
    # The interleaving was forced: `second` reached a row lock `first` held.
    assert waited, f"the second call never waited on the first one's lock: {outcomes}"
    return tuple(outcomes)


# --- Breaking the glass on a case being closed -------------------------------------------------


def test_break_glass_opens_no_access_on_a_case_closed_meanwhile(committed_demo):
    """The search finds the case open; the dismissal (which ends every access) commits; the
    glass then locks the case and opens a 24-hour access to a closed case. DOMAIN: a closed case
    lets nobody in (access/services.py on_case_step, grant_access)."""
    demo = committed_demo
    case = make_case(demo["officer_a"])

    dismissed, opened = held_open(
        lambda: services.case_dismiss(
            actor=demo["officer_a"], case_id=case.pk, reason="unfounded", verification="Đã gặp."
        ),
        lambda: access_services.break_glass(
            actor=demo["hospital"],
            code=case.code,
            reason="medical_emergency",
            explanation="Trẻ nhập viện cấp cứu lúc 2 giờ.",
        ),
    )

    assert isinstance(dismissed, Case), dismissed
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    live = [a.pk for a in CaseAccess.objects.filter(case=case) if a.is_live()]
    assert live == [], (opened, live)


# --- The old commune and a case the new commune has just accepted --------------------------


def offered_case(demo) -> tuple[Case, CaseTransfer]:
    case = make_case(demo["officer_a"], abuse_forms=("other",))
    transfer = services.case_transfer_request(
        actor=demo["officer_a"], case_id=case.pk, to_commune=commune(COMMUNE_B), reason="Chuyển."
    )
    return case, transfer


def old_commune_note(demo, case):
    return services.case_add_note(actor=demo["officer_a"], case_id=case.pk, text="Ghi chú.")


def old_commune_correction(demo, case):
    return services.case_correct(
        actor=demo["officer_a"], case_id=case.pk, changes={"report_number": "99/XA"}
    )


def old_commune_grant(demo, case):
    return access_services.grant_access(
        actor=demo["officer_a"],
        case_id=case.pk,
        user_id=demo["hospital"].pk,
        sections=["child"],
        may_add_notes=False,
        days=30,
        explanation="Theo dõi sức khỏe.",
    )


def old_commune_transfer(demo, case):
    # The old commune's officer offers the case, now commune B's, on to a third commune.
    third = (
        Unit.objects.valid_on(timezone.localdate())
        .filter(level="commune", path__startswith=province_of(case.unit_path))
        .exclude(code__in=["14428", COMMUNE_B])
        .earliest("path")
    )
    return services.case_transfer_request(
        actor=demo["officer_a"], case_id=case.pk, to_commune=third, reason="Chuyển tiếp."
    )


OLD_COMMUNE_STEPS = {
    "add_note": old_commune_note,
    "correct": old_commune_correction,
    "grant_access": old_commune_grant,
    "transfer_request": old_commune_transfer,
}


@pytest.mark.parametrize("step", list(OLD_COMMUNE_STEPS))
def test_the_old_commune_cannot_act_on_a_case_accepted_by_another_meanwhile(committed_demo, step):
    """The old commune's officer is checked against the case before it moves; the transfer's
    acceptance commits; the step then locks the case and writes to commune B's case as if the
    officer still had it (no re-check of the actor's scope under the lock)."""
    demo = committed_demo
    case, transfer = offered_case(demo)
    events_before = CaseEvent.objects.filter(case=case, actor=demo["officer_a"]).count()

    accepted, acted = held_open(
        lambda: services.case_transfer_decide(
            actor=demo["officer_b"], transfer_id=transfer.pk, accept=True
        ),
        lambda: OLD_COMMUNE_STEPS[step](demo, case),
    )

    assert isinstance(accepted, CaseTransfer), accepted
    case.refresh_from_db()
    assert case.commune.code == COMMUNE_B
    assert isinstance(acted, REFUSALS), f"commune A's officer acted on commune B's case: {acted!r}"
    assert CaseEvent.objects.filter(case=case, actor=demo["officer_a"]).count() == events_before
    assert not CaseNote.objects.filter(case=case, author=demo["officer_a"]).exists()


def test_the_old_chair_cannot_decide_a_separation_of_a_case_accepted_meanwhile(committed_demo):
    """As above through `locked_case`: commune A's chair decides (Form 07) on a separation of a
    case commune B has just taken over."""
    demo = committed_demo
    case = advance(
        make_case(demo["officer_a"], abuse_forms=("other",)),
        "propose_separation",
        officer=demo["officer_a"],
        chair=demo["chair_a"],
    )
    decision = SeparationDecision.objects.get(case=case, outcome="pending")
    transfer = services.case_transfer_request(
        actor=demo["officer_a"], case_id=case.pk, to_commune=commune(COMMUNE_B), reason="Chuyển."
    )

    accepted, decided = held_open(
        lambda: services.case_transfer_decide(
            actor=demo["officer_b"], transfer_id=transfer.pk, accept=True
        ),
        lambda: services.separation_decide(
            actor=demo["chair_a"],
            decision_id=decision.pk,
            approve=True,
            period_days=10,
            placement="Nhà bà ngoại",
            decision_number="07/QĐ",
        ),
    )

    assert isinstance(accepted, CaseTransfer), accepted
    case.refresh_from_db()
    assert case.commune.code == COMMUNE_B
    assert isinstance(decided, REFUSALS), f"commune A's chair decided: {decided!r}"
    decision.refresh_from_db()
    assert decision.outcome == SeparationDecision.Outcome.PENDING


# --- A referral's step and a case's step on the same case ----------------------------------------


def test_a_referral_step_and_a_case_step_do_not_deadlock(committed_demo):
    """The referral's step once took the audit chain's lock before the case's row, the case's
    step the other way round: the case's step waited for the chain, and the referral's commit,
    checking its history row's case, waited for the case: PostgreSQL killed one. Both now take
    the case first, so the second waits for the first and then goes on."""
    demo = committed_demo
    case = make_case(demo["officer_a"])
    referral = refer(demo, case, "medical_care")

    accepted, corrected = held_open(
        lambda: referral_services.referral_accept(
            actor=agency_staff(demo, "medical_care"), referral_id=referral.pk
        ),
        lambda: services.case_correct(
            actor=demo["officer_a"], case_id=case.pk, changes={"report_number": "12/BC"}
        ),
    )

    assert not isinstance(accepted, Exception), accepted
    assert not isinstance(corrected, Exception), corrected
    case.refresh_from_db()
    assert case.report_number == "12/BC"
