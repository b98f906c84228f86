"""What may stop a case from closing, contributed by the apps built on cases.

Cases must never import referrals; referrals register a blocker here ("a required service is
neither completed nor waived") and `close` asks every blocker before it runs.
"""

from collections.abc import Callable

from cases.models import Case

ClosureBlocker = Callable[[Case], list[str]]
_blockers: list[ClosureBlocker] = []


def register_closure_blocker(blocker: ClosureBlocker) -> ClosureBlocker:
    if blocker not in _blockers:
        _blockers.append(blocker)
    return blocker


def closure_blockers(case: Case) -> list[str]:
    return [reason for blocker in _blockers for reason in blocker(case)]
