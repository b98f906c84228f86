"""The steps of issue 11 beyond the table's happy path: closing with open work, returning a
closure, periodic reviews, the separation's period, extension and revocation (Decree 56/2017
Art. 30, 32; Law on Children Art. 52, 53), and who hears of them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import clocks, services
from cases.closure import WorkChoice
from cases.models import Case, SeparationDecision
from core.clocks import Span
from core.errors import Forbidden, InvalidTransition, NotFound
from core.models import Clock
from notifications.models import Notification
from referrals import services as referral_services
from referrals.models import Referral
from tests.cases.factories import STEPS, advance, make_case, open_clock_kinds, snapshot
from tests.referrals.helpers import refer, staff_of

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

INTERVENTION = ("assess_initial", "submit_plan", "approve_plan")
PROPOSED = (*INTERVENTION, "start_review", "propose_closure")


def case_at(demo, *steps: str) -> Case:
    case = make_case(demo["officer_a"], abuse_forms=("other",))
    return advance(case, *steps, officer=demo["officer_a"], chair=demo["chair_a"])


def told(event: str) -> set[str]:
    return set(
        Notification.objects.filter(event=event, channel="in_app").values_list(
            "recipient__username", flat=True
        )
    )


def measure_key(case: Case) -> str:
    return f"measure:{case.plans.get(outcome='approved').measures.get().pk}"


# --- Closing with work still open ------------------------------------------------------------


def test_closing_waits_for_a_decision_on_each_live_referral_and_measure(demo, api_as):
    case = case_at(demo, *INTERVENTION)
    # A suggested service (not required for "other"), still pending at the agency.
    referral = refer(demo, case, "psychosocial")
    case = advance(
        case, "start_review", "propose_closure", officer=demo["officer_a"], chair=demo["chair_a"]
    )
    chair = demo["chair_a"]
    before = snapshot(case)
    url = f"/api/v1/cases/{case.pk}/transitions/close/"

    body = api_as("chair_a").get(f"/api/v1/cases/{case.pk}/").json()
    assert {row["key"] for row in body["open_work"]} == {
        f"referral:{referral.pk}",
        measure_key(case),
    }

    # No decision on the referral: refused, naming the work, nothing changed.
    only_measure = {"work": [{"key": measure_key(case), "decision": "completed"}]}
    response = api_as("chair_a").post(url, only_measure, format="json")
    assert response.status_code == 400 and "work" in response.json()
    # "Keep the case open" is not a close; a withdrawal needs its reason.
    for decision, reason in (("keep_open", ""), ("waived", " ")):
        with pytest.raises(ValidationError):
            services.case_close(
                actor=chair,
                case_id=case.pk,
                work={
                    measure_key(case): WorkChoice("completed"),
                    f"referral:{referral.pk}": WorkChoice(decision, reason),
                },
            )
    # The chair cannot mark an agency's service done.
    with pytest.raises(ValidationError):
        services.case_close(
            actor=chair,
            case_id=case.pk,
            work={
                measure_key(case): WorkChoice("completed"),
                f"referral:{referral.pk}": WorkChoice("completed"),
            },
        )
    assert snapshot(case) == before
    referral.refresh_from_db()
    assert referral.status == "pending"

    work = [
        {"key": measure_key(case), "decision": "completed"},
        {"key": f"referral:{referral.pk}", "decision": "waived", "reason": "Gia đình tự lo."},
    ]
    response = api_as("chair_a").post(url, {"work": work, "decision_number": "9"}, format="json")

    assert response.status_code == 200, response.json()
    referral.refresh_from_db()
    assert (referral.status, referral.cancel_reason) == ("cancelled", "Gia đình tự lo.")
    closure = case.closureassessments.get()
    assert closure.outcome == "closed"
    assert sorted(closure.work_decisions.values_list("decision", flat=True)) == [
        "completed",
        "waived",
    ]
    assert told("case_closed") == {"officer_a"}


def test_the_chair_returns_a_closure_proposal_with_comments(demo):
    case = case_at(demo, *PROPOSED)
    assert told("closure_proposed") == {"chair_a"}
    with pytest.raises(Forbidden):
        services.case_return_closure(actor=demo["officer_a"], case_id=case.pk, comments="…")
    with pytest.raises(NotFound):
        services.case_return_closure(actor=demo["chair_b"], case_id=case.pk, comments="…")

    services.case_return_closure(actor=demo["chair_a"], case_id=case.pk, comments="Theo dõi thêm.")

    case.refresh_from_db()
    closure = case.closureassessments.get()
    assert (case.status, closure.outcome, closure.decision_comments) == (
        "review",
        "returned",
        "Theo dõi thêm.",
    )
    assert open_clock_kinds(case) == {clocks.REVIEW_CONCLUSION}
    assert told("closure_returned") == {"officer_a"}
    with pytest.raises(InvalidTransition):
        services.case_close(actor=demo["chair_a"], case_id=case.pk)


def test_closing_is_proposed_only_without_a_separation_in_force(demo):
    case = case_at(demo, *INTERVENTION, "propose_separation", "decide_separation", "start_review")
    _role, service, payload = STEPS["propose_closure"]
    with pytest.raises(InvalidTransition, match="separat"):
        service(actor=demo["officer_a"], case_id=case.pk, **payload(case))
    services.case_revoke_separation(actor=demo["chair_a"], case_id=case.pk, reason="An toàn.")
    service(actor=demo["officer_a"], case_id=case.pk, **payload(case))


# --- Periodic review ---------------------------------------------------------------------------


def test_a_periodic_review_reports_each_measure_and_restarts_the_30_day_clock(demo):
    case = case_at(demo, *INTERVENTION)
    first = Clock.objects.for_object(case).open().get(kind=clocks.REVIEW)
    officer = demo["officer_a"]
    before = snapshot(case)
    with pytest.raises(ValidationError):
        services.case_record_review(actor=officer, case_id=case.pk, notes="…", measure_progress={})
    with pytest.raises(ValidationError):
        services.case_record_review(
            actor=officer, case_id=case.pk, notes="…", measure_progress={999999: "?"}
        )
    with pytest.raises(Forbidden):
        services.case_record_review(
            actor=demo["chair_a"], case_id=case.pk, notes="…", measure_progress={}
        )
    assert snapshot(case) == before

    pk = int(measure_key(case).split(":")[1])
    services.case_record_review(
        actor=officer, case_id=case.pk, notes="Tiến bộ.", measure_progress={pk: "2 buổi."}
    )

    case.refresh_from_db()
    assert case.status == "intervention"
    first.refresh_from_db()
    assert first.met_at is not None
    second = Clock.objects.for_object(case).open().get(kind=clocks.REVIEW)
    # 30 days on, to 24:00 of the last day, or of the next working day when that is a day off
    # (Civil Code 2015 Art. 148): more than 30 days after a Friday's review.
    assert second.due_at == Span(days=30).after(second.started_at)
    assert second.due_at - second.started_at >= datetime.timedelta(days=30)
    review = case.casereviews.get()
    assert review.measure_progress == [{"measure": pk, "progress": "2 buổi."}]


# --- Separation (Form 07) ------------------------------------------------------------------------


def test_a_separation_is_proposed_decided_extended_and_revoked(demo, api_as):
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = case_at(demo, *INTERVENTION)
    services.case_propose_separation(
        actor=officer, case_id=case.pk, placement="Nhà bà ngoại", grounds="Bố đánh trẻ."
    )
    decision_clock = Clock.objects.for_object(case).open().get(kind=clocks.SEPARATION_DECISION)
    assert decision_clock.due_at - decision_clock.started_at == datetime.timedelta(hours=12)
    assert told("separation_proposed") == {"chair_a"}
    with pytest.raises(InvalidTransition):  # one proposal at a time
        services.case_propose_separation(
            actor=officer, case_id=case.pk, placement="Nhà chú", grounds="…"
        )
    with pytest.raises(ValidationError):  # at most 15 days (Decree 56/2017 Art. 32)
        services.case_decide_separation(actor=chair, case_id=case.pk, approve=True, period_days=16)

    services.case_decide_separation(actor=chair, case_id=case.pk, approve=True, period_days=10)

    separation = SeparationDecision.objects.get(case=case)
    assert (separation.outcome, separation.placement, separation.period_days) == (
        "approved",
        "Nhà bà ngoại",
        10,
    )
    decision_clock.refresh_from_db()
    assert decision_clock.met_at is not None
    end = Clock.objects.for_object(case).open().get(kind=clocks.SEPARATION_END)
    assert end.due_at == separation.ends_at
    # From the day after the decision to 24:00 of the tenth day (Civil Code 2015 Art. 148(1)).
    tenth = timezone.localdate() + datetime.timedelta(days=10)
    assert timezone.localtime(end.due_at) == datetime.datetime.combine(
        tenth + datetime.timedelta(days=1), datetime.time(0), tzinfo=VIETNAM
    )
    body = api_as("officer_a").get(f"/api/v1/cases/{case.pk}/").json()
    assert body["current_placement"]["placement"] == "Nhà bà ngoại"

    services.case_extend_separation(actor=chair, case_id=case.pk, days=5, reason="Chưa an toàn.")
    end.refresh_from_db()
    separation.refresh_from_db()
    assert (separation.period_days, end.due_at) == (15, separation.ends_at)
    assert timezone.localtime(end.due_at).date() == tenth + datetime.timedelta(days=6)
    # Beyond 15 days in all only at a competent authority's request.
    with pytest.raises(ValidationError):
        services.case_extend_separation(actor=chair, case_id=case.pk, days=1, reason="…")
    with pytest.raises(Forbidden):
        services.case_extend_separation(actor=officer, case_id=case.pk, days=1, reason="…")
    services.case_extend_separation(
        actor=chair,
        case_id=case.pk,
        days=3,
        reason="Điều tra chưa xong.",
        authority_request="Công văn 12/CV-CSĐT của Công an tỉnh",
    )
    assert told("separation_extended") == {"officer_a"}

    services.case_revoke_separation(actor=chair, case_id=case.pk, reason="Gia đình an toàn.")

    separation.refresh_from_db()
    assert separation.outcome == "revoked"
    assert clocks.SEPARATION_END not in open_clock_kinds(case)
    assert told("separation_revoked") == {"officer_a"}
    body = api_as("officer_a").get(f"/api/v1/cases/{case.pk}/").json()
    assert body["current_placement"] is None
    with pytest.raises(InvalidTransition):
        services.case_revoke_separation(actor=chair, case_id=case.pk, reason="…")


def test_the_placement_is_seen_by_the_agencies_that_may_know_the_childs_whereabouts(demo, api_as):
    case = case_at(demo, *INTERVENTION, "propose_separation", "decide_separation")
    for service in ("medical_care", "forensic_exam"):
        referral = refer(demo, case, service)
        referral_services.referral_accept(actor=staff_of(demo, service), referral_id=referral.pk)

    hospital = api_as("hospital").get(f"/api/v1/cases/{case.pk}/").json()
    forensic = api_as("forensic").get(f"/api/v1/cases/{case.pk}/").json()

    # The hospital reads the carers' section (the child's address), the forensic centre does not.
    assert hospital["current_placement"]["placement"] == "Nhà bà ngoại"
    assert "current_placement" not in forensic
    assert "address" not in forensic["child"]


# --- Refusal of the plan -----------------------------------------------------------------------


def test_the_parents_refusal_of_the_plan_is_recorded_with_what_the_commune_did(demo):
    case = case_at(demo, *INTERVENTION)
    _role, service, payload = STEPS["record_plan_refusal"]
    with pytest.raises(Forbidden):
        service(actor=demo["chair_a"], case_id=case.pk, **payload(case))
    fresh = case_at(demo, "assess_initial")
    with pytest.raises(InvalidTransition):
        service(actor=demo["officer_a"], case_id=fresh.pk, **payload(fresh))

    service(actor=demo["officer_a"], case_id=case.pk, **payload(case))

    refusal = case.planrefusals.get()
    assert (refusal.refused_by, refusal.plan.outcome) == ("Bố của trẻ", "approved")
    assert case.events.latest("at", "id").action == "record_plan_refusal"
    assert told("plan_refused") == {"chair_a"}
    assert not Referral.objects.filter(case=case, status="cancelled").exists()


# --- The web pages -------------------------------------------------------------------------------


def test_the_pages_record_a_review_and_close_with_a_decision_on_each_measure(client, demo):
    from django.urls import reverse

    case = case_at(demo, *INTERVENTION)
    pk = int(measure_key(case).split(":")[1])
    client.force_login(demo["officer_a"])
    url = reverse("cases:transition", args=[case.pk, "record_review"])
    page = client.get(url)
    assert page.status_code == 200 and f"progress_{pk}" in page.content.decode()
    assert client.post(url, {"notes": "Tiến bộ."}).status_code == 200  # the measure is missing
    assert client.post(url, {"notes": "Tiến bộ.", f"progress_{pk}": "2 buổi."}).status_code == 302
    case = advance(
        case, "start_review", "propose_closure", officer=demo["officer_a"], chair=demo["chair_a"]
    )

    client.force_login(demo["chair_a"])
    url = reverse("cases:transition", args=[case.pk, "close"])
    assert client.post(url, {"decision_number": "9"}).status_code == 200  # no decision on it
    response = client.post(url, {"decision_number": "9", "work_0": "completed"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.closureassessments.get().work_decisions.get().decision == "completed"
    # The officer's page says why closing is not theirs to do.
    client.force_login(demo["officer_a"])
    assert client.get(reverse("cases:transition", args=[case.pk, "close"])).status_code == 403


@pytest.mark.parametrize(
    ("name", "role", "steps"),
    [
        ("record_plan_refusal", "officer", INTERVENTION),
        ("propose_closure", "officer", (*INTERVENTION, "start_review")),
        ("return_closure", "chair", PROPOSED),
        ("propose_separation", "officer", ("assess_initial",)),
        ("decide_separation", "chair", ("assess_initial", "propose_separation")),
        (
            "extend_separation",
            "chair",
            ("assess_initial", "propose_separation", "decide_separation"),
        ),
        (
            "revoke_separation",
            "chair",
            ("assess_initial", "propose_separation", "decide_separation"),
        ),
    ],
)
def test_each_new_step_has_its_page_linked_from_the_case(client, demo, name, role, steps):
    from django.urls import reverse

    case = case_at(demo, *steps)
    client.force_login(demo[f"{role}_a"])
    url = reverse("cases:transition", args=[case.pk, name])

    assert url in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert client.get(url).status_code == 200
    _role, _service, payload = STEPS[name]
    form = {key: value for key, value in payload(case).items() if value is not None}
    if name == "decide_separation":
        form["approve"] = "yes"
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert case.events.latest("at", "id").action == name
