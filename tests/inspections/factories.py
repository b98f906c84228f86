"""Inspections built through their services, for the tests of any layer: `plan_inspection(demo)`
plans one led by the demo inspector, `advance(inspection, "reporting", demo)` walks it there."""

import datetime
from typing import Any

from django.utils import timezone

from core.models import Agency, Clock, RoleMembership, User
from inspections import services
from inspections.models import Inspection, Recommendation, Status

LEAD_AGENCY = "Sở Y tế tỉnh Ninh Bình"

# The step that leaves each state on the way to `closed`.
NEXT_STEP = {
    Status.PLANNED: "start",
    Status.IN_PROGRESS: "begin_reporting",
    Status.REPORTING: "conclude",
    Status.CONCLUDED: "follow_up",
    Status.FOLLOW_UP: "close",
}


def plan_inspection(users: dict[str, User], **overrides) -> Inspection:
    """An inter-agency inspection of school violence, planned by `users["inspector"]`, starting
    today; any field of services.Plan may be overridden."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "kind": "interagency",
        "topic": "school_violence",
        "title": "Kiểm tra liên ngành phòng, chống bạo lực học đường",
        "lead_agency": Agency.objects.get(name=LEAD_AGENCY),
        "decision_number": "01/QĐ-SYT",
        "decision_date": today - datetime.timedelta(days=3),
        "planned_start": today,
        "planned_end": today + datetime.timedelta(days=4),
    }
    return services.inspection_plan(
        actor=users["inspector"], plan=services.Plan(**(values | overrides))
    )


def another_inspector(username: str = "inspector_2") -> User:
    """An inspector of the demo inspector's agency, on no team until added to one."""
    user = User.objects.create_user(username, password="x", first_name="Minh", last_name="Hà")
    RoleMembership.objects.create(
        user=user, role="inspector", agency=Agency.objects.get(name=LEAD_AGENCY)
    )
    return user


def advance(inspection: Inspection, to_status: str, users: dict[str, User]) -> Inspection:
    """Run the steps from the inspection's state to `to_status` as `users["inspector"]`, the head
    of the team. Concluding states that no violation was found when no finding is recorded;
    closing needs every recommendation done or waived first."""
    inspection = Inspection.objects.get(pk=inspection.pk)
    while inspection.status != to_status:
        name = "cancel" if to_status == Status.CANCELLED else NEXT_STEP[inspection.status]
        payload: dict = {}
        if name == "conclude":
            found = inspection.findings.exists()
            conclusion = "Có vi phạm." if found else "Không phát hiện vi phạm."
            payload = {"conclusion": conclusion, "no_violation_found": not found}
        elif name == "cancel":
            payload = {"reason": "Thay đổi kế hoạch."}
        inspection = services.STEP_SERVICES[name](
            actor=users["inspector"], inspection_id=inspection.pk, **payload
        )
    return inspection


def late_recommendation(users: dict[str, User], *, days_late: int = 3) -> Recommendation:
    """A recommendation of an inspection in reporting, its due date `days_late` days past (made
    due today, then moved back with its clock: the service refuses a date in the past)."""
    inspection = advance(plan_inspection(users), Status.REPORTING, users)
    recommendation = services.recommendation_add(
        actor=users["inspector"],
        inspection_id=inspection.pk,
        action="Bố trí cán bộ chuyên trách.",
        responsible="UBND xã Nho Quan",
        due_date=timezone.localdate(),
    )
    recommendation.due_date = timezone.localdate() - datetime.timedelta(days=days_late)
    recommendation.save(update_fields=["due_date"])
    Clock.objects.for_object(recommendation).update(
        due_at=services.recommendation_due_at(recommendation.due_date)
    )
    return recommendation
