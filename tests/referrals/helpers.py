"""Building referral scenarios through the services, as the demo roles would."""

import datetime
from typing import Any

from django.utils import timezone

from cases import services as case_services
from cases.choices import ConsentBasis
from cases.consent import Consent
from cases.models import Case
from core.models import Agency, Unit, User
from referrals import services
from referrals.models import Referral

AGENCY_OF = {
    "police_report": ("Công an tỉnh Ninh Bình", "police"),
    "forensic_exam": ("Trung tâm Pháp y tỉnh Ninh Bình", "forensic"),
    "medical_care": ("Bệnh viện Đa khoa tỉnh Ninh Bình", "hospital"),
    "legal_aid": ("Trung tâm Trợ giúp pháp lý nhà nước tỉnh Ninh Bình", "legalaid"),
    "social_support": ("Trung tâm Công tác xã hội tỉnh Ninh Bình", "social"),
    "psychosocial": ("Trung tâm Công tác xã hội tỉnh Ninh Bình", "social"),
    "education_support": ("Trường Tiểu học Nho Quan", "school"),
}
CONSENT = Consent(ConsentBasis.CONSENT, by_carer=True, by_child=True)


def agency(service: str) -> Agency:
    return Agency.objects.get(name=AGENCY_OF[service][0])


def staff_of(users: dict[str, User], service: str) -> User:
    return users[AGENCY_OF[service][1]]


def sexual_abuse_case(
    users: dict[str, User], *, received_at: datetime.datetime | None = None
) -> Case:
    return case_services.case_create(
        actor=users["officer_a"],
        commune=Unit.objects.get(structure="2025", code="14428"),
        received_at=received_at or timezone.now() - datetime.timedelta(hours=2),
        channel="hotline_111",
        source="school",
        description="Cô giáo phát hiện trẻ có dấu hiệu bị xâm hại tình dục.",
        situation="abused",
        abuse_forms=["sexual_abuse"],
        sexual_abuse_forms=["molestation"],
        setting="family",
        perpetrator_relation="relative",
        child_condition="Có vết thương vùng kín, đang sợ hãi.",
        child=case_services.ChildData(full_name="Đinh Thị Hoa", sex="female", estimated_age=11),
    )


def refer(users: dict[str, User], case: Case, service: str, **overrides) -> Referral:
    values: dict[str, Any] = {
        "service": service,
        "agency": agency(service),
        "consent": CONSENT,
        "reason": "…",
    }
    return services.referral_create(
        actor=users["officer_a"], case_id=case.pk, **(values | overrides)
    )


def outcome(service: str) -> dict[str, Any]:
    now = timezone.now()
    outcomes: dict[str, dict[str, Any]] = {
        # The receipt is the one the police entered on accepting (Art. 147).
        "police_report": {
            "police_decision": "prosecuted",
            "decision_date": timezone.localdate(),
            "child_friendly_room": True,
        },
        "forensic_exam": {"examined_at": now, "report_reference": "PY-117"},
        "medical_care": {
            "admitted_at": now - datetime.timedelta(days=2),
            "discharged_at": now,
            "summary": "Ổn định.",
        },
        "legal_aid": {"provider": "Luật sư Trần Minh", "proceedings": "Bảo vệ quyền lợi của trẻ."},
    }
    return outcomes.get(service, {"services_given": "Hỗ trợ vật chất, tư vấn."})


def to_review(users: dict[str, User], case: Case) -> Case:
    officer, chair = users["officer_a"], users["chair_a"]
    case_services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="high",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="…",
    )
    case_services.case_submit_plan(
        actor=officer,
        case_id=case.pk,
        assessment_summary="…",
        needs="…",
        meeting_held_at=timezone.now(),
        meeting_participants="…",
        meeting_minutes="…",
        goals="…",
        measures=[case_services.MeasureData("psychosocial", "Tư vấn", 30)],
    )
    case_services.case_approve_plan(actor=chair, case_id=case.pk, decision_number="1")
    case_services.case_start_review(actor=officer, case_id=case.pk)
    case.refresh_from_db()
    return case


CLOSE = {
    "remaining_harm": "low",
    "perpetrator_access": "low",
    "care_obstacles": "low",
    "resilience": "high",
    "reason": "goals_met",
}
