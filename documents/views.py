"""The case's official documents, generated on demand from the current records: reading one is
audited like reading the case, and a case or document out of the reader's scope answers 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from cases import sections, services
from core.typing import AuthenticatedHttpRequest
from documents.catalogue import record_of
from documents.pdf import render_pdf
from documents.word import render_docx

FORMATS = {
    "pdf": ("application/pdf", render_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        render_docx,
    ),
}


@login_required
def case_document(
    request: AuthenticatedHttpRequest, case_id: int, key: str, record_id: int, fmt: str
) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    case = services.visible_case(actor=request.user, case_id=case_id)
    found = record_of(case, sections.sections_for(request.user, case), key, record_id)
    if found is None:
        raise Http404
    kind, record = found
    doc = kind.build(record)
    services.audit_read(request.user, case, f"document:{key}:{record_id}:{fmt}")
    content_type, render = FORMATS[fmt]
    response = HttpResponse(render(doc), content_type=content_type)
    name = f"{case.code}-{doc.file_name}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
