"""The documents section of the case page: each decision issued, as PDF to print and DOCX to
edit before signing."""

from collections.abc import Mapping

from django.forms import BaseForm

from cases import sections
from cases.models import Case
from core.navigation import Panel
from core.typing import AuthenticatedHttpRequest
from documents.catalogue import issued


def documents_section(
    request: AuthenticatedHttpRequest, case: Case, bound: Mapping[str, BaseForm]
) -> Panel | None:
    documents = issued(case, sections.sections_for(request.user, case))
    if not documents:
        return None
    rows = [{"key": kind.key, "title": kind.title, "record": record} for kind, record in documents]
    return Panel("documents/case_section.html", {"case": case, "documents": rows}, order=90)
