"""The police's settlement of a crime report (DOMAIN §6, Criminal Procedure Code 2015 Art.
147-149): the 20 days count from when the investigating body received the report, the
extensions are measured from it (the second is the procuracy's, with its decision's number and
date), and a suspension keeps the referral open with a reminder to resume."""

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.errors import Forbidden, InvalidTransition, NotFound
from core.models import Clock
from core.working_days import (
    days_deadline,
    display_due,
    end_of_day,
    local_date,
    working_day_on_or_after,
)
from notifications.models import Notification
from referrals import clocks, services
from referrals.models import Referral
from tests.referrals.helpers import outcome, refer, sexual_abuse_case

POLICE = clocks.complete_kind("police_report")
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DAYS_20 = datetime.timedelta(days=20)


def twenty_days(received: datetime.datetime) -> datetime.datetime:
    """Art. 147(1): 24:00 of the 20th day after the receipt (moved past a day off, Art. 134)."""
    return days_deadline(received, 20)


def two_months_after(day: datetime.date) -> datetime.datetime:
    """24:00 of the same day two months later, or of the next working day (Art. 134)."""
    return end_of_day(working_day_on_or_after(day + relativedelta(months=2)))


@pytest.fixture
def case_received(demo):
    """A case whose report reached the commune 15 days ago: the police may have had it since."""
    return sexual_abuse_case(demo, received_at=timezone.now() - datetime.timedelta(days=15))


@pytest.fixture
def referral(demo, case_received) -> Referral:
    return refer(demo, case_received, "police_report")


def settlement_clock(referral: Referral) -> Clock:
    return Clock.objects.for_object(referral).get(kind=POLICE)


def resume_clock(referral: Referral) -> Clock:
    return Clock.objects.for_object(referral).get(kind=clocks.RESUME_KIND)


def step(api, referral: Referral, name: str, body: dict[str, Any] | None = None):
    return api.post(
        f"/api/v1/referrals/{referral.pk}/transitions/{name}/",
        body or {},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def iso(moment: datetime.datetime | datetime.date) -> str:
    return moment.isoformat()


# --- The receipt --------------------------------------------------------------------------------


def test_the_clock_counts_from_the_receipt_the_police_enter(demo, api_as, referral, case_received):
    received = case_received.received_at + datetime.timedelta(days=5)
    response = step(api_as("police"), referral, "accept", {"report_received_at": iso(received)})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert datetime.datetime.fromisoformat(body["report_received_at"]) == received
    clock = settlement_clock(referral)
    # From the receipt, ten days ago, not from the acceptance now.
    assert (clock.started_at, clock.due_at) == (received, twenty_days(received))
    assert datetime.datetime.fromisoformat(body["next_due_at"]) == twenty_days(received)


def test_without_a_receipt_the_clock_counts_from_the_acceptance(demo, referral):
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    referral.refresh_from_db()
    assert referral.report_received_at == referral.accepted_at
    assert settlement_clock(referral).due_at == twenty_days(referral.accepted_at)


@pytest.mark.parametrize(
    "when",
    [
        lambda case: timezone.now() + datetime.timedelta(hours=1),
        lambda case: case.received_at - datetime.timedelta(minutes=1),
    ],
    ids=["in the future", "before the case's report"],
)
def test_a_receipt_in_the_future_or_before_the_case_is_refused(
    demo, api_as, referral, case_received, when
):
    response = step(
        api_as("police"), referral, "accept", {"report_received_at": iso(when(case_received))}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"report_received_at"}
    referral.refresh_from_db()
    assert (referral.status, referral.report_received_at) == ("pending", None)
    assert not Clock.objects.for_object(referral).filter(kind=POLICE).exists()


def test_only_the_police_enter_a_receipt(demo, api_as, case_received):
    medical = refer(demo, case_received, "medical_care")
    response = step(
        api_as("hospital"), medical, "accept", {"report_received_at": iso(timezone.now())}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"report_received_at"}
    assert step(api_as("hospital"), medical, "accept").status_code == 200


def test_correcting_the_receipt_reschedules_and_the_history_keeps_the_old_one(
    demo, api_as, referral, case_received
):
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    referral.refresh_from_db()
    accepted = referral.accepted_at
    assert accepted is not None
    corrected = case_received.received_at + datetime.timedelta(days=2)
    response = step(
        api_as("police"), referral, "correct_receipt", {"report_received_at": iso(corrected)}
    )
    assert response.status_code == 200, response.json()
    clock = settlement_clock(referral)
    assert (clock.started_at, clock.due_at) == (corrected, twenty_days(corrected))
    row = case_received.events.get(action="referral_receipt_corrected")
    assert datetime.datetime.fromisoformat(row.details["previous"]) == accepted
    assert datetime.datetime.fromisoformat(row.details["report_received_at"]) == corrected
    # The same time again is no correction.
    again = step(
        api_as("police"), referral, "correct_receipt", {"report_received_at": iso(corrected)}
    )
    assert again.status_code == 400


def test_a_correction_after_an_extension_moves_the_extended_limit_with_the_receipt(
    demo, referral, case_received
):
    received = case_received.received_at + datetime.timedelta(days=1)
    services.referral_accept(
        actor=demo["police"], referral_id=referral.pk, report_received_at=received
    )
    extended = received + datetime.timedelta(days=45)
    services.referral_extend(
        actor=demo["police"], referral_id=referral.pk, due_at=extended, reason="Phức tạp"
    )
    later = received + datetime.timedelta(days=3)
    services.referral_correct_receipt(
        actor=demo["police"], referral_id=referral.pk, report_received_at=later
    )
    # Three days later, at 24:00 of a working day (Criminal Procedure Code 2015 Art. 134).
    last_day = timezone.localdate(extended) + datetime.timedelta(days=3)
    assert settlement_clock(referral).due_at == end_of_day(working_day_on_or_after(last_day))


def test_a_correction_after_an_extension_ends_at_24_00_of_a_working_day_within_2_months(demo):
    """Received 30/11/2026 18:56, extended to 31/12/2026 24:00, the receipt corrected to
    01/12/2026 00:26: the limit moves a day, to 01/01/2027, a holiday before a weekend, so to
    24:00 of Monday 04/01/2027. Before, it moved by the exact difference: 05:30 on New Year's
    Day."""
    received = datetime.datetime(2026, 11, 30, 18, 56, tzinfo=VIETNAM)
    with time_machine.travel(received + datetime.timedelta(hours=1)):
        case = sexual_abuse_case(demo, received_at=received - datetime.timedelta(hours=2))
        referral = refer(demo, case, "police_report")
        services.referral_accept(
            actor=demo["police"], referral_id=referral.pk, report_received_at=received
        )
        services.referral_extend(
            actor=demo["police"],
            referral_id=referral.pk,
            due_at=datetime.datetime(2027, 1, 1, tzinfo=VIETNAM),
            reason="Phức tạp",
        )
    corrected = datetime.datetime(2026, 12, 1, 0, 26, tzinfo=VIETNAM)
    with time_machine.travel(corrected + datetime.timedelta(hours=9)):
        services.referral_correct_receipt(
            actor=demo["police"], referral_id=referral.pk, report_received_at=corrected
        )
    assert settlement_clock(referral).due_at == datetime.datetime(2027, 1, 5, tzinfo=VIETNAM)


def test_the_outcome_keeps_the_receipt_and_a_different_one_moves_the_clock_first(
    demo, referral, case_received
):
    received = case_received.received_at + datetime.timedelta(days=1)
    services.referral_accept(
        actor=demo["police"], referral_id=referral.pk, report_received_at=received
    )
    # Received 14 days ago: due in 6 days. Corrected at completion to 15 days ago + 1 minute…
    earlier = case_received.received_at + datetime.timedelta(minutes=1)
    services.referral_complete(
        actor=demo["police"],
        referral_id=referral.pk,
        outcome=outcome("police_report") | {"report_received_at": earlier},
    )
    referral.refresh_from_db()
    assert referral.report_received_at == referral.outcome.report_received_at == earlier
    clock = settlement_clock(referral)
    assert clock.due_at == twenty_days(earlier) and clock.met_at is not None


# --- Extensions ---------------------------------------------------------------------------------


def test_the_extension_limits_are_measured_from_the_receipt(demo, api_as, referral, case_received):
    received = case_received.received_at + datetime.timedelta(hours=1)
    services.referral_accept(
        actor=demo["police"], referral_id=referral.pk, report_received_at=received
    )
    police = api_as("police")
    # 24:00 of the day two months after the receipt (a day off moves it to the next working day).
    two_months = two_months_after(local_date(received))
    # Two months from the acceptance would be allowed if it counted from there: it does not.
    too_far = step(
        police,
        referral,
        "extend",
        {"due_at": iso(two_months + datetime.timedelta(hours=1)), "reason": "Phức tạp"},
    )
    assert too_far.status_code == 400
    assert set(too_far.json()) == {"due_at"}
    first = step(police, referral, "extend", {"due_at": iso(two_months), "reason": "Phức tạp"})
    assert first.status_code == 200, first.json()
    assert settlement_clock(referral).due_at == two_months

    # The procuracy's: at most two more months, with its decision's number and date.
    procuracy = {
        "reason": "Chưa có kết luận giám định",
        "procuracy_decision_number": "15/QĐ-VKS",
        "procuracy_decision_date": iso(timezone.localdate()),
    }
    four_months = two_months_after(local_date(two_months - datetime.timedelta(microseconds=1)))
    beyond = four_months + datetime.timedelta(minutes=1)
    assert step(police, referral, "extend", {"due_at": iso(beyond)} | procuracy).status_code == 400
    second = step(police, referral, "extend", {"due_at": iso(four_months)} | procuracy)
    assert second.status_code == 200, second.json()
    assert settlement_clock(referral).due_at == four_months
    history = second.json()["extension_history"]
    assert [(e["number"], e["by_procuracy"], e["procuracy_decision_number"]) for e in history] == [
        (1, False, ""),
        (2, True, "15/QĐ-VKS"),
    ]
    assert history[1]["procuracy_decision_date"] == iso(timezone.localdate())

    # A third is refused by the table: 409, and the clock stays.
    third = step(police, referral, "extend", {"due_at": iso(four_months + DAYS_20)} | procuracy)
    assert third.status_code == 409
    assert third.json()["detail"] == "The time limit has already been extended twice."
    assert settlement_clock(referral).due_at == four_months


def test_the_procuracys_extension_needs_its_decisions_number_and_date(demo, api_as, referral):
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    referral.refresh_from_db()
    assert referral.accepted_at is not None
    first_due = referral.accepted_at + datetime.timedelta(days=40)
    police = api_as("police")
    # The first is the investigating body's own: a procuracy decision on it is refused.
    wrong = step(
        police,
        referral,
        "extend",
        {"due_at": iso(first_due), "reason": "R", "procuracy_decision_number": "1/QĐ-VKS"},
    )
    assert wrong.status_code == 400 and set(wrong.json()) == {"procuracy_decision_number"}
    assert (
        step(police, referral, "extend", {"due_at": iso(first_due), "reason": "R"}).status_code
        == 200
    )

    second = {"due_at": iso(first_due + datetime.timedelta(days=30)), "reason": "VKS gia hạn"}
    missing = step(police, referral, "extend", second)
    assert missing.status_code == 400
    assert set(missing.json()) == {"procuracy_decision_number", "procuracy_decision_date"}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    future = step(
        police,
        referral,
        "extend",
        second
        | {"procuracy_decision_number": "2/QĐ-VKS", "procuracy_decision_date": iso(tomorrow)},
    )
    assert future.status_code == 400 and set(future.json()) == {"procuracy_decision_date"}
    referral.refresh_from_db()
    assert referral.extensions == 1
    assert referral.extension_records.count() == 1


# --- Suspension ---------------------------------------------------------------------------------


def test_a_suspended_decision_is_not_an_outcome(demo, api_as, referral):
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    response = step(
        api_as("police"),
        referral,
        "complete",
        outcome("police_report")
        | {"police_decision": "suspended", "decision_date": iso(timezone.localdate())},
    )
    assert response.status_code == 400
    assert set(response.json()) == {"police_decision"}
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_a_suspension_keeps_the_referral_open_with_a_reminder_then_a_decision_completes_it(
    demo, api_as, referral, case_received
):
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    police = api_as("police")
    today = timezone.localdate()
    response = step(
        police,
        referral,
        "record_suspension",
        {"suspended_on": iso(today), "reason": "Chờ kết luận giám định"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["is_suspended"], body["suspended_on"]) == (
        "accepted",
        True,
        iso(today),
    )
    resume = resume_clock(referral)
    assert resume.is_open
    assert resume.due_at == days_deadline(resume.started_at, 30)
    assert datetime.datetime.fromisoformat(body["resume_due_at"]) == resume.due_at
    # A suspension is one of the decisions the 20 days call for (Art. 147(1)(c)): in time.
    settlement = settlement_clock(referral)
    assert (settlement.met_at is not None, settlement.stopped_at) == (True, None)
    # The commune hears of it; the case cannot close on it.
    assert Notification.objects.filter(
        event="referral_suspended", recipient=demo["officer_a"]
    ).exists()
    assert "police_report" in services.unresolved_required_services(case_received)

    # Suspended: no second suspension, no extension, no correction (409).
    for name, payload in (
        ("record_suspension", {"suspended_on": iso(today), "reason": "x"}),
        ("extend", {"due_at": iso(timezone.now() + DAYS_20), "reason": "x"}),
        ("correct_receipt", {"report_received_at": iso(case_received.received_at)}),
    ):
        refused = step(police, referral, name, payload)
        assert refused.status_code == 409, name
        assert refused.json()["detail"] == "The settlement of the crime report is suspended.", name

    done = step(
        police, referral, "complete", outcome("police_report") | {"decision_date": iso(today)}
    )
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "completed"
    assert done.json()["suspended_on"] == iso(today)  # the suspension stays on the record
    assert resume_clock(referral).met_at is not None
    assert "police_report" not in services.unresolved_required_services(case_received)


def resumed_clock(referral: Referral) -> Clock:
    return Clock.objects.for_object(referral).get(kind=clocks.RESUMED_KIND)


def test_a_resumed_settlement_has_a_month_from_the_decision_to_resume(
    demo, api_as, referral, case_received
):
    """Criminal Procedure Code 2015 Art. 149(1): resumed, the police decide within one month of
    the decision to resume, a limit of the law; the 20 days are spent and not extended."""
    received = case_received.received_at + datetime.timedelta(days=1)
    services.referral_accept(
        actor=demo["police"], referral_id=referral.pk, report_received_at=received
    )
    today = timezone.localdate()
    services.referral_record_suspension(
        actor=demo["police"],
        referral_id=referral.pk,
        suspended_on=today - datetime.timedelta(days=10),
        reason="Chờ kết luận giám định.",
    )
    police = api_as("police")
    resume = {"resumed_on": iso(today - datetime.timedelta(days=2)), "reason": "Đã có kết luận."}

    # The wrong input, role, scope, service: nothing changes.
    too_early = resume | {"resumed_on": iso(today - datetime.timedelta(days=11))}
    assert set(step(police, referral, "record_resumption", too_early).json()) == {"resumed_on"}
    tomorrow = resume | {"resumed_on": iso(today + datetime.timedelta(days=1))}
    assert step(police, referral, "record_resumption", tomorrow).status_code == 400
    no_reason = resume | {"reason": " "}
    assert set(step(police, referral, "record_resumption", no_reason).json()) == {"reason"}
    assert step(api_as("officer_a"), referral, "record_resumption", resume).status_code == 403
    assert step(api_as("officer_b"), referral, "record_resumption", resume).status_code == 404
    referral.refresh_from_db()
    assert (referral.is_suspended, referral.resumed_on) == (True, None)

    response = step(police, referral, "record_resumption", resume)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["is_suspended"], body["resumed_on"]) == (False, resume["resumed_on"])
    month = resumed_clock(referral)
    decided = today - datetime.timedelta(days=2)
    a_month_on = end_of_day(working_day_on_or_after(decided + relativedelta(months=1)))
    assert month.is_open and month.due_at == a_month_on
    assert resume_clock(referral).met_at is not None  # the reminder to resume is done
    assert Notification.objects.filter(
        event="referral_resumed", recipient=demo["officer_a"]
    ).exists()
    # Resumed: not resumed twice, and the 20 days are neither extended nor moved (409).
    for name, payload in (
        ("record_resumption", resume),
        ("extend", {"due_at": iso(timezone.now() + DAYS_20), "reason": "x"}),
        ("correct_receipt", {"report_received_at": iso(case_received.received_at)}),
    ):
        refused = step(police, referral, name, payload)
        assert refused.status_code == 409, (name, refused.json())

    services.referral_complete(
        actor=demo["police"], referral_id=referral.pk, outcome=outcome("police_report")
    )
    month.refresh_from_db()
    assert month.met_at is not None
    assert not Clock.objects.for_object(referral).open().exists()


def test_a_second_suspension_within_the_month_is_its_decision(demo, referral, case_received):
    services.referral_accept(
        actor=demo["police"],
        referral_id=referral.pk,
        report_received_at=case_received.received_at + datetime.timedelta(days=1),
    )
    today = timezone.localdate()
    for day, step_name in ((10, "suspend"), (5, "resume"), (1, "suspend")):
        on = today - datetime.timedelta(days=day)
        if step_name == "suspend":
            services.referral_record_suspension(
                actor=demo["police"], referral_id=referral.pk, suspended_on=on, reason="Chờ."
            )
        else:
            services.referral_record_resumption(
                actor=demo["police"], referral_id=referral.pk, resumed_on=on, reason="Tiếp."
            )
    referral.refresh_from_db()
    assert (referral.is_suspended, referral.resumed_on) == (True, None)
    month = resumed_clock(referral)
    assert (month.met_at is not None, month.stopped_at) == (True, None)


def test_the_suspension_steps_refusal_order(demo, api_as, referral, case_received):
    police = api_as("police")
    body = {"suspended_on": iso(timezone.localdate()), "reason": "Chờ giám định"}
    # Pending: not possible yet (409) whatever the body.
    assert step(police, referral, "record_suspension", {}).status_code == 409
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    # Not the police: the commune's officer 403, another agency or commune 404.
    assert step(api_as("officer_a"), referral, "record_suspension", body).status_code == 403
    assert step(api_as("hospital"), referral, "record_suspension", body).status_code == 404
    assert step(api_as("officer_b"), referral, "correct_receipt", {}).status_code == 404
    assert step(api_as("officer_a"), referral, "correct_receipt", {}).status_code == 403
    # The police with a bad body: 400 naming each field.
    bad = step(police, referral, "record_suspension", {"suspended_on": "soon", "reason": ""})
    assert bad.status_code == 400 and set(bad.json()) == {"suspended_on", "reason"}
    before_receipt = step(
        police,
        referral,
        "record_suspension",
        {
            "suspended_on": iso(
                timezone.localdate(case_received.received_at) - datetime.timedelta(days=30)
            ),
            "reason": "x",
        },
    )
    assert before_receipt.status_code == 400 and set(before_receipt.json()) == {"suspended_on"}
    referral.refresh_from_db()
    assert referral.suspended_on is None


def test_only_a_police_referral_has_the_police_steps(demo, case_received):
    medical = refer(demo, case_received, "medical_care")
    services.referral_accept(actor=demo["hospital"], referral_id=medical.pk)
    with pytest.raises(InvalidTransition):
        services.referral_record_suspension(
            actor=demo["hospital"],
            referral_id=medical.pk,
            suspended_on=timezone.localdate(),
            reason="x",
        )
    with pytest.raises(InvalidTransition):
        services.referral_correct_receipt(
            actor=demo["hospital"], referral_id=medical.pk, report_received_at=timezone.now()
        )
    with pytest.raises(Forbidden):
        services.referral_record_suspension(
            actor=demo["officer_a"],
            referral_id=medical.pk,
            suspended_on=timezone.localdate(),
            reason="x",
        )
    with pytest.raises(NotFound):
        services.referral_correct_receipt(
            actor=demo["police"], referral_id=medical.pk, report_received_at=timezone.now()
        )
    with pytest.raises(ValidationError):
        services.referral_complete(
            actor=demo["hospital"],
            referral_id=medical.pk,
            outcome=outcome("medical_care") | {"report_received_at": timezone.now()},
        )


# --- Shown ----------------------------------------------------------------------------------------


def test_the_pages_show_the_receipt_extensions_suspension_and_resume_deadline(
    client, demo, referral, case_received
):
    received = case_received.received_at + datetime.timedelta(days=1)
    services.referral_accept(
        actor=demo["police"], referral_id=referral.pk, report_received_at=received
    )
    services.referral_extend(
        actor=demo["police"],
        referral_id=referral.pk,
        due_at=received + datetime.timedelta(days=40),
        reason="R",
    )
    services.referral_extend(
        actor=demo["police"],
        referral_id=referral.pk,
        due_at=received + datetime.timedelta(days=70),
        reason="VKS",
        procuracy_decision_number="21/QĐ-VKS",
        procuracy_decision_date=timezone.localdate(),
    )
    client.force_login(demo["police"])
    html = client.get(f"/referrals/{referral.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="report-received-at"' in html
    assert timezone.localtime(received).strftime("%d/%m/%Y %H:%M") in html
    assert "21/QĐ-VKS" in html and 'data-number="2"' in html
    assert 'id="suspension-form"' in html and 'id="correct-receipt-form"' in html

    services.referral_record_suspension(
        actor=demo["police"],
        referral_id=referral.pk,
        suspended_on=timezone.localdate(),
        reason="Chờ giám định",
    )
    html = client.get(f"/referrals/{referral.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    due = display_due(resume_clock(referral).due_at)  # "dd/mm/YYYY 24:00" on its last day
    assert 'id="suspended-on"' in html and "Chờ giám định" in html
    assert 'id="resume-due-at"' in html and due in html
    assert 'id="suspension-form"' not in html

    client.force_login(demo["officer_a"])
    page = client.get(f"/cases/{case_received.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-police-status="suspended"' in page
    assert due in page  # the referral's next deadline is the reminder to resume


def test_the_suspension_and_the_receipt_through_the_forms(client, demo, referral, case_received):
    client.force_login(demo["police"])
    received = timezone.localtime(case_received.received_at + datetime.timedelta(hours=3))
    accepted = client.post(
        f"/referrals/{referral.pk}/accept/",
        {"accept-report_received_at": received.strftime("%Y-%m-%dT%H:%M")},
    )
    assert accepted.status_code == 302
    referral.refresh_from_db()
    assert referral.report_received_at == received.replace(second=0, microsecond=0)
    suspended = client.post(
        f"/referrals/{referral.pk}/record_suspension/",
        {"suspension-suspended_on": timezone.localdate().isoformat(), "suspension-reason": "Chờ"},
    )
    assert suspended.status_code == 302
    referral.refresh_from_db()
    assert referral.is_suspended
