"""What notifies whom (DOMAIN §7, issue 5): each case event turned into outbox rows."""

from django.utils import timezone

from cases.models import Case
from core.models import Role, Unit
from notifications.recipients import agency_staff, staff_of_unit
from notifications.services import notify
from referrals.models import Referral

OFFICER, CHAIR, PROVINCE = Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.PROVINCIAL_OFFICER


def tell(key: str, case: Case, event: str, recipients, actor, params: dict | None = None) -> None:
    notify(
        key=key,
        recipients=[user for user in recipients if user.pk != actor.pk],
        event=event,
        params={"code": case.code} | (params or {}),
        link=f"/cases/{case.pk}/",
    )


def on_case_event(event: str, *, case: Case, actor, details: dict, event_id: int) -> None:
    """`event_id` (the history row) keys the notifications: the same step twice notifies twice,
    the same event delivered twice does not."""
    action = event.removeprefix("case.")
    commune = case.unit_path
    key = f"case-event:{event_id}"
    if action == "create":
        tell(key, case, "case_received", staff_of_unit(commune, OFFICER), actor)
    elif action == "declare_emergency":
        recipients = staff_of_unit(commune, CHAIR) + staff_of_unit(commune, PROVINCE)
        tell(key, case, "emergency_declared", recipients, actor)
        if details.get("separation_proposed"):
            tell(
                f"{key}:separation",
                case,
                "separation_proposed",
                staff_of_unit(commune, CHAIR),
                actor,
            )
    elif action == "submit_plan":
        tell(key, case, "plan_submitted", staff_of_unit(commune, CHAIR), actor)
    elif action in ("approve_plan", "return_plan"):
        event_name = "plan_approved" if action == "approve_plan" else "plan_returned"
        tell(key, case, event_name, staff_of_unit(commune, OFFICER), actor)
    elif action in ("transfer_accepted", "transfer_declined"):
        unit = Unit.objects.valid_on(timezone.localdate()).filter(code=details["from"]).first()
        if unit is not None:
            tell(key, case, "transfer_decided", staff_of_unit(unit.path, OFFICER), actor)
    elif action == "separation_decided":
        tell(key, case, "separation_decided", staff_of_unit(commune, OFFICER), actor)
    elif action == "transfer_requested":
        unit = Unit.objects.valid_on(timezone.localdate()).filter(code=details["to"]).first()
        if unit is not None:
            tell(key, case, "transfer_requested", staff_of_unit(unit.path, OFFICER), actor)
    elif action.startswith("referral_"):
        on_referral_event(key, case, action, actor, details)


def on_referral_event(key: str, case: Case, action: str, actor, details: dict) -> None:
    referral = Referral.objects.filter(pk=details.get("referral")).first()
    if referral is None:
        return
    params = {"service": referral.service}
    if action == "referral_sent":
        tell(key, case, "referral_received", agency_staff(referral.agency_id), actor, params)
    elif action == "referral_cancelled" and referral.agency_id:
        tell(key, case, "referral_cancelled", agency_staff(referral.agency_id), actor, params)
    elif action in ("referral_accepted", "referral_declined", "referral_completed"):
        recipients = staff_of_unit(case.unit_path, OFFICER)
        tell(key, case, action, recipients, actor, params)
