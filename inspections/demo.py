"""A handful of inspections in every state, led by the demo inspector, each step on its day: the
decision ten days before the start, the findings on site, the conclusion a week after."""

import datetime
from typing import Any

from django.utils import timezone

from core import demo
from core.models import Agency, Unit, User
from inspections import services
from inspections.models import InspectedSubject, Inspection, SubjectKind

LEAD = "Sở Y tế tỉnh Ninh Bình"


def seed_inspections(users: dict[str, User]) -> None:
    if Inspection.objects.exists():
        return
    inspector = users["inspector"]
    lead = Agency.objects.get(name=LEAD)
    culture = Agency.objects.get(name="Sở Văn hóa, Thể thao và Du lịch tỉnh Ninh Bình")
    commune_a = Unit.objects.get(structure="2025", code="14428")
    commune_b = Unit.objects.get(structure="2025", code="14329")
    today = timezone.localdate()
    # The registry is kept from before the first inspection below (20 weeks ago).
    with demo.at(demo.local_time(today - datetime.timedelta(weeks=22), 8)):
        school = services.subject_register(
            actor=inspector,
            kind=SubjectKind.SCHOOL,
            name="Trường Tiểu học Nho Quan",
            unit=commune_a,
        )
        homestay = services.subject_register(
            actor=inspector,
            kind=SubjectKind.TOURISM_BUSINESS,
            name="Homestay Tràng An Xanh",
            unit=commune_b,
        )
        centre = services.subject_register(
            actor=inspector,
            kind=SubjectKind.SOCIAL_SUPPORT_FACILITY,
            name="Trung tâm Công tác xã hội tỉnh Ninh Bình",
            unit=commune_b,
        )
    # (title, kind, topic, subjects, weeks from today, how far it goes)
    plans = [
        (
            "Kiểm tra liên ngành công tác bảo vệ trẻ em tại trường học",
            "interagency",
            "school_violence",
            [school],
            3,
            "planned",
        ),
        (
            "Kiểm tra chuyên đề bảo vệ bí mật đời sống riêng tư của trẻ em trên mạng",
            "thematic",
            "online_privacy",
            [homestay],
            -3,
            "reporting",
        ),
        (
            "Thanh tra việc trợ giúp pháp lý cho trẻ em",
            "thematic",
            "legal_aid_for_children",
            [centre],
            -4,
            "concluded",
        ),
        (
            "Thanh tra chuyên đề cơ sở trợ giúp xã hội",
            "thematic",
            "social_support_facility",
            [centre],
            -1,
            "in_progress",
        ),
        (
            "Kiểm tra cơ sở lưu trú du lịch về phòng, chống xâm hại trẻ em",
            "interagency",
            "tourism_related_abuse",
            [homestay],
            -6,
            "follow_up",
        ),
        (
            "Kiểm tra việc thực hiện nhiệm vụ bảo vệ trẻ em năm 2025",
            "thematic",
            "child_protection_duties",
            [school, centre],
            -20,
            "closed",
        ),
        (
            "Kiểm tra hoạt động văn hóa, thể thao dành cho trẻ em",
            "interagency",
            "culture_sport_activities",
            [],
            -2,
            "cancelled",
        ),
    ]
    for number, (title, kind, topic, subjects, weeks, goal) in enumerate(plans, start=1):
        start = today + datetime.timedelta(weeks=weeks)
        decided = start - datetime.timedelta(days=10)
        # Recorded on the day of the decision (today for the one decided ahead).
        with demo.at(demo.local_time(decided, 9)):
            inspection = services.inspection_plan(
                actor=inspector,
                plan=services.Plan(
                    kind=kind,
                    topic=topic,
                    title=title,
                    lead_agency=lead,
                    decision_number=f"{number:02d}/QĐ-SYT",
                    decision_date=decided,
                    planned_start=start,
                    planned_end=start + datetime.timedelta(days=5),
                    member_agencies=(culture,) if kind == "interagency" else (),
                    subjects=tuple(subjects),
                ),
            )
        advance(inspection, goal, inspector, subjects)


def advance(
    inspection: Inspection, goal: str, inspector: User, subjects: list[InspectedSubject]
) -> None:
    """Take the inspection to `goal`, each step on the day it happens: started on the planned
    day, reporting when the inspecting ends, concluded a week later, followed up the next day."""
    start, end = inspection.planned_start, inspection.planned_end
    concluded = end + datetime.timedelta(days=7)

    def step(name: str, day: datetime.date, hour: int, **payload: Any) -> None:
        with demo.at(demo.local_time(day, hour)):
            services.STEP_SERVICES[name](actor=inspector, inspection_id=inspection.pk, **payload)

    if goal == "planned":
        return
    if goal == "cancelled":
        reason = "Lùi thời gian do trùng lịch kiểm tra của Bộ."
        step("cancel", start - datetime.timedelta(days=3), 10, reason=reason)
        return
    step("start", start, 8)
    if goal == "in_progress":
        return
    with demo.at(demo.local_time(start + datetime.timedelta(days=1), 15)):
        finding = services.finding_record(
            actor=inspector,
            inspection_id=inspection.pk,
            subject=subjects[0] if subjects else None,
            description=(
                "Không niêm yết số Tổng đài 111; chưa có quy trình tiếp nhận tin báo xâm hại."
            ),
            legal_basis="Nghị định 130/2021/NĐ-CP, Điều 22",
            responsible="Chủ cơ sở",
            sanction="fine",
            fine_amount=7_500_000,
            head_held_accountable=True,
        )
    step("begin_reporting", end, 16)
    if goal == "reporting":
        return
    with demo.at(demo.local_time(concluded, 9)):
        recommendation = services.recommendation_add(
            actor=inspector,
            inspection_id=inspection.pk,
            finding=finding,
            action="Niêm yết số Tổng đài 111 và ban hành quy trình tiếp nhận tin báo.",
            responsible=finding.responsible,
            due_date=timezone.localdate() + datetime.timedelta(days=30),
        )
    conclusion = "Cơ sở vi phạm quy định về bảo vệ trẻ em."
    step("conclude", concluded, 10, conclusion=conclusion, no_violation_found=False)
    if goal == "concluded":
        return
    step("follow_up", concluded + datetime.timedelta(days=1), 9)
    if goal == "closed":
        resolved = concluded + datetime.timedelta(days=20)
        with demo.at(demo.local_time(resolved, 14)):
            services.recommendation_resolve(
                actor=inspector,
                recommendation_id=recommendation.pk,
                done=True,
                evidence="Ảnh chụp bảng niêm yết, quyết định ban hành quy trình số 05/QĐ.",
            )
        step("close", resolved, 15)
