"""Sections other apps add to the case page (referrals: the case's referrals and their forms)."""

from collections.abc import Callable, Mapping

from django.forms import BaseForm

from cases import sections
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


# Who may open a signed scan: the sections the signed paper holds, from the app that issues it
# (documents). A scan is the paper as the officer printed it, with every part the form has, so
# its reader must read every one of them: a supervisor who does not read who reported does not
# open the signed Form 01 that names them.
ScanSections = Callable[[str], frozenset[str] | None]
_scan_sections: list[ScanSections] = []


def register_scan_sections(source: ScanSections) -> ScanSections:
    if source not in _scan_sections:
        _scan_sections.append(source)
    return source


def may_open_attachment(signs: str, shown: frozenset[str]) -> bool:
    """Whether a reader of these sections opens an attachment of the case's file: any reader of
    the history opens a plain one; a signed scan only the readers of its whole paper (a paper
    no app claims, none)."""
    if sections.HISTORY not in shown:
        return False
    if not signs:
        return True
    for source in _scan_sections:
        if (needed := source(signs)) is not None:
            return needed <= shown
    return False
