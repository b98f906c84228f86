"""What happens to a case's referrals when the case itself moves or ends (core.events)."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from cases.events import CaseStepTaken, TransferDecided
from cases.models import Case
from core.clocks import stop_clocks
from core.models import Clock
from referrals.models import LIVE_STATES, Referral


def on_transfer_decided(event: TransferDecided) -> None:
    if event.accepted:
        follow_the_case(event.case)


def on_case_step(event: CaseStepTaken) -> None:
    if event.step in ("close", "dismiss"):
        cancel_live_referrals(event.case, event.actor)


def follow_the_case(case: Case) -> None:
    """The case moved to another commune: its referrals, and their deadlines, go with it."""
    referrals = Referral.objects.filter(case=case)
    referrals.update(unit_path=case.unit_path)
    Clock.objects.open().filter(
        subject_type=ContentType.objects.get_for_model(Referral),
        subject_id__in=referrals.values("pk"),
    ).update(unit_path=case.unit_path)


def cancel_live_referrals(case: Case, actor) -> None:
    """A closed or dismissed case keeps no agency working on it, nor reading it."""
    from referrals.services import log

    reason = _("The case was closed.")
    for referral in Referral.objects.select_for_update().filter(case=case, status__in=LIVE_STATES):
        referral.cancel(reason)
        referral.save()
        stop_clocks(subject=referral)
        log(referral, actor, "cancelled", {"reason": reason})
