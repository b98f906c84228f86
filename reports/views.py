from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.typing import AuthenticatedHttpRequest
from reports import exports, plan_outcome, services
from reports.forms import ReportForm

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def chosen(request: AuthenticatedHttpRequest) -> tuple[ReportForm, dict]:
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
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, data = chosen(request)
    try:
        report = services.indicators_for(user=request.user, **data)
    except ValidationError as error:
        form.add_error(None, error.messages)
        report = None
    template = "reports/print.html" if request.GET.get("print") else "reports/dashboard.html"
    return render(
        request, template, {"form": form, "report": report, "query": request.GET.urlencode()}
    )


@login_required
def export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    _form, data = chosen(request)
    try:
        report = services.indicators_for(user=request.user, export=True, **data)
    except ValidationError:
        raise Http404 from None
    body = exports.as_xlsx(report) if fmt == "xlsx" else exports.as_csv(report)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = slugify(f"chi-tieu-{report['unit']['name']}-{report['year']}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def plan_outcome_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        year = services.parse_year(request.GET.get("year") or timezone.localdate().year)
    except ValidationError:
        raise Http404 from None
    if request.method == "POST":
        return record_plan_input(request, year)
    report = plan_outcome.outcome_report(
        user=request.user, year=year, unit=services.default_unit(request.user)
    )
    mine = list(plan_outcome.my_agencies(request.user))
    plan = plan_outcome.current_plan()
    leads = [a for a in mine if a.kind.code == plan.consolidated_by]
    for section in report["sections"]:
        section["mine"] = any(
            "*" in s.agency_kinds or a.kind.code in s.agency_kinds
            for a in mine
            for s in plan.sections.filter(number=section["number"])
        )
    context = {"report": report, "year": year, "is_lead": bool(leads), "agencies": mine}
    return render(request, "reports/plan_outcome.html", context)


def record_plan_input(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    try:
        if "consolidate" in request.POST:
            plan_outcome.consolidate(
                actor=request.user, year=year, notes=request.POST.get("notes", "")
            )
            messages.success(request, _("The report is consolidated."))
        else:
            plan_outcome.task_result_record(
                actor=request.user,
                task_id=int(request.POST.get("task", 0)),
                year=year,
                text=request.POST.get("text", ""),
            )
            messages.success(request, _("Your results are saved."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{request.path}?year={year}")
