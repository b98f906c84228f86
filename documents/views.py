"""The case's official documents, generated on demand from the current records: reading one is
audited like reading the case, and a case or document out of the reader's scope answers 404."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils import timezone, translation

from cases import services, visibility
from core.audit import audit
from core.typing import AuthenticatedHttpRequest
from documents.catalogue import record_of
from documents.inspection import conclusion
from documents.official import OfficialDocument
from documents.pdf import render_pdf
from documents.plan_report import plan_report
from documents.word import render_docx
from inspections.models import Status as InspectionStatus
from inspections.selectors import inspection_with_records
from reports import plan_outcome
from reports.services import parse_year

FORMATS = {
    "pdf": ("application/pdf", render_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        render_docx,
    ),
}


def download(doc: OfficialDocument, fmt: str, name: str) -> HttpResponse:
    """The document as a file to save. The builders run under Vietnamese: official paper is
    Vietnamese whatever the page's language, the labels of choices too."""
    content_type, render = FORMATS[fmt]
    response = HttpResponse(render(doc), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def case_document(
    request: AuthenticatedHttpRequest, case_id: int, key: str, record_id: int, fmt: str
) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    case = services.visible_case(actor=request.user, case_id=case_id)
    shown = visibility.sections_for(request.user, case)
    found = record_of(case, shown, key, record_id)
    if found is None:
        raise Http404
    kind, record = found
    services.audit_read(request.user, case, f"document:{key}:{record_id}:{fmt}")
    with translation.override("vi"):
        doc = kind.build(record, request.user, shown)
    return download(doc, fmt, f"{case.code}-{kind.stem}-{record_id}")


# An inspection has a conclusion once it is issued, and keeps it through follow-up and closing.
CONCLUDED = {InspectionStatus.CONCLUDED, InspectionStatus.FOLLOW_UP, InspectionStatus.CLOSED}


@login_required
def inspection_conclusion(
    request: AuthenticatedHttpRequest, inspection_id: int, fmt: str
) -> HttpResponse:
    inspection = inspection_with_records(request.user, inspection_id)
    if fmt not in FORMATS or inspection is None or inspection.status not in CONCLUDED:
        raise Http404
    audit(
        actor=request.user,
        action="inspection.document",
        target=inspection,
        details={"document": "conclusion", "format": fmt},
    )
    with translation.override("vi"):
        doc = conclusion(inspection)
    return download(doc, fmt, f"ket-luan-{inspection.pk}")


@login_required
def plan_outcome_report(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    """The province's yearly report on the plan, as the document it sends (the report's read is
    audited by the report itself, `report.plan_outcome`)."""
    if fmt not in FORMATS:
        raise Http404
    try:
        year = parse_year(request.GET.get("year") or timezone.localdate().year)
    except ValidationError:
        raise Http404 from None
    with translation.override("vi"):
        doc = plan_report(plan_outcome.outcome_report(user=request.user, year=year))
    return download(doc, fmt, f"bao-cao-ke-hoach-{year}")
