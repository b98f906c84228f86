"""What notifies whom (DOMAIN §7): each event of a case or a referral turned into outbox rows.

Every step of the case workflow is either in `CASE_STEP_NOTICES` or in `SILENT_CASE_STEPS`, and
every referral step in `REFERRAL_STEP_NOTICES` or `SILENT_REFERRAL_STEPS`; a test holds both
tables to the workflows, so a new step cannot go unheard by accident.

Notifications are keyed by the history row of the event: the same step taken twice notifies
twice, and the same event delivered twice does not. Each names its case as its topic, so one
step tells each person once however many events it publishes (notifications/outbox.py):
six referrals sent together reach each agency once, and the emergency that proposes a
separation reaches the chair once.

Each notification links to the page where its reader acts (`LINKS`): the referral to accept,
the chair's queue for a separation to decide, the plan or the closure proposal on the case page,
the commune's list for a transfer to answer; otherwise the case page.

Outside the cases, a role that reads children's data granted in the admin (core/grants.py) is
told to the provincial officers of the province it serves, keyed by the grant's audit row.
"""

from collections.abc import Callable, Iterable

from django.urls import reverse

from cases.events import (
    CaseChange,
    CaseRecorded,
    CaseStepTaken,
    SeparationDecided,
    SeparationProposed,
    TransferDecided,
    TransferRequested,
)
from cases.models import Case
from core.events import subscribe
from core.grants import CaseRoleGranted, PasswordSet
from core.models import Role, User
from core.staff import agency_staff, staff_of_unit
from notifications.outbox import notify
from referrals.events import ReferralStepTaken

OFFICER, CHAIR, PROVINCE = Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.PROVINCIAL_OFFICER

# Step → (the notification's text, who of the case's commune hears of it).
CASE_STEP_NOTICES: dict[str, tuple[str, tuple[Role, ...]]] = {
    "declare_emergency": ("emergency_declared", (CHAIR, PROVINCE)),
    "submit_plan": ("plan_submitted", (CHAIR,)),
    "approve_plan": ("plan_approved", (OFFICER,)),
    "return_plan": ("plan_returned", (OFFICER,)),
    "record_plan_refusal": ("plan_refused", (CHAIR,)),
    "propose_closure": ("closure_proposed", (CHAIR,)),
    "return_closure": ("closure_returned", (OFFICER,)),
    "close": ("case_closed", (OFFICER,)),
    "propose_separation": ("separation_proposed", (CHAIR,)),
    "decide_separation": ("separation_decided", (OFFICER,)),
    "extend_separation": ("separation_extended", (OFFICER,)),
    "revoke_separation": ("separation_revoked", (OFFICER,)),
}
# The officer takes these steps and nobody else waits for them; they stay in the history.
SILENT_CASE_STEPS = frozenset(
    {
        "assess_initial",
        "dismiss",
        "end_emergency",
        "record_review",
        "start_review",
        "revise_plan",
        "reopen",
    }
)

# Step → (the notification's text, who hears: the receiving agency or the sending commune).
REFERRAL_STEP_NOTICES: dict[str, tuple[str, str]] = {
    "sent": ("referral_received", "agency"),
    "cancelled": ("referral_cancelled", "agency"),
    "accepted": ("referral_accepted", "commune"),
    "declined": ("referral_declined", "commune"),
    "completed": ("referral_completed", "commune"),
    # Not a final decision (Criminal Procedure Code Art. 148): the commune keeps waiting.
    "suspended": ("referral_suspended", "commune"),
    "resumed": ("referral_resumed", "commune"),
}
# Within the agency (assigned), decided by the chair (waived), or a new due date the clocks
# already remind of (extended, receipt_corrected).
SILENT_REFERRAL_STEPS = frozenset({"assigned", "waived", "extended", "receipt_corrected"})


def case_page(case: Case, section: str = "") -> str:
    return reverse("cases:detail", args=[case.pk]) + (f"#{section}" if section else "")


# Text → the page where its reader acts, when it is not the case page.
LINKS: dict[str, Callable[[Case], str]] = {
    "plan_submitted": lambda case: case_page(case, "plans"),
    "closure_proposed": lambda case: case_page(case, "closure"),
    "separation_proposed": lambda case: reverse("cases:queue") + "#separations-waiting",
    # Not yet the commune's case: the offer is answered from the commune's list.
    "transfer_requested": lambda case: reverse("cases:list") + "#incoming-transfers",
}


def tell(
    key: str,
    case: Case,
    text: str,
    recipients: Iterable[User],
    actor: User,
    params: dict[str, str] | None = None,
    link: str = "",
    summary_link: str = "",
) -> None:
    """Notify everyone concerned but the one who did it; the texts name only the case's code."""
    notify(
        key=key,
        recipients=[user for user in recipients if user.pk != actor.pk],
        event=text,
        params={"code": case.code} | (params or {}),
        link=link or LINKS.get(text, case_page)(case),
        topic=f"case:{case.pk}",
        summary_link=summary_link or case_page(case),
    )


def key_of(event: CaseChange) -> str:
    return f"case-event:{event.history_id}"


def on_case_recorded(event: CaseRecorded) -> None:
    officers = staff_of_unit(event.case.unit_path, OFFICER)
    tell(key_of(event), event.case, "case_received", officers, event.actor)


def on_case_step(event: CaseStepTaken) -> None:
    notice = CASE_STEP_NOTICES.get(event.step)
    if notice is not None:
        text, roles = notice
        recipients = [user for role in roles for user in staff_of_unit(event.case.unit_path, role)]
        tell(key_of(event), event.case, text, recipients, event.actor)


def on_separation_proposed(event: SeparationProposed) -> None:
    chairs = staff_of_unit(event.case.unit_path, CHAIR)
    tell(f"{key_of(event)}:separation", event.case, "separation_proposed", chairs, event.actor)


def on_separation_decided(event: SeparationDecided) -> None:
    officers = staff_of_unit(event.case.unit_path, OFFICER)
    tell(key_of(event), event.case, "separation_decided", officers, event.actor)


def on_transfer_requested(event: TransferRequested) -> None:
    officers = staff_of_unit(event.to_unit_path, OFFICER)
    tell(key_of(event), event.case, "transfer_requested", officers, event.actor)


def on_transfer_decided(event: TransferDecided) -> None:
    officers = staff_of_unit(event.from_unit_path, OFFICER)
    # Accepted, the case is the other commune's now: its former officers no longer open it.
    link = reverse("cases:list") if event.accepted else ""
    tell(key_of(event), event.case, "transfer_decided", officers, event.actor, link=link)


def on_referral_step(event: ReferralStepTaken) -> None:
    notice = REFERRAL_STEP_NOTICES.get(event.step)
    referral = event.referral
    if notice is None:
        return
    text, who = notice
    case = referral.case
    # The referral's own page, where the agency accepts and the commune reads the outcome; the
    # agency sees it whatever its state. Several at once lead to the list they are in.
    link = reverse("referrals:detail", args=[referral.pk])
    if who == "agency":
        recipients = agency_staff(referral.agency_id) if referral.agency_id else []
        summary = reverse("referrals:inbox")
    else:
        recipients = staff_of_unit(case.unit_path, OFFICER)
        summary = case_page(case, "referrals")
        if text == "referral_declined":  # re-refer or waive: both on the case's referrals
            link = summary
    params = {"service": referral.service}
    key = f"case-event:{event.history_id}"
    tell(key, case, text, recipients, event.actor, params, link=link, summary_link=summary)


def on_case_role_granted(event: CaseRoleGranted) -> None:
    """Who may now read children's data, told to the province's provincial officers (not to
    the one who granted it, nor to the one who received it)."""
    membership = event.membership
    officers = staff_of_unit(event.unit_path, PROVINCE) if event.unit_path else []
    notify(
        key=f"role-granted:{event.audit_id}",
        recipients=[
            user for user in officers if user.pk not in (event.actor.pk, membership.user_id)
        ],
        event="case_role_granted",
        params={
            "actor": event.actor.get_username(),
            "user": membership.user.get_username(),
            "role": membership.role,
            "place": event.place,
        },
    )


def on_password_set(event: PasswordSet) -> None:
    """A password typed by an administrator, told to the account's owner (who did not choose
    it) and, for an account that reads children's data, to the provincial officers of its
    provinces: no link, there is nothing for them to open."""
    officers = [user for path in event.unit_paths for user in staff_of_unit(path, PROVINCE)]
    recipients = {user.pk: user for user in [event.user, *officers] if user.pk != event.actor.pk}
    notify(
        key=f"password-set:{event.audit_id}",
        recipients=list(recipients.values()),
        event="password_set",
        params={"actor": event.actor.get_username(), "user": event.user.get_username()},
    )


def register() -> None:
    subscribe(CaseRecorded, on_case_recorded)
    subscribe(CaseStepTaken, on_case_step)
    subscribe(SeparationProposed, on_separation_proposed)
    subscribe(SeparationDecided, on_separation_decided)
    subscribe(TransferRequested, on_transfer_requested)
    subscribe(TransferDecided, on_transfer_decided)
    subscribe(ReferralStepTaken, on_referral_step)
    subscribe(CaseRoleGranted, on_case_role_granted)
    subscribe(PasswordSet, on_password_set)
