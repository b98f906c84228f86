"""What happens to a case's referrals when the case itself moves or ends (core.events)."""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from cases.events import CaseStepTaken, TransferDecided
from cases.models import Case
from core.models import Clock, User
from referrals.models import LIVE_STATES, Referral
from referrals.workflow import REFERRAL_WORKFLOW


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


def cancel_live_referrals(case: Case, actor: User) -> None:
    """A closed or dismissed case keeps no agency working on it, nor reading it. The commune's
    step is the case's: each referral is cancelled as the table's `cancel` records it, without
    asking again who may cancel it."""
    reason = _("The case was closed.")
    for referral in Referral.objects.select_for_update().filter(case=case, status__in=LIVE_STATES):
        referral.case = case  # the case as the step left it, read once
        before = referral.status
        referral.cancel(reason)
        REFERRAL_WORKFLOW.finish(
            "cancel", actor=actor, subject=referral, from_status=before, details={"reason": reason}
        )
