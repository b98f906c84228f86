"""One step tells each person once (issue 14): however many events a step publishes about a case
(an emergency that proposes a separation, six referrals sent together, the deadlines of a case
breached in the same sweep), each person gets one notification about it, and each receiving
agency its own. Separate steps are still told separately."""

import datetime
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, SeparationDecision
from core.models import User
from notifications import outbox, texts
from notifications.models import Notification
from notifications.sweeps import sweep_clocks
from referrals import services as referral_services
from referrals.models import Referral
from tests.cases.factories import advance, close_payload, make_case
from tests.referrals.helpers import CONSENT, agency, outcome, refer, sexual_abuse_case, staff_of

# What a sexual-abuse case needs (the pathway's required services), and psychosocial support,
# which the same social-work centre as social support gives.
SERVICES = (
    "police_report",
    "forensic_exam",
    "medical_care",
    "legal_aid",
    "social_support",
    "psychosocial",
)


def in_app_since(last: int) -> list[Notification]:
    return list(
        Notification.objects.filter(pk__gt=last, channel="in_app")
        .select_related("recipient")
        .order_by("pk")
    )


def last_id() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class Journey:
    """Runs the steps of a case one by one and keeps, for each, who was told what."""

    def __init__(self) -> None:
        self.told: dict[str, list[Notification]] = {}

    def step(self, name: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        since = last_id()
        with outbox.one_notice_per_person():  # as the request that runs the step
            result = call(*args, **kwargs)
        self.told[name] = in_app_since(since)
        return result

    def per_person(self, name: str) -> Counter[str]:
        return Counter(row.recipient.username for row in self.told[name])

    def bursts(self) -> dict[str, dict[str, int]]:
        """The steps in which someone was told more than once about the case."""
        found = {}
        for name in self.told:
            twice = {who: n for who, n in self.per_person(name).items() if n > 1}
            if twice:
                found[name] = twice
        return found


def send_together(demo: dict[str, User], case: Case, services: tuple[str, ...]) -> list[Referral]:
    """The officer's one form for every service the pathway names: one transaction, one send
    per service, as referral_create_many does."""
    with transaction.atomic(), outbox.one_notice_per_person():
        return [refer(demo, case, service) for service in services]


def test_a_whole_case_tells_each_person_at_most_once_per_step(demo):
    officer, chair = demo["officer_a"], demo["chair_a"]
    journey = Journey()
    case = journey.step("record", sexual_abuse_case, demo)
    journey.step(
        "assess",
        case_services.case_assess_initial,
        actor=officer,
        case_id=case.pk,
        harm_level="high",
        immediate_danger=False,
        confirmed="abuse",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    journey.step(
        "declare_emergency",
        case_services.case_declare_emergency,
        actor=officer,
        case_id=case.pk,
        danger="Người gây hại sống cùng nhà.",
        measures_taken="Đưa về nhà bà ngoại.",
        harm_level="high",
        separation_proposed=True,
        placement="Nhà bà ngoại",
    )
    journey.step(
        "decide_separation",
        case_services.separation_decide,
        actor=chair,
        decision_id=SeparationDecision.objects.get(case=case).pk,
        approve=True,
        period_days=10,
        placement="Nhà bà ngoại",
    )
    referrals = journey.step("refer_all", send_together, demo, case, SERVICES)
    later = timezone.now()
    journey.step("sweep_next_day", sweep_clocks, now=later + datetime.timedelta(days=1))
    journey.step("sweep_three_days_on", sweep_clocks, now=later + datetime.timedelta(days=3))
    for referral in referrals:
        journey.step(
            f"accept_{referral.service}",
            referral_services.referral_accept,
            actor=staff_of(demo, referral.service),
            referral_id=referral.pk,
        )
    journey.step(
        "end_emergency",
        case_services.case_end_emergency,
        actor=officer,
        case_id=case.pk,
        measures_applied="Ở nhà bà ngoại.",
        safe_location="Nhà bà ngoại",
    )
    journey.step(
        "submit_plan",
        case_services.case_submit_plan,
        actor=officer,
        case_id=case.pk,
        assessment_summary="…",
        needs="…",
        meeting_held_at=timezone.now(),
        meeting_participants="…",
        meeting_minutes="…",
        goals="…",
        consent=CONSENT,
        measures=[
            case_services.MeasureData(
                "education_support", "Học bổ trợ", 60, agency("education_support")
            )
        ],
    )
    journey.step(
        "approve_plan",
        case_services.case_approve_plan,
        actor=chair,
        case_id=case.pk,
        decision_number="1",
    )
    for referral in referrals:
        journey.step(
            f"complete_{referral.service}",
            referral_services.referral_complete,
            actor=staff_of(demo, referral.service),
            referral_id=referral.pk,
            outcome=outcome(referral.service),
        )
    journey.step(
        "revoke_separation",
        case_services.case_revoke_separation,
        actor=chair,
        case_id=case.pk,
        reason="Gia đình đã bảo đảm an toàn.",
    )
    journey.step("start_review", case_services.case_start_review, actor=officer, case_id=case.pk)
    journey.step(
        "propose_closure",
        case_services.case_propose_closure,
        actor=officer,
        case_id=case.pk,
        remaining_harm="low",
        perpetrator_access="low",
        care_obstacles="low",
        resilience="high",
        reason="goals_met",
    )
    case.refresh_from_db()
    journey.step(
        "close", case_services.case_close, actor=chair, case_id=case.pk, **close_payload(case)
    )

    assert journey.bursts() == {}
    # Who hears of the steps where several events reach the same people.
    assert journey.per_person("declare_emergency") == {"chair_a": 1, "province": 1}
    assert journey.per_person("refer_all") == {
        "police": 1,
        "forensic": 1,
        "hospital": 1,
        "legalaid": 1,
        "social": 1,
    }
    assert journey.per_person("sweep_next_day")["chair_a"] == 1
    assert journey.per_person("sweep_three_days_on")["province"] == 1
    # Closing tells the officer, and the school its referral is withdrawn with the case.
    assert journey.per_person("close") == {"officer_a": 1, "school": 1}
    assert [row.event for row in journey.told["close"] if row.recipient == officer] == [
        "case_closed"
    ]


def test_closing_the_case_tells_every_officer_of_the_commune_but_not_the_chair(demo):
    from tests.cases.factories import advance, make_case

    colleague = User.objects.create_user("officer_a2", password="x")
    colleague.memberships.create(
        role="commune_officer", unit=demo["officer_a"].memberships.get().unit
    )
    case = advance(
        make_case(demo["officer_a"], abuse_forms=("other",)),
        "assess_initial",
        "submit_plan",
        "approve_plan",
        "start_review",
        "propose_closure",
        officer=demo["officer_a"],
        chair=demo["chair_a"],
    )
    since = last_id()
    case_services.case_close(actor=demo["chair_a"], case_id=case.pk, **close_payload(case))
    rows = in_app_since(since)
    assert {(row.recipient.username, row.event) for row in rows} == {
        ("officer_a", "case_closed"),
        ("officer_a2", "case_closed"),
    }
    assert {row.link for row in rows} == {f"/cases/{case.pk}/"}
    assert texts.render(rows[0].event, rows[0].params, "en") == f"Case {case.code} is closed."


def test_referrals_sent_together_reach_each_agency_once_and_the_same_agency_once(demo):
    case = sexual_abuse_case(demo)
    since = last_id()
    referrals = send_together(demo, case, SERVICES)
    rows = in_app_since(since)

    by_agency = {row.recipient.username: row for row in rows}
    assert len(rows) == len(by_agency) == 5
    for referral in referrals:
        if referral.service in ("police_report", "forensic_exam", "medical_care", "legal_aid"):
            row = by_agency[staff_of(demo, referral.service).username]
            assert row.link == f"/referrals/{referral.pk}/"
            assert "more" not in row.params
    # The social-work centre gives two of the services: one notification says so, and leads to
    # its list of referrals, where both wait to be accepted.
    social = by_agency["social"]
    assert social.event == "referral_received"
    assert social.link == "/referrals/"
    assert texts.render(social.event, social.params, "en") == (
        f"A referral for Social support arrived (case {case.code}). (and 1 other notification)"
    )
    # Every channel is folded alike: the email says the same once.
    assert Notification.objects.filter(pk__gt=since, recipient=demo["social"]).count() == len(
        outbox.channels_for(demo["social"], {})
    )


def test_the_emergency_that_proposes_a_separation_tells_the_chair_once_where_to_decide(demo):
    case = sexual_abuse_case(demo)
    since = last_id()
    with outbox.one_notice_per_person():
        case_services.case_declare_emergency(
            actor=demo["officer_a"],
            case_id=case.pk,
            danger="…",
            measures_taken="…",
            harm_level="high",
            confirmed="abuse",
            separation_proposed=True,
            placement="Nhà bà ngoại",
        )
    (chair,) = [row for row in in_app_since(since) if row.recipient == demo["chair_a"]]
    assert chair.event == "emergency_separation_proposed"
    assert chair.link == "/cases/queue/#separations-waiting"
    assert texts.render(chair.event, chair.params, "en") == (
        f"Emergency declared on case {case.code}: a separation from the carer awaits your decision."
    )


@pytest.mark.parametrize("committed_each", [False, True])
def test_separate_steps_are_told_separately(demo, committed, committed_each):
    """Inside a test's transaction as in production: each service call is a step of its own."""
    case = sexual_abuse_case(demo)
    first, second = send_together(demo, case, ("police_report", "forensic_exam"))
    run = committed if committed_each else (lambda call, **kwargs: call(**kwargs))
    since = last_id()
    run(referral_services.referral_accept, actor=demo["police"], referral_id=first.pk)
    run(referral_services.referral_accept, actor=demo["forensic"], referral_id=second.pk)
    rows = in_app_since(since)
    assert [(row.recipient.username, row.event, row.link) for row in rows] == [
        ("officer_a", "referral_accepted", f"/referrals/{first.pk}/"),
        ("officer_a", "referral_accepted", f"/referrals/{second.pk}/"),
    ]


def test_a_sweep_tells_the_chair_once_per_case_whatever_its_overdue_deadlines(demo):
    cases = [sexual_abuse_case(demo) for _ in range(2)]
    referrals = {case.pk: send_together(demo, case, SERVICES[:4]) for case in cases}
    since = last_id()
    sweep_clocks(now=timezone.now() + datetime.timedelta(days=1))
    rows = in_app_since(since)

    chair = [row for row in rows if row.recipient == demo["chair_a"]]
    assert sorted(row.params["code"] for row in chair) == sorted(case.code for case in cases)
    # Overdue a day later: the initial assessment (12 hours) and the acceptance by the police (24
    # hours), the forensic examiners and the hospital (4 hours each); legal aid has 2 working
    # days. The most overdue leads, with its page.
    assert {row.params["more"] for row in chair} == {3}
    assert {row.params["deadline"] for row in chair} == {"referral_accept_forensic_exam"}
    assert {row.link for row in chair} == {
        f"/referrals/{referrals[case.pk][1].pk}/" for case in cases
    }
    # Each agency hears once per case, of its own referral.
    police = [row for row in rows if row.recipient == demo["police"]]
    assert sorted(row.link for row in police) == sorted(
        f"/referrals/{referrals[case.pk][0].pk}/" for case in cases
    )


def test_a_notice_in_a_rolled_back_savepoint_does_not_swallow_the_next(demo):
    class RolledBack(Exception):
        pass

    officer = demo["officer_a"]

    def tell(key: str, topic: str) -> None:
        outbox.notify(
            key=key,
            recipients=[officer],
            event="case_received",
            params={"code": topic},
            link="/cases/",
            topic=topic,
        )

    with transaction.atomic():
        tell("kept", "case:1")  # the batch begins outside the savepoint
        with pytest.raises(RolledBack), transaction.atomic():
            tell("lost", "case:2")
            raise RolledBack
        tell("after", "case:2")
        with pytest.raises(RolledBack), transaction.atomic():
            tell("lost-again", "case:3")  # the batch begins inside the savepoint
            raise RolledBack
        tell("after-again", "case:3")

    rows = Notification.objects.filter(recipient=officer, channel="in_app")
    assert sorted(rows.values_list("key", flat=True)) == ["after", "after-again", "kept"]
    assert not any("more" in params for params in rows.values_list("params", flat=True))


def test_notices_outside_a_transaction_or_without_a_topic_are_not_folded(demo):
    officer = demo["officer_a"]
    for key in ("a", "b"):
        outbox.notify(
            key=key,
            recipients=[officer],
            event="case_received",
            params={"code": "X"},
            topic="case:1",
        )
    with transaction.atomic():
        for key in ("c", "d"):
            outbox.notify(
                key=key, recipients=[officer], event="case_received", params={"code": "X"}
            )
    keys = Notification.objects.filter(recipient=officer, channel="in_app").values_list(
        "key", flat=True
    )
    assert sorted(keys) == ["a", "b", "c", "d"]


def test_a_folded_notice_reads_how_many_it_holds():
    params = {"code": "37-2026-000001", "service": "legal_aid", "more": 2}
    assert texts.render("referral_received", params, "en") == (
        "A referral for Legal aid arrived (case 37-2026-000001). (and 2 other notifications)"
    )
    assert "more" not in texts.render("referral_received", params | {"more": 0}, "en")


def test_the_notice_asking_to_act_leads_a_folded_one():
    seen = outbox.Notice("plan_approved", {"code": "C"}, "/cases/1/")
    act = outbox.Notice("referral_declined", {"code": "C", "service": "legal_aid"}, "/cases/1/#r")
    assert outbox.folded(seen, act, "/cases/1/") == outbox.Notice(
        "referral_declined", {"code": "C", "service": "legal_aid", "more": 1}, "/cases/1/#r"
    )
    assert outbox.folded(act, seen, "/cases/1/") == outbox.Notice(
        "referral_declined", {"code": "C", "service": "legal_aid", "more": 1}, "/cases/1/#r"
    )


def test_each_block_is_a_step_of_its_own(transactional_db):
    """With real commits, as in production: each block (a request) is a step; a row rolled back
    is written again; outside any block nothing is folded."""

    class RolledBack(Exception):
        pass

    officer = User.objects.create_user("officer", password="x")

    def tell(key: str) -> None:
        outbox.notify(
            key=key,
            recipients=[officer],
            event="case_received",
            params={"code": "X"},
            link="/cases/",
            topic="case:1",
        )

    with outbox.one_notice_per_person(), transaction.atomic():
        tell("first")
        tell("folded")
    with outbox.one_notice_per_person(), transaction.atomic():
        tell("second")
    with outbox.one_notice_per_person():
        with pytest.raises(RolledBack), transaction.atomic():
            tell("rolled-back")
            raise RolledBack
        with transaction.atomic():
            tell("third")  # the row it would fold into rolled back: written again
            tell("folded-again")
    tell("outside-any-step")

    rows = Notification.objects.filter(recipient=officer, channel="in_app").order_by("pk")
    assert [(row.key, row.params.get("more")) for row in rows] == [
        ("first", 1),
        ("second", None),
        ("third", 1),
        ("outside-any-step", None),
    ]


def test_a_person_holding_several_roles_is_told_once(demo):
    """A chair who is also a provincial officer, and a doctor on the staff of both the hospital
    and the forensic centre, each hear once of a step that concerns all their roles."""
    from core.models import Agency, RoleMembership

    both = User.objects.create_user("chair_and_province", password="x")
    for membership in (*demo["chair_a"].memberships.all(), *demo["province"].memberships.all()):
        RoleMembership.objects.create(user=both, role=membership.role, unit=membership.unit)
    doctor = User.objects.create_user("doctor", password="x")
    for service in ("medical_care", "forensic_exam"):
        RoleMembership.objects.create(
            user=doctor, role="agency_staff", agency=Agency.objects.get(pk=agency(service).pk)
        )
    case = sexual_abuse_case(demo)
    since = last_id()
    with outbox.one_notice_per_person():
        case_services.case_declare_emergency(
            actor=demo["officer_a"],
            case_id=case.pk,
            danger="…",
            measures_taken="…",
            harm_level="high",
            confirmed="abuse",
            separation_proposed=True,
            placement="Nhà bà ngoại",
        )
    send_together(demo, case, ("medical_care", "forensic_exam"))
    told = Counter(row.recipient.username for row in in_app_since(since))
    assert told["chair_and_province"] == 1
    assert told["doctor"] == 1


def test_a_separations_deadline_leads_a_folded_notice_before_an_older_one():
    """A review overdue for weeks must not bury, as "and 1 other notification", the end of a
    child's separation from its carer."""
    review = outbox.Notice(
        "clock_breached", {"code": "C", "deadline": "case_review", "due": "1/11"}, "/cases/1/"
    )
    separation = outbox.Notice(
        "clock_reminder",
        {"code": "C", "deadline": "case_separation_end", "due": "2/12"},
        "/cases/1/#s",
    )
    expected = outbox.Notice(
        "clock_reminder",
        {"code": "C", "deadline": "case_separation_end", "due": "2/12", "more": 1},
        "/cases/1/#s",
    )
    assert outbox.folded(review, separation, "/cases/1/") == expected
    assert outbox.folded(separation, review, "/cases/1/") == expected


def test_a_sweep_leads_the_chairs_notice_with_the_separations_end(demo):
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = advance(
        make_case(officer),
        "assess_initial",
        "propose_separation",
        "decide_separation",
        officer=officer,
        chair=chair,
    )
    since = last_id()
    sweep_clocks(now=timezone.now() + datetime.timedelta(days=12))

    told = [row for row in in_app_since(since) if row.recipient == chair]
    assert [row.params["code"] for row in told] == [case.code]
    assert told[0].params["deadline"] == "case_separation_end"
    assert told[0].params["more"] >= 1
