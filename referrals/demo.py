"""Demo referrals in every state, and a few cases carried through their services to closure, each
step at its own time after the case's last: accepted within hours, completed days later."""

import datetime
import random
from typing import Any

from django.utils import timezone

from cases import services as case_services
from cases.choices import ConsentBasis
from cases.closure import WorkChoice, open_work
from cases.consent import Consent
from cases.models import Case
from core import demo
from core.models import Agency, User
from referrals import services
from referrals.models import Referral
from referrals.pathways import required_services

# The demo agency and its demo user for each service.
PROVIDERS = {
    "police_report": ("Công an tỉnh Ninh Bình", "police"),
    "forensic_exam": ("Trung tâm Pháp y tỉnh Ninh Bình", "forensic"),
    "medical_care": ("Bệnh viện Đa khoa tỉnh Ninh Bình", "hospital"),
    "legal_aid": ("Trung tâm Trợ giúp pháp lý nhà nước tỉnh Ninh Bình", "legalaid"),
    "social_support": ("Trung tâm Công tác xã hội tỉnh Ninh Bình", "social"),
    "psychosocial": ("Trung tâm Công tác xã hội tỉnh Ninh Bình", "social"),
    "education_support": ("Trường Tiểu học Nho Quan", "school"),
}
CONSENT = Consent(ConsentBasis.CONSENT, by_carer=True, by_child=True)


def hours(least: float, most: float, rng: random.Random) -> datetime.timedelta:
    return datetime.timedelta(hours=rng.uniform(least, most))


def last_step_of(case: Case) -> datetime.datetime:
    """When the case's history last moved: what is done to it now comes after."""
    return case.events.order_by("-at").values_list("at", flat=True).first() or case.received_at


def outcome_for(referral: Referral) -> dict[str, Any]:
    now = timezone.now()
    accepted = referral.accepted_at or now
    outcomes: dict[str, dict[str, Any]] = {
        "police_report": {
            "report_received_at": referral.report_received_at or accepted,
            "police_decision": "prosecuted",
            "decision_date": timezone.localdate(),
            "child_friendly_room": True,
        },
        "forensic_exam": {"examined_at": accepted, "report_reference": "PY-2026-117"},
        "medical_care": {
            "admitted_at": accepted,
            "discharged_at": now,
            "summary": "Đã điều trị ổn định.",
        },
        "legal_aid": {
            "provider": "Luật sư Trần Minh",
            "proceedings": "Tham gia tố tụng bảo vệ trẻ.",
        },
    }
    return outcomes.get(
        referral.service, {"services_given": "Tư vấn, hỗ trợ vật chất và theo dõi tại gia đình."}
    )


def refer(case: Case, officer: User, service: str, consent: Consent = CONSENT) -> Referral:
    agency = Agency.objects.get(name=PROVIDERS[service][0])
    return services.referral_create(
        actor=officer,
        case_id=case.pk,
        service=service,
        agency=agency,
        consent=consent,
        reason="Theo kế hoạch hỗ trợ, can thiệp.",
    )


def seed_referrals(users: dict[str, User]) -> None:
    # Plans approved by the cases demo have raised pending referrals; anything further means the
    # agencies have already worked, in a previous run or by hand.
    if Referral.objects.exclude(status="pending").exists():
        return
    rng = random.Random(114)
    for side in "ab":
        officer, chair = users[f"officer_{side}"], users[f"chair_{side}"]
        in_scope = Case.objects.filter(unit_path__endswith="/14428/" if side == "a" else "/14329/")
        # The first case in review is closed; in the first commune the next one waits for the
        # chair's decision on its closure, in the other it stays in review.
        for number, case in enumerate(in_scope.filter(status="review").order_by("id")):
            if number == 0 or side == "a":
                carry_to_closure(case, officer, chair, users, close=number == 0, rng=rng)
        for case in in_scope.filter(status="emergency"):
            # The police are told within hours of the emergency.
            with demo.at(last_step_of(case) + hours(0.5, 4, rng)):
                refer(case, officer, "police_report", Consent(ConsentBasis.EMERGENCY))
    # The pending referrals the approved plans raised: one of each fate, a day or two after.
    pending = Referral.objects.filter(status="pending", case__status="intervention").order_by("id")
    fates = ["accept", "decline", "cancel", "keep"]
    for referral, fate in zip(pending, fates * len(pending), strict=False):
        staff = users[PROVIDERS[referral.service][1]]
        officer = users["officer_a" if referral.unit_path.endswith("/14428/") else "officer_b"]
        decided, waived = demo.schedule(referral.sent_at, [hours(2, 40, rng), hours(2, 24, rng)])
        if fate == "accept":
            with demo.at(decided):
                services.referral_accept(actor=staff, referral_id=referral.pk)
        elif fate == "decline":
            with demo.at(decided):
                services.referral_decline(
                    actor=staff,
                    referral_id=referral.pk,
                    reason="Quá tải, đề nghị chuyển nơi khác.",
                )
            if referral.service in required_services(referral.case):
                chair = users["chair_a" if referral.unit_path.endswith("/14428/") else "chair_b"]
                reason = "Gia đình đã đưa trẻ điều trị tại cơ sở y tế khác, có giấy xác nhận."
                with demo.at(waived):
                    services.referral_waive(
                        actor=chair,
                        case_id=referral.case_id,
                        service=referral.service,
                        reason=reason,
                    )
        elif fate == "cancel":
            with demo.at(decided):
                services.referral_cancel(
                    actor=officer,
                    referral_id=referral.pk,
                    reason="Gia đình đã tự đưa trẻ đi khám.",
                )


def carry_to_closure(
    case: Case,
    officer: User,
    chair: User,
    users: dict[str, User],
    *,
    close: bool,
    rng: random.Random,
) -> None:
    """Each required service referred (if it was not), accepted within the day and completed
    days later; then the officer proposes the closure and the chair decides."""
    needed = sorted(required_services(case))
    gaps = []
    for _service in needed:
        gaps += [hours(1, 6, rng), hours(2, 20, rng), hours(24, 4 * 24, rng)]
    gaps += [hours(24, 72, rng), hours(4, 40, rng)]
    times = iter(demo.schedule(last_step_of(case), gaps))
    for service in needed:
        referred, accepted, completed = next(times), next(times), next(times)
        referral = Referral.objects.filter(
            case=case, service=service, status__in=["pending", "accepted"]
        ).first()
        if referral is None:
            with demo.at(referred):
                referral = refer(case, officer, service)
        staff = users[PROVIDERS[service][1]]
        if referral.status == "pending":
            with demo.at(accepted):
                referral = services.referral_accept(actor=staff, referral_id=referral.pk)
        with demo.at(completed):
            services.referral_complete(
                actor=staff, referral_id=referral.pk, outcome=outcome_for(referral)
            )
    proposed, closed = next(times), next(times)
    with demo.at(proposed):
        case_services.case_propose_closure(
            actor=officer,
            case_id=case.pk,
            remaining_harm="low",
            perpetrator_access="low",
            care_obstacles="low",
            resilience="high",
            reason="goals_met",
        )
    if not close:
        return
    # The chair decides on what is still open: the commune's own measures were carried out,
    # a suggested referral still open is no longer needed.
    work = {
        item.key: WorkChoice(
            "completed" if "completed" in item.decisions else "waived",
            "Trẻ đã ổn định, không còn cần.",
        )
        for item in open_work(case)
    }
    with demo.at(closed):
        case_services.case_close(
            actor=chair, case_id=case.pk, decision_number="15/QĐ-UBND", work=work
        )
