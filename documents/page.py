"""The documents section of the case page: each decision issued, as PDF to print and DOCX to
edit before signing."""

from collections.abc import Mapping

from django.forms import BaseForm

from cases import sections, visibility
from cases.models import Case, CaseAttachment
from cases.page import may_open_attachment
from core.navigation import Panel
from core.typing import AuthenticatedHttpRequest
from documents.catalogue import issued


def documents_section(
    request: AuthenticatedHttpRequest, case: Case, bound: Mapping[str, BaseForm]
) -> Panel | None:
    shown = visibility.sections_for(request.user, case)
    documents = issued(case, shown)
    if not documents:
        return None
    # The signed scans belong to the case's file: shown to those who read its history and the
    # whole of the paper signed (cases.page.may_open_attachment).
    scans: dict[str, list[CaseAttachment]] = {}
    if sections.HISTORY in shown:
        # The case page's attachments, prefetched (cases.selectors.case_with_records).
        for scan in sorted(case.caseattachments.all(), key=lambda attachment: attachment.pk):
            if scan.signs and may_open_attachment(scan.signs, shown):
                scans.setdefault(scan.signs, []).append(scan)
    rows = [
        {
            "key": kind.key,
            "title": kind.title,
            "record": record,
            "scans": scans.get(f"{kind.key}-{record.pk}", []),
        }
        for kind, record in documents
    ]
    return Panel("documents/case_section.html", {"case": case, "documents": rows}, order=90)
