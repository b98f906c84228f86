from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from core.errors import NotFound
from reports import exports, services
from reports.forms import ReportForm

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def chosen(request: HttpRequest) -> tuple[ReportForm, dict]:
    units = services.report_units(request.user).exclude(level="commune").order_by("path")
    communes_too = services.report_units(request.user).filter(level="commune").order_by("path")
    choices = list(units) + list(communes_too[:300])
    if not choices:
        raise PermissionDenied
    data = {
        "year": request.GET.get("year") or timezone.localdate().year,
        "unit": request.GET.get("unit") or services.default_unit(request.user),
    }
    return ReportForm(data, units=choices), data


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, data = chosen(request)
    try:
        report = services.indicators_for(user=request.user, **data)
    except NotFound:
        raise Http404 from None
    except ValidationError as error:
        form.add_error(None, error.messages)
        report = None
    template = "reports/print.html" if request.GET.get("print") else "reports/dashboard.html"
    return render(
        request, template, {"form": form, "report": report, "query": request.GET.urlencode()}
    )


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    _form, data = chosen(request)
    try:
        report = services.indicators_for(user=request.user, export=True, **data)
    except (NotFound, ValidationError):
        raise Http404 from None
    body = exports.as_xlsx(report) if fmt == "xlsx" else exports.as_csv(report)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = slugify(f"chi-tieu-{report['unit']['name']}-{report['year']}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
