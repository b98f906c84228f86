"""Each notification leads its reader to the page where they act (issue 14): the referral to
accept, the chair's queue for a separation to decide, the plan or the closure proposal on the
case page, the inspection; the case page for a step of the case. Every kind of notification is
produced through the services, and each one, as it arrives, is opened the way its reader opens
it (marking it read redirects to its link) and answers 200, never 404."""

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from access import services as access_services
from access.models import CaseAccess
from cases import services as case_services
from cases.models import Case, SeparationDecision
from core.grants import record_password_set, record_role_change
from core.models import Agency, RoleMembership, Unit, User
from inspections import services as inspection_services
from notifications import outbox, texts
from notifications.digest import send_daily_digests
from notifications.models import Notification
from notifications.sweeps import sweep_clocks
from referrals import services as referral_services
from tests.cases.factories import advance, close_payload, make_case
from tests.inspections.factories import LEAD_AGENCY, another_inspector, plan_inspection
from tests.inspections.factories import advance as advance_inspection
from tests.referrals.helpers import CONSENT, agency, outcome, refer, sexual_abuse_case

CASE = r"/cases/\d+/"
REFERRAL = r"/referrals/\d+/"
DEADLINE = r"/(cases|referrals|inspections)/\d+/"
INSPECTION = r"/inspections/\d+/"
# Where each kind of notification leads.
EXPECTED = {
    "case_received": CASE,
    "emergency_declared": CASE,
    "separation_proposed": r"/cases/queue/#separations-waiting",
    "emergency_separation_proposed": r"/cases/queue/#separations-waiting",
    "plan_submitted": CASE + "#plans",
    "plan_approved": CASE,
    "plan_returned": CASE,
    "plan_refused": CASE,
    "transfer_requested": r"/cases/#incoming-transfers",
    "transfer_decided": r"/cases/(\d+/)?",  # accepted: the case is the other commune's now
    "separation_decided": CASE,
    "separation_extended": CASE,
    "separation_revoked": CASE,
    "separation_ended": CASE,
    "closure_proposed": CASE + "#closure",
    "closure_returned": CASE,
    "case_closed": CASE,
    "referral_received": REFERRAL,
    "referral_accepted": REFERRAL,
    "referral_declined": CASE + "#referrals",  # re-refer or waive
    "referral_completed": REFERRAL,
    "referral_cancelled": REFERRAL,
    "referral_suspended": REFERRAL,
    "referral_resumed": REFERRAL,
    "clock_reminder": DEADLINE,
    "clock_breached": DEADLINE,
    "clock_escalated": DEADLINE,
    "daily_digest": r"/",
    "inspection_team_joined": INSPECTION,
    "inspection_concluded": INSPECTION,
    "inspection_cancelled": INSPECTION,
    "inspection_closed": INSPECTION,
    "inspection_recommendation_done": INSPECTION,
    # Told to the provincial officers, who act on it outside the product (the admin is the
    # sysadmin's): no page to lead to.
    "case_role_granted": r"",
    "password_set": r"",
    "access_granted": CASE,
    # The case is closed to them again, and a head of agency never reads it: no page.
    "access_revoked": r"",
    "glass_broken": CASE + "#access",
    "glass_unjustified": r"",
}


def test_every_kind_of_notification_says_where_it_leads():
    assert set(EXPECTED) == set(texts.TEXTS)


class Reader:
    """Opens every notification as it arrives, as its reader, and keeps the kinds seen."""

    def __init__(self) -> None:
        self.last = 0
        self.seen: set[str] = set()
        self.clients: dict[int, Client] = {}

    def client_of(self, user: User) -> Client:
        if user.pk not in self.clients:
            client = Client()
            client.force_login(user)
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def open_new(self) -> None:
        rows = (
            Notification.objects.filter(pk__gt=self.last, channel="in_app")
            .select_related("recipient")
            .order_by("pk")
        )
        for row in rows:
            self.last = row.pk
            self.seen.add(row.event)
            where = f"{row.event} to {row.recipient.username}: {row.link!r}"
            assert re.fullmatch(EXPECTED[row.event], row.link), where
            if not row.link:
                continue
            client = self.client_of(row.recipient)
            response = client.post(reverse("notifications:read", args=[row.pk]), follow=True)
            assert response.redirect_chain[0][0] == row.link, where
            assert len(response.redirect_chain) == 1, (
                f"{where} sent on to {response.redirect_chain}"
            )
            assert response.status_code == 200, f"{where} answered {response.status_code}"


@pytest.fixture
def reader() -> Reader:
    return Reader()


def test_a_case_from_report_to_closure_leads_each_reader_to_their_page(demo, reader):
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = sexual_abuse_case(demo)
    hotline_case = make_case(demo["hotline"])
    reader.open_new()
    case_services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="high",
        immediate_danger=False,
        confirmed="abuse",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    with outbox.one_notice_per_person():  # one request: the chair hears once
        case_services.case_declare_emergency(
            actor=officer,
            case_id=case.pk,
            danger="…",
            measures_taken="…",
            harm_level="high",
            confirmed="abuse",
            separation_proposed=True,
            placement="Nhà bà ngoại",
        )
    reader.open_new()
    case_services.separation_decide(
        actor=chair,
        decision_id=SeparationDecision.objects.get(case=case).pk,
        approve=True,
        period_days=10,
        placement="Nhà bà ngoại",
    )
    case_services.case_extend_separation(actor=chair, case_id=case.pk, days=3, reason="…")
    reader.open_new()

    police = refer(demo, case, "police_report")
    forensic = refer(demo, case, "forensic_exam")
    medical = refer(demo, case, "medical_care")
    legal = refer(demo, case, "legal_aid")
    social = refer(demo, case, "social_support")
    reader.open_new()
    for referral, staff in ((police, "police"), (medical, "hospital"), (social, "social")):
        referral_services.referral_accept(actor=demo[staff], referral_id=referral.pk)
    referral_services.referral_decline(actor=demo["forensic"], referral_id=forensic.pk, reason="…")
    referral_services.referral_cancel(actor=officer, referral_id=legal.pk, reason="…")
    reader.open_new()
    forensic = refer(demo, case, "forensic_exam")
    legal = refer(demo, case, "legal_aid")
    for referral, staff in ((forensic, "forensic"), (legal, "legalaid")):
        referral_services.referral_accept(actor=demo[staff], referral_id=referral.pk)
    referral_services.referral_record_suspension(
        actor=demo["police"],
        referral_id=police.pk,
        suspended_on=timezone.localdate(),
        reason="Chờ kết luận giám định.",
    )
    reader.open_new()
    referral_services.referral_record_resumption(
        actor=demo["police"],
        referral_id=police.pk,
        resumed_on=timezone.localdate(),
        reason="Đã có kết luận giám định.",
    )
    reader.open_new()
    for referral, staff in (
        (police, "police"),
        (forensic, "forensic"),
        (medical, "hospital"),
        (legal, "legalaid"),
        (social, "social"),
    ):
        referral_services.referral_complete(
            actor=demo[staff], referral_id=referral.pk, outcome=outcome(referral.service)
        )
    reader.open_new()

    case_services.case_revoke_separation(actor=chair, case_id=case.pk, reason="…")
    case_services.case_end_emergency(
        actor=officer, case_id=case.pk, measures_applied="…", safe_location="Nhà bà ngoại"
    )
    plan: dict[str, Any] = {
        "assessment_summary": "…",
        "needs": "…",
        "meeting_held_at": timezone.now(),
        "meeting_participants": "…",
        "meeting_minutes": "…",
        "goals": "…",
        "consent": CONSENT,
        "measures": [
            case_services.MeasureData(
                "education_support", "Học bổ trợ", 60, agency("education_support")
            )
        ],
    }
    case_services.case_submit_plan(actor=officer, case_id=case.pk, **plan)
    reader.open_new()
    case_services.case_return_plan(actor=chair, case_id=case.pk, comments="Bổ sung.")
    reader.open_new()
    case_services.case_submit_plan(actor=officer, case_id=case.pk, **plan)
    case_services.case_approve_plan(actor=chair, case_id=case.pk, decision_number="1")
    reader.open_new()
    case_services.case_record_plan_refusal(
        actor=officer, case_id=case.pk, refused_by="Bố", reasons="…", commune_action="…"
    )
    case_services.case_start_review(actor=officer, case_id=case.pk)
    closure = {
        "remaining_harm": "low",
        "perpetrator_access": "low",
        "care_obstacles": "low",
        "resilience": "high",
        "reason": "goals_met",
    }
    case_services.case_propose_closure(actor=officer, case_id=case.pk, **closure)
    reader.open_new()
    case_services.case_return_closure(actor=chair, case_id=case.pk, comments="…")
    case_services.case_propose_closure(actor=officer, case_id=case.pk, **closure)
    reader.open_new()
    case.refresh_from_db()
    case_services.case_close(actor=chair, case_id=case.pk, **close_payload(case))
    reader.open_new()

    # A separation proposed on its own, without an emergency.
    other = advance(make_case(officer), "assess_initial", officer=officer, chair=chair)
    case_services.case_propose_separation(
        actor=officer, case_id=other.pk, placement="Nhà bà ngoại", grounds="…"
    )
    reader.open_new()

    # Transfers: declined (the case stays) and accepted (the case is the other commune's).
    commune_b = Unit.objects.get(structure="2025", code="14329")
    for accept in (False, True):
        transfer = case_services.case_transfer_request(
            actor=officer, case_id=other.pk, to_commune=commune_b, reason="Chuyển nhà."
        )
        reader.open_new()
        case_services.case_transfer_decide(
            actor=demo["officer_b"], transfer_id=transfer.pk, accept=accept
        )
        reader.open_new()

    # Deadlines: reminded, breached and escalated, then the daily list of what is overdue.
    late = make_case(officer, received_at=timezone.now())
    assert Case.objects.filter(pk=hotline_case.pk).exists()
    start = late.received_at
    for hours in (9.5, 12.5, 37):
        sweep_clocks(now=start + datetime.timedelta(hours=hours))
        reader.open_new()
    send_daily_digests(now=start + datetime.timedelta(hours=37))
    reader.open_new()
    # A separation whose period runs out: its end is told, not escalated.
    separated = make_case(officer)
    case_services.case_propose_separation(
        actor=officer, case_id=separated.pk, placement="Nhà bà ngoại", grounds="…"
    )
    case_services.case_decide_separation(
        actor=chair, case_id=separated.pk, approve=True, period_days=1
    )
    reader.open_new()
    sweep_clocks(now=separated.separationdecisions.get().ends_at)
    reader.open_new()

    assert reader.seen >= {
        event
        for event in EXPECTED
        if not event.startswith(("inspection_", "access_", "glass_"))
        and event not in ("case_role_granted", "password_set")
    }


def test_an_inspection_leads_its_team_and_its_heads_to_it(demo, reader):
    team = (another_inspector("inspector_2"), another_inspector("inspector_3"))
    head = User.objects.create_user("head_of_health", password="x")
    RoleMembership.objects.create(
        user=head, role="agency_head", agency=Agency.objects.get(name=LEAD_AGENCY)
    )
    inspection = advance_inspection(plan_inspection(demo, members=team), "reporting", demo)
    recommendation = inspection_services.recommendation_add(
        actor=team[0],
        inspection_id=inspection.pk,
        action="Niêm yết số Tổng đài 111",
        responsible="Nhà trường",
        due_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    reader.open_new()
    inspection_services.recommendation_resolve(
        actor=team[0], recommendation_id=recommendation.pk, done=True, evidence="Ảnh chụp"
    )
    reader.open_new()
    advance_inspection(inspection, "closed", demo)
    reader.open_new()
    cancelled = plan_inspection(demo, members=team, decision_number="02/QĐ-SYT")
    inspection_services.inspection_cancel(
        actor=demo["inspector"], inspection_id=cancelled.pk, reason="Trùng lịch."
    )
    reader.open_new()
    assert reader.seen == {event for event in EXPECTED if event.startswith("inspection_")}


def test_a_role_granted_and_a_password_set_are_told_without_a_link(demo, reader):
    newcomer = User.objects.create_user("newofficer", password="x")
    membership = RoleMembership.objects.create(
        user=newcomer,
        role="commune_officer",
        unit=Unit.objects.get(structure="2025", code="14329"),
    )
    record_role_change(
        actor=demo["admin"], membership=membership, verb="add", fields=["user", "role", "unit"]
    )
    reader.open_new()
    record_password_set(actor=demo["admin"], user=newcomer)
    reader.open_new()
    assert reader.seen == {"case_role_granted", "password_set"}


def test_access_notices_lead_the_grantee_to_the_case_and_the_commune_to_who_sees_it(
    demo, reader, fresh_search_counts
):
    officer = demo["officer_a"]
    case = make_case(officer)
    access = access_services.grant_access(
        actor=officer,
        case_id=case.pk,
        user_id=demo["school"].pk,
        sections=["child"],
        may_add_notes=False,
        days=5,
        explanation="Giáo viên chủ nhiệm.",
    )
    reader.open_new()
    access_services.revoke_access(actor=officer, access_id=access.pk)
    reader.open_new()
    access_services.break_glass(
        actor=demo["hospital"], code=case.code, reason="medical_emergency", explanation="Cấp cứu."
    )
    reader.open_new()
    emergency = CaseAccess.objects.get(kind="break_glass")
    head = User.objects.create_user("hospital_head", password="x")
    RoleMembership.objects.create(user=head, role="agency_head", agency=emergency.agency)
    access_services.review_access(
        actor=demo["province"], access_id=emergency.pk, justified=False, comment="Không cần."
    )
    reader.open_new()
    assert reader.seen == {"access_granted", "access_revoked", "glass_broken", "glass_unjustified"}
