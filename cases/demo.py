"""About thirty invented cases across every state, in communes A and B of the demo world, each
step taken at its own time: received months or hours ago, assessed hours later, and so on."""

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cases import services
from cases.choices import ConsentBasis
from cases.consent import Consent
from cases.models import Case
from core import demo
from core.models import Agency, Unit, User

GIVEN = [
    "An",
    "Bảo",
    "Chi",
    "Dương",
    "Giang",
    "Hạnh",
    "Hiếu",
    "Khoa",
    "Linh",
    "Mai",
    "Nam",
    "Ngân",
    "Phúc",
    "Quỳnh",
    "Sang",
    "Tâm",
    "Thư",
    "Trang",
    "Uyên",
    "Vy",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = {"female": "Thị", "male": "Văn"}

# How far each demo case goes through the procedure, in order. Closing waits for the required
# referrals, which the referrals app's demo completes before it closes some of these.
PATHS = [
    [],
    ["assess_initial"],
    ["declare_emergency"],
    ["assess_initial", "submit_plan"],
    ["assess_initial", "submit_plan", "approve_plan"],
    ["assess_initial", "submit_plan", "approve_plan", "start_review"],
    ["assess_initial", "submit_plan", "approve_plan", "start_review"],
    ["dismiss"],
    ["declare_emergency", "end_emergency"],
    ["assess_initial", "submit_plan", "return_plan"],
    ["assess_initial", "submit_plan", "approve_plan", "record_review"],
    ["declare_emergency", "propose_separation", "decide_separation"],
    ["assess_initial", "propose_separation"],
]


# How long after the step before each step is taken, in hours (least, most): mostly within the
# law's deadlines (12 hours to assess, 5 working days to plan), now and then not.
STEP_HOURS = {
    "assess_initial": (2, 15),
    "declare_emergency": (1, 6),
    "end_emergency": (24, 120),
    "submit_plan": (24, 150),
    "approve_plan": (4, 60),
    "return_plan": (4, 60),
    "start_review": (25 * 24, 35 * 24),  # the review clock runs 30 days
    "record_review": (25 * 24, 35 * 24),
    # On an emergency the separation follows within hours: the chair's 12 hours run from the
    # report (Decree 56/2017 Art. 26(3), 32(2)).
    "propose_separation": (0.5, 3),
    "decide_separation": (1, 8),
    "dismiss": (4, 72),
}
# From the report to its record: the officer writes it up within the hour or two.
RECORDED_MINUTES = (5, 90)


@dataclass(frozen=True)
class DemoCase:
    index: int
    side: str  # the commune: "a" or "b"
    received: datetime.datetime
    report: dict[str, Any]  # case_create's arguments but the actor, the commune and the time
    steps: list[tuple[str, datetime.datetime]]
    recorded: datetime.datetime


def seed_cases(users: dict[str, User]) -> None:
    if Case.objects.filter(code__startswith="37-").exists():
        return  # seeded before: leave the officers' work alone
    hospital = Agency.objects.get(name="Bệnh viện Đa khoa tỉnh Ninh Bình")
    communes = {
        "a": Unit.objects.get(structure="2025", code="14428"),
        "b": Unit.objects.get(structure="2025", code="14329"),
    }
    # Recorded in the order they were received, as an officer would: codes follow the dates.
    for spec in sorted(draw_cases(), key=lambda spec: spec.recorded):
        officer, chair = users[f"officer_{spec.side}"], users[f"chair_{spec.side}"]
        with demo.at(spec.recorded):
            case = services.case_create(
                actor=users["hotline"] if spec.index % 7 == 0 else officer,
                commune=communes[spec.side],
                received_at=spec.received,
                **spec.report,
            )
        for step, when in spec.steps:
            with demo.at(when):
                run_step(step, case, officer, chair, hospital)


def draw_cases() -> list[DemoCase]:
    """The thirty reports and when each of their steps happens, the same on every run."""
    rng = random.Random(37)
    timing = random.Random(56)  # apart, so the reports stay those drawn before steps had times
    now = demo.real_now()
    cases = []
    for index in range(30):
        side = "a" if index % 3 else "b"
        sex = rng.choice(["female", "male"])
        received = now - datetime.timedelta(days=rng.randint(0, 120), hours=rng.randint(0, 23))
        report = draw_report(rng, index, sex)
        path = PATHS[index % len(PATHS)]
        recorded_after = datetime.timedelta(minutes=timing.randint(*RECORDED_MINUTES))
        gaps = [datetime.timedelta(hours=timing.uniform(*STEP_HOURS[step])) for step in path]
        # A case whose steps would not all be over by now was received that much earlier
        # (and a few hours more, so its last step is not a minute ago).
        latest = now - demo.MARGIN - recorded_after - sum(gaps, datetime.timedelta())
        if received > latest:
            received = latest - datetime.timedelta(hours=timing.uniform(2, 48))
        recorded = received + recorded_after
        times = demo.schedule(recorded, gaps)
        cases.append(
            DemoCase(index, side, received, report, list(zip(path, times, strict=True)), recorded)
        )
    return cases


def draw_report(rng: random.Random, index: int, sex: str) -> dict[str, Any]:
    return {
        "channel": rng.choice(["hotline_111", "in_person", "phone"]),
        "source": rng.choice(["family", "neighbour", "school", "child_self"]),
        "description": "Hàng xóm báo trẻ thường xuyên bị đánh, có vết bầm trên tay.",
        "situation": rng.choice(["abused", "at_risk"]),
        "abuse_forms": [
            rng.choice(["physical_violence", "neglect", "psychological_violence", "sexual_abuse"])
        ],
        "setting": rng.choice(["family", "school", "public_place"]),
        "perpetrator_relation": rng.choice(["parent", "relative", "acquaintance", "unknown"]),
        "child": services.ChildData(
            full_name=f"{rng.choice(FAMILY)} {MIDDLE[sex]} {rng.choice(GIVEN)}",
            sex=sex,
            # A child is under 16 on the report's date (Law on Children Art. 1).
            estimated_age=rng.randint(3, 15),
            ethnicity=rng.choice(["01", "01", "01", "06"]),
            carers=(
                {
                    "name": f"{rng.choice(FAMILY)} Thị {rng.choice(GIVEN)}",
                    "relation": "mẹ",
                    "age": rng.randint(25, 50),
                    "occupation": "làm ruộng",
                    "contact": "",
                },
            ),
            family_circumstances="Hộ cận nghèo, bố đi làm ăn xa.",
            # A few children in special circumstances (Law on Children Art. 10): abandoned,
            # or with a disability (group d).
            special_circumstances=("b",) if index % 5 == 0 else (),
            disability=index % 8 == 0,
        ),
        "likely_harm": "Trẻ tiếp tục bị đánh, ảnh hưởng sức khỏe và việc học.",
        "actions_taken": "Hàng xóm đã đưa trẻ sang nhà bà ngoại.",
        "receiving_body": "UBND xã",
    }


def run_step(step: str, case: Case, officer: User, chair: User, hospital: Agency) -> None:
    now = timezone.now()
    match step:
        case "assess_initial":
            services.case_assess_initial(
                actor=officer,
                case_id=case.pk,
                harm_level="medium",
                immediate_danger=False,
                # A report of abuse is confirmed; one of risk, the risk (the reports count both).
                confirmed="abuse" if case.situation == "abused" else "risk",
                safety_measures="Trẻ ở với bà ngoại; công an xã được báo.",
                findings="Trẻ có vết bầm cũ, hiện ở với bà ngoại, không nguy hiểm tức thời.",
            )
        case "declare_emergency":
            services.case_declare_emergency(
                actor=officer,
                case_id=case.pk,
                harm_level="high",
                confirmed="abuse" if case.situation == "abused" else "risk",
                danger="Trẻ bị đe dọa tiếp tục bị đánh.",
                measures_taken="Đưa trẻ đến nhà người thân, báo công an xã.",
            )
        case "end_emergency":
            services.case_end_emergency(
                actor=officer,
                case_id=case.pk,
                measures_applied="Trẻ ở với cô ruột.",
                safe_location="Nhà cô ruột",
            )
        case "submit_plan":
            services.case_submit_plan(
                actor=officer,
                case_id=case.pk,
                assessment_summary="Trẻ cần chăm sóc y tế và hỗ trợ tâm lý.",
                needs="Khám sức khỏe, tư vấn tâm lý, hỗ trợ học tập.",
                meeting_held_at=now,
                meeting_participants="Cán bộ xã, gia đình, nhà trường",
                meeting_minutes="Thống nhất kế hoạch.",
                goals="Trẻ an toàn và trở lại trường.",
                measures=[services.MeasureData("medical_care", "Khám và điều trị", 7, hospital)],
                consent=Consent(ConsentBasis.CONSENT, by_carer=True, by_child=True),
            )
        case "approve_plan":
            services.case_approve_plan(actor=chair, case_id=case.pk, decision_number="12/QĐ-UBND")
        case "return_plan":
            services.case_return_plan(
                actor=chair, case_id=case.pk, comments="Bổ sung biện pháp hỗ trợ học tập."
            )
        case "start_review":
            services.case_start_review(actor=officer, case_id=case.pk)
        case "record_review":
            measures = case.plans.get(outcome="approved").measures.all()
            services.case_record_review(
                actor=officer,
                case_id=case.pk,
                notes="Gia đình hợp tác; trẻ đi học đều.",
                measure_progress={m.pk: "Đã khám, đang theo dõi." for m in measures},
            )
        case "propose_separation":
            services.case_propose_separation(
                actor=officer,
                case_id=case.pk,
                placement="Nhà bà ngoại, thôn Đông",
                grounds="Cha đánh trẻ nhiều lần; mẹ không bảo vệ được trẻ.",
            )
        case "decide_separation":
            services.case_decide_separation(
                actor=chair, case_id=case.pk, approve=True, period_days=10, decision_number="7/QĐ"
            )
        case "dismiss":
            services.case_dismiss(
                actor=officer,
                case_id=case.pk,
                reason="unfounded",
                verification="Cán bộ xã đến nhà, gặp trẻ và nhà trường: trẻ không bị đánh.",
            )
