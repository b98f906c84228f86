"""What happens to a case's referrals when the case itself moves or ends (core.events).

Closing a case never silently cancels a referral: each live one is listed as open work
(cases/closure.py) and the chair decides on it when closing; a referral the chair says is no
longer needed is withdrawn with the chair's reason. A dismissed report (no procedure) withdraws
the referrals it had.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from cases.choices import Service
from cases.closure import KEEP_OPEN, WAIVED, OpenWork, WorkChoice, register_open_work
from cases.events import CaseStepTaken, TransferDecided
from cases.models import Case
from core.models import Clock, User
from referrals.models import LIVE_STATES, Referral
from referrals.workflow import REFERRAL_WORKFLOW


def on_transfer_decided(event: TransferDecided) -> None:
    if event.accepted:
        follow_the_case(event.case)


def on_case_step(event: CaseStepTaken) -> None:
    if event.step == "dismiss":
        cancel_live_referrals(event.case, event.actor)


def follow_the_case(case: Case) -> None:
    """The case moved to another commune: its referrals, and their deadlines, go with it."""
    referrals = Referral.objects.filter(case=case)
    referrals.update(unit_path=case.unit_path)
    Clock.objects.open().filter(
        subject_type=ContentType.objects.get_for_model(Referral),
        subject_id__in=referrals.values("pk"),
    ).update(unit_path=case.unit_path)


def cancel_live_referrals(case: Case, actor: User, reasons: dict[int, str] | None = None) -> None:
    """Withdraw the case's live referrals (all, or those in `reasons`, each with its reason):
    the agency stops working on it and reading it. The commune's step is the case's: each
    referral is cancelled as the table's `cancel` records it, without asking again who may."""
    live = Referral.objects.select_for_update().filter(case=case, status__in=LIVE_STATES)
    if reasons is not None:
        live = live.filter(pk__in=list(reasons))
    for referral in live:
        reason = (reasons or {}).get(referral.pk) or _("The report was dismissed.")
        referral.case = case  # the case as the step left it, read once
        before = referral.status
        referral.cancel(reason)
        REFERRAL_WORKFLOW.finish(
            "cancel", actor=actor, subject=referral, from_status=before, details={"reason": reason}
        )


def live_referrals(case: Case) -> list[OpenWork]:
    """Each live referral, on which the chair decides when closing the case: no longer needed
    (withdrawn, with the reason), or keep the case open; only the agency completes it."""
    return [
        OpenWork(
            key=f"referral:{referral.pk}",
            label=_("Referral: %(service)s (%(agency)s)")
            % {
                "service": Service(referral.service).label,
                "agency": referral.agency.name if referral.agency else "",
            },
            decisions=(WAIVED, KEEP_OPEN),
        )
        for referral in Referral.objects.filter(case=case, status__in=LIVE_STATES)
        .select_related("agency")
        .order_by("id")
    ]


def apply_closing_choices(case: Case, actor: User, choices: dict[str, WorkChoice]) -> None:
    """The chair closes the case: withdraw each referral no longer needed, with the reason."""
    reasons = {
        int(key.split(":")[1]): choice.reason
        for key, choice in choices.items()
        if choice.decision == WAIVED
    }
    if reasons:
        cancel_live_referrals(case, actor, reasons)


register_open_work("referral", live_referrals, apply_closing_choices)
