"""What may stop a case from closing, contributed by the apps built on cases.

Cases must never import referrals; referrals register a blocker here ("a required service is
neither completed nor waived") and `propose_closure` and `close` ask every blocker before they
run. Referrals also list their live work here, on which the chair decides when closing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.models import Case, Plan
from core.models import User

ClosureBlocker = Callable[[Case], list[str]]
_blockers: list[ClosureBlocker] = []


def register_closure_blocker(blocker: ClosureBlocker) -> ClosureBlocker:
    if blocker not in _blockers:
        _blockers.append(blocker)
    return blocker


def closure_blockers(case: Case) -> list[str]:
    return [reason for blocker in _blockers for reason in blocker(case)]


# --- Work still open when the chair closes (DOMAIN §5) -------------------------------------------
# Closing never silently cancels approved work: the chair sees each live referral and each
# measure no agency reports on, and decides on each (done, no longer needed with the reason, or
# keep the case open). Apps list their open work and apply the chair's decisions on it.


@dataclass(frozen=True)
class OpenWork:
    key: str  # "<kind>:<id>", e.g. "referral:12"
    label: str
    # The decisions the chair may take on it (cases.choices.WorkDecision values).
    decisions: tuple[str, ...]


@dataclass(frozen=True)
class WorkChoice:
    decision: str
    reason: str = ""


OpenWorkLister = Callable[[Case], list[OpenWork]]
# (the case, the chair, {key: choice}) for this app's keys; runs inside the close's transaction.
WorkApplier = Callable[[Case, User, dict[str, WorkChoice]], None]
_open_work: dict[str, tuple[OpenWorkLister, WorkApplier]] = {}


def register_open_work(kind: str, lister: OpenWorkLister, applier: WorkApplier) -> None:
    _open_work[kind] = (lister, applier)


def open_work(case: Case) -> list[OpenWork]:
    return [item for lister, _applier in _open_work.values() for item in lister(case)]


def apply_work_choices(case: Case, actor: User, choices: dict[str, WorkChoice]) -> None:
    for kind, (_lister, applier) in _open_work.items():
        mine = {key: choice for key, choice in choices.items() if key.split(":")[0] == kind}
        if mine:
            applier(case, actor, mine)


# The decisions, as the services compare them.
DONE, WAIVED, KEEP_OPEN = "completed", "waived", "keep_open"


def commune_measures(case: Case) -> list[OpenWork]:
    """The approved plan's measures that no agency carries out (so no referral reports on them):
    the chair says whether each was done."""
    plan = Plan.objects.filter(case=case, outcome=Plan.Outcome.APPROVED).order_by("-id").first()
    if plan is None:
        return []
    return [
        OpenWork(
            key=f"measure:{measure.pk}",
            label=str(_("Measure: %(what)s") % {"what": measure.description[:200]}),
            decisions=(DONE, WAIVED, KEEP_OPEN),
        )
        for measure in plan.measures.filter(responsible_agency__isnull=True)
    ]


def record_measures(case: Case, actor: User, choices: dict[str, WorkChoice]) -> None:
    """The decisions are recorded with the closure (ClosureWorkDecision); nothing else moves."""


register_open_work("measure", commune_measures, record_measures)
