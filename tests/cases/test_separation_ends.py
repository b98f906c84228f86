"""A separation lasts the period the chair decided, and no longer (Decree 56/2017 Art. 32(2)):
once its period has run out the child is no longer separated, whoever acted or did not, the
decision cannot be extended or revoked after the fact, and its end is told to the commune, not
escalated as an overdue deadline."""

import datetime
import importlib
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from cases import clocks, services
from cases.models import Case, SeparationDecision, SeparationExtension
from cases.workflow import BEFORE_CLOSING, no_separation_open
from core import clocks as core_clocks
from core.errors import Conflict, InvalidTransition
from core.models import Clock
from notifications.escalation import key_of
from notifications.models import Notification
from notifications.sweeps import sweep_clocks
from tests.cases.factories import advance, make_case

MINUTE = datetime.timedelta(minutes=1)


def separated(demo, days: int = 5) -> tuple[Case, Any]:
    """A case whose child is separated for `days`: the decision's `ends_at` is set."""
    case = make_case(demo["officer_a"], abuse_forms=("other",))
    advance(
        case,
        "assess_initial",
        "propose_separation",
        officer=demo["officer_a"],
        chair=demo["chair_a"],
    )
    services.case_decide_separation(
        actor=demo["chair_a"], case_id=case.pk, approve=True, period_days=days
    )
    return case, SeparationDecision.objects.get(case=case)


def transition(client, case: Case, name: str, payload: dict):
    return client.post(f"/api/v1/cases/{case.pk}/transitions/{name}/", payload, format="json")


def shown_end(separation: SeparationDecision) -> str:
    """The end as the refusal says it: 24:00 of the last day, not 00:00 of the next."""
    last_day = timezone.localdate(separation.ends_at) - datetime.timedelta(days=1)
    return f"{last_day:%d/%m/%Y} 24:00"


def test_a_separation_is_in_force_until_its_period_ends_and_not_after(demo, api_as):
    case, separation = separated(demo)
    chair = api_as("chair_a")

    with time_machine.travel(separation.ends_at - MINUTE):
        body = api_as("officer_a").get(f"/api/v1/cases/{case.pk}/").json()
        assert body["current_placement"]["placement"] == "Nhà bà ngoại"
        case.refresh_from_db()
        assert no_separation_open(case)  # a second one waits for this one's end

    with time_machine.travel(separation.ends_at):
        body = api_as("officer_a").get(f"/api/v1/cases/{case.pk}/").json()
        assert body["current_placement"] is None
        offered = chair.get(f"/api/v1/cases/{case.pk}/transitions/").json()
        options = {option["name"]: option for option in offered}
        for name in ("extend_separation", "revoke_separation"):
            assert not options[name]["allowed"]
            assert shown_end(separation) in " ".join(options[name]["missing"])
        for name, payload in (
            ("extend_separation", {"days": 3, "reason": "Gia đình chưa an toàn."}),
            ("revoke_separation", {"reason": "Gia đình đã bảo đảm an toàn."}),
        ):
            response = transition(chair, case, name, payload)
            assert response.status_code == 409, (name, response.content)
            assert shown_end(separation) in response.json()["detail"], response.json()
        separation.refresh_from_db()
        assert (separation.outcome, separation.period_days) == ("approved", 5)
        assert not SeparationExtension.objects.filter(separation=separation).exists()

        # Nothing of it holds the case back: a new separation may be proposed, the case closed.
        case.refresh_from_db()
        assert no_separation_open(case) == []
        assert [reason for guard in BEFORE_CLOSING for reason in guard(case)] == []
        response = transition(
            api_as("officer_a"),
            case,
            "propose_separation",
            {"placement": "Nhà chú", "grounds": "Cha lại đánh trẻ."},
        )
        assert response.status_code == 200, response.content


def test_an_ended_separation_is_said_so_in_vietnamese_when_extended_too_late(demo, client):
    case, separation = separated(demo)
    with time_machine.travel(separation.ends_at + datetime.timedelta(days=4)):
        client.force_login(demo["chair_a"])  # a session of that day
        response = client.post(
            f"/cases/{case.pk}/transitions/extend_separation/",
            {"days": 3, "reason": "Gia đình chưa an toàn."},
            HTTP_ACCEPT_LANGUAGE="vi",
            follow=True,
        )
    text = response.content.decode()
    assert shown_end(separation) in text, (response.status_code, text[text.find("<main") :][:3000])
    assert "Thời hạn tách trẻ em đã hết" in text
    separation.refresh_from_db()
    assert separation.period_days == 5


def test_the_extension_page_says_when_the_separation_ends_and_the_days_used(demo, client):
    case, separation = separated(demo, days=10)
    client.force_login(demo["chair_a"])

    page = client.get(f"/cases/{case.pk}/transitions/extend_separation/").content.decode()

    shown = page[page.index('id="separation-in-force"') :].split("</section>")[0]
    assert "Đã quyết định 10 ngày, tối đa 15 ngày" in shown
    assert shown_end(separation) in shown
    assert separation.placement in shown


def test_the_period_running_out_between_the_check_and_the_lock_refuses_the_step(demo):
    case, separation = separated(demo)
    with (
        time_machine.travel(separation.ends_at),
        transaction.atomic(),
        pytest.raises(InvalidTransition, match=shown_end(separation)),
    ):
        services.separation_in_force_locked(case)


def test_an_extension_racing_the_sweep_that_ends_the_period_is_refused(demo, monkeypatch):
    """The extension reads the end clock without a lock; if the sweep meets it before the
    extension rewrites it, the extended period would have no clock to end it: 409, nothing kept."""
    case, separation = separated(demo, days=3)
    reschedule = core_clocks.reschedule_clock

    def after_the_sweep(clock: Clock, due_at: datetime.datetime) -> None:
        Clock.objects.filter(pk=clock.pk).update(met_at=clock.due_at, next_action_at=None)
        reschedule(clock, due_at)

    monkeypatch.setattr(core_clocks, "reschedule_clock", after_the_sweep)
    with pytest.raises(Conflict):
        services.case_extend_separation(
            actor=demo["chair_a"], case_id=case.pk, days=2, reason="Chưa an toàn."
        )

    separation.refresh_from_db()
    assert separation.period_days == 3
    assert not SeparationExtension.objects.filter(separation=separation).exists()


def test_its_end_is_told_to_the_chair_and_the_officers_once_and_is_never_overdue(demo):
    case, _separation = separated(demo, days=3)
    end = Clock.objects.for_object(case).get(kind=clocks.SEPARATION_END)
    # Before the end the chair and the officers are reminded (the chair may extend it).
    sweep_clocks(now=end.remind_at + MINUTE)
    reminded = Notification.objects.filter(event="clock_reminder", key=key_of(end, "remind"))
    assert set(reminded.values_list("recipient__username", flat=True)) >= {"chair_a", "officer_a"}

    for later in (MINUTE, datetime.timedelta(days=2)):
        sweep_clocks(now=end.due_at + later)

    end.refresh_from_db()
    assert (end.met_at, end.breached_at, end.next_action_at) == (end.due_at, None, None)
    of_the_end = Notification.objects.filter(key__startswith=f"clock:{end.pk}:")
    assert not of_the_end.filter(event__in=["clock_breached", "clock_escalated"]).exists()
    ended = of_the_end.filter(event="separation_ended", channel="in_app")
    assert sorted(ended.values_list("recipient__username", flat=True)) == ["chair_a", "officer_a"]
    assert {notice.link for notice in ended} == {f"/cases/{case.pk}/"}
    assert clocks.SEPARATION_END not in {
        clock.kind for clock in Clock.objects.for_object(case).open()
    }


def test_the_release_meets_the_ends_of_separations_breached_before_it(demo):
    """Before this release a separation's end was breached and escalated like a deadline; the
    migration meets those as of their end and calls the running ones at their end."""
    migration = importlib.import_module("cases.migrations.0016_separations_end_by_themselves")
    separated(demo)
    separated(demo)
    ended, running = Clock.objects.filter(kind=clocks.SEPARATION_END).order_by("pk")
    past = timezone.now() - datetime.timedelta(days=3)
    Clock.objects.filter(pk=ended.pk).update(
        due_at=past, breached_at=past, escalation_level=2, next_action_at=None
    )
    # Called a day after its end by the chain it used to follow, its reminder already sent.
    Clock.objects.filter(pk=running.pk).update(
        reminded_at=timezone.now(), next_action_at=running.due_at + datetime.timedelta(hours=24)
    )

    migration.end_by_themselves(apps, None)

    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.met_at, ended.due_at) == (past, past)
    assert (running.met_at, running.next_action_at) == (None, running.due_at)


def test_the_case_page_no_longer_places_the_child_once_the_period_is_over(demo, client):
    case, separation = separated(demo)
    for moment, placed in ((separation.ends_at - MINUTE, True), (separation.ends_at, False)):
        with time_machine.travel(moment):
            client.force_login(demo["officer_a"])
            page = client.get(f"/cases/{case.pk}/").content.decode()
        assert ('id="current-placement"' in page) is placed, moment
        assert ("separation-ended" in page) is not placed, moment


def test_a_new_separation_decided_before_the_sweep_met_the_last_ones_end(demo):
    """The period ran out; the sweep has not yet met its end (the scheduler was down) when the
    officer proposes a new separation and the chair approves it: the old end is met as of its
    own time, the new one runs, one at a time."""
    case, separation = separated(demo, days=1)
    old_end = Clock.objects.for_object(case).get(kind=clocks.SEPARATION_END)

    with time_machine.travel(separation.ends_at + datetime.timedelta(hours=3)):
        services.case_propose_separation(
            actor=demo["officer_a"],
            case_id=case.pk,
            placement="Nhà bà ngoại",
            grounds="Lại bị đánh.",
        )
        services.case_decide_separation(
            actor=demo["chair_a"], case_id=case.pk, approve=True, period_days=3
        )

    old_end.refresh_from_db()
    assert (old_end.met_at, old_end.breached_at) == (old_end.due_at, None)
    (running,) = Clock.objects.for_object(case).open().filter(kind=clocks.SEPARATION_END)
    assert running.due_at == SeparationDecision.objects.latest("decided_at").ends_at
