"""Cases built through the services, as the demo roles would build them."""

import datetime
from typing import Any

from django.utils import timezone

from cases import services
from cases.closure import WorkChoice, open_work
from cases.models import Case
from core.models import Clock, Unit, User


def commune(code: str) -> Unit:
    return Unit.objects.valid_on(timezone.localdate()).get(code=code, level="commune")


def make_case(
    actor: User,
    *,
    commune_code: str = "14428",
    received_at: datetime.datetime | None = None,
    abuse_forms: tuple[str, ...] = ("physical_violence",),
    full_name: str = "Nguyễn Thị Lan",
    estimated_age: int = 9,
    **overrides: Any,
) -> Case:
    """A report recorded by `actor`; `overrides` are any other keyword of `case_create`."""
    values: dict[str, Any] = {
        "commune": commune(commune_code),
        "received_at": received_at or timezone.now() - datetime.timedelta(hours=1),
        "channel": "phone",
        "source": "neighbour",
        "description": "Trẻ bị đánh.",
        "situation": "abused",
        "abuse_forms": list(abuse_forms),
        "setting": "family",
        "reporter_name": "Trần Văn Hàng",
        "reporter_contact": "0912 345 678",
    }
    if "existing_child" not in overrides:
        values["child"] = services.ChildData(
            full_name=full_name, sex="female", estimated_age=estimated_age
        )
    return services.case_create(actor=actor, **(values | overrides))


def plan_payload(case: Case | None = None) -> dict[str, Any]:
    return {
        "assessment_summary": "Đánh giá chi tiết.",
        "needs": "Y tế, tâm lý.",
        "meeting_held_at": timezone.now(),
        "meeting_participants": "Cán bộ xã, gia đình",
        "meeting_minutes": "Biên bản.",
        "goals": "Trẻ an toàn.",
        "measures": [services.MeasureData("psychosocial", "Tư vấn tâm lý", 14)],
    }


def review_payload(case: Case | None = None) -> dict[str, Any]:
    """Notes and the progress of every measure of the case's approved plan."""
    assert case is not None, "a review reports on the case's own measures"
    plan = case.plans.filter(outcome="approved").order_by("-created_at").first()
    measures = plan.measures.all() if plan else []
    return {
        "notes": "Trẻ tiến bộ.",
        "measure_progress": {m.pk: "Đã thực hiện 2 buổi." for m in measures},
    }


def close_payload(case: Case | None = None) -> dict[str, Any]:
    """The chair's decision, with every piece of open work marked done (measures) or withdrawn."""
    work = {
        item.key: WorkChoice(
            decision="completed" if "completed" in item.decisions else "waived",
            reason="Không còn cần.",
        )
        for item in (open_work(case) if case is not None else [])
    }
    return {"decision_number": "09/QĐ", "work": work}


# Each step: (who runs it, its service, a valid payload given the case). Closing a case whose
# forms of abuse need services (physical violence…) also needs those referrals resolved: use
# abuse_forms=("other",).
STEPS: dict[str, tuple[str, Any, Any]] = {
    "assess_initial": (
        "officer",
        services.case_assess_initial,
        lambda case=None: {
            "harm_level": "medium",
            "immediate_danger": False,
            "findings": "Vết bầm.",
            "confirmed": "abuse",
            "safety_measures": "Ở nhà bà.",
        },
    ),
    "declare_emergency": (
        "officer",
        services.case_declare_emergency,
        lambda case=None: {
            "danger": "Bị đánh hằng ngày.",
            "measures_taken": "Đưa về nhà bà.",
            "harm_level": "high",
            "confirmed": "abuse",
        },
    ),
    "dismiss": (
        "officer",
        services.case_dismiss,
        lambda case=None: {"reason": "unfounded", "verification": "Đã gặp gia đình."},
    ),
    "end_emergency": (
        "officer",
        services.case_end_emergency,
        lambda case=None: {"measures_applied": "Ở nhà bà.", "safe_location": "Nhà bà ngoại"},
    ),
    "submit_plan": ("officer", services.case_submit_plan, plan_payload),
    "approve_plan": (
        "chair",
        services.case_approve_plan,
        lambda case=None: {"decision_number": "01/QĐ"},
    ),
    "return_plan": ("chair", services.case_return_plan, lambda case=None: {"comments": "Bổ sung."}),
    "record_review": ("officer", services.case_record_review, review_payload),
    "record_plan_refusal": (
        "officer",
        services.case_record_plan_refusal,
        lambda case=None: {
            "refused_by": "Bố của trẻ",
            "reasons": "Không đồng ý cho trẻ đi tư vấn.",
            "commune_action": "Gặp gia đình, giải thích; báo Chủ tịch.",
        },
    ),
    "start_review": ("officer", services.case_start_review, lambda case=None: {}),
    "revise_plan": (
        "officer",
        services.case_revise_plan,
        lambda case=None: {"reason": "Chuyển nhà."},
    ),
    "propose_closure": (
        "officer",
        services.case_propose_closure,
        lambda case=None: {
            "remaining_harm": "low",
            "perpetrator_access": "low",
            "care_obstacles": "medium",
            "resilience": "high",
            "reason": "goals_met",
        },
    ),
    "return_closure": (
        "chair",
        services.case_return_closure,
        lambda case=None: {"comments": "Cần theo dõi thêm."},
    ),
    "close": ("chair", services.case_close, close_payload),
    "reopen": ("officer", services.case_reopen, lambda case=None: {"information": "Tái phạm."}),
    "propose_separation": (
        "officer",
        services.case_propose_separation,
        lambda case=None: {"placement": "Nhà bà ngoại", "grounds": "Bố đánh trẻ."},
    ),
    "decide_separation": (
        "chair",
        services.case_decide_separation,
        lambda case=None: {
            "approve": True,
            "period_days": 10,
            "placement": "Nhà bà ngoại",
            "decision_number": "07/QĐ",
        },
    ),
    "extend_separation": (
        "chair",
        services.case_extend_separation,
        lambda case=None: {"days": 5, "reason": "Gia đình chưa an toàn."},
    ),
    "revoke_separation": (
        "chair",
        services.case_revoke_separation,
        lambda case=None: {"reason": "Gia đình đã bảo đảm an toàn."},
    ),
}


def advance(case: Case, *steps: str, officer: User, chair: User) -> Case:
    """Run the named transitions in order with valid default payloads; the case, refreshed."""
    for step in steps:
        role, service, payload = STEPS[step]
        case.refresh_from_db()
        actor = officer if role == "officer" else chair
        service(actor=actor, case_id=case.pk, **payload(case))
    case.refresh_from_db()
    return case


def snapshot(case: Case) -> tuple:
    """What a refused call must leave unchanged: the status, the history and the clocks."""
    case.refresh_from_db()
    clocks = list(
        Clock.objects.for_object(case).values_list("kind", "met_at", "stopped_at").order_by("id")
    )
    return case.status, case.events.count(), clocks


def open_clock_kinds(case: Case) -> set[str]:
    return set(Clock.objects.for_object(case).open().values_list("kind", flat=True))
