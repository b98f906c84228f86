"""Sections other apps add to the case page (referrals: the case's referrals and their forms)."""

from collections.abc import Callable, Mapping

from django.forms import BaseForm

from cases.models import Case
from core.navigation import Panel
from core.typing import AuthenticatedHttpRequest

# A section is built from the request and the case, and from the forms a refused submission
# brings back bound (by name), so that the page shows them as they were sent.
CaseSection = Callable[[AuthenticatedHttpRequest, Case, Mapping[str, BaseForm]], Panel | None]
_sections: list[CaseSection] = []


def register_case_section(builder: CaseSection) -> CaseSection:
    if builder not in _sections:
        _sections.append(builder)
    return builder


def case_sections(
    request: AuthenticatedHttpRequest, case: Case, bound: Mapping[str, BaseForm] | None = None
) -> list[Panel]:
    panels = [p for builder in _sections if (p := builder(request, case, bound or {})) is not None]
    return sorted(panels, key=lambda p: p.order)


# A line shown at the top of every page of a case, about how this reader came to read it
# (access: an emergency access, until when): from the request and the case, or None.
CaseBanner = Callable[[AuthenticatedHttpRequest, Case], str | None]
_banners: list[CaseBanner] = []


def register_case_banner(banner: CaseBanner) -> CaseBanner:
    if banner not in _banners:
        _banners.append(banner)
    return banner


def case_banners(request: AuthenticatedHttpRequest, case: Case) -> list[str]:
    return [text for banner in _banners if (text := banner(request, case))]


# The official documents of a case a signed scan may be attached to: (key, title) pairs, from
# the app that issues them (documents), so that the attachment form offers them and the service
# accepts only them.
Signables = Callable[[Case], list[tuple[str, str]]]
_signables: list[Signables] = []


def register_signables(source: Signables) -> Signables:
    if source not in _signables:
        _signables.append(source)
    return source


def signables(case: Case) -> list[tuple[str, str]]:
    return [item for source in _signables for item in source(case)]
