"""Which kinds of clock the law fixes, and on what basis (DOMAIN §7: law and policy apart).

A separate registry with no model import, so that the ClockPolicy model can refuse an override of
a legal deadline, and name itself, without importing core.clocks (which imports the models).
`register_clock_kind` fills it from each kind's `legal_basis` and `label`.
"""

from django.utils.functional import Promise

_fixed_by_law: dict[str, str | Promise] = {}
_labels: dict[str, str | Promise] = {}


def name_kind(kind: str, label: str | Promise) -> None:
    _labels[kind] = label


def kind_label(kind: str) -> str:
    """What the deadline is called, in the active language; an unknown kind reads as its code."""
    label = _labels.get(kind)
    return str(label) if label is not None else kind


def fix_in_law(kind: str, basis: str | Promise) -> None:
    _fixed_by_law[kind] = basis


def legal_basis(kind: str) -> str | Promise | None:
    """The law that fixes this kind's span; None for a policy default (or an unknown kind)."""
    return _fixed_by_law.get(kind)


def is_fixed_by_law(kind: str) -> bool:
    return kind in _fixed_by_law
