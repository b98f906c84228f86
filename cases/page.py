"""Sections other apps add to the case page (referrals: the case's referrals and their forms)."""

from collections.abc import Callable

from cases.models import Case
from core.navigation import Panel
from core.typing import AuthenticatedHttpRequest

CaseSection = Callable[[AuthenticatedHttpRequest, Case], Panel | None]
_sections: list[CaseSection] = []


def register_case_section(builder: CaseSection) -> CaseSection:
    if builder not in _sections:
        _sections.append(builder)
    return builder


def case_sections(request: AuthenticatedHttpRequest, case: Case) -> list[Panel]:
    panels = [p for builder in _sections if (p := builder(request, case)) is not None]
    return sorted(panels, key=lambda p: p.order)
