"""The reports' pages: the indicators (with their files and printable page), the official
submission's file, and the plan's outcome report where agencies record their results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.typing import AuthenticatedHttpRequest
from core.web import posted_id
from reports import exports, plan_outcome, services
from reports.forms import ReportForm


def chosen(request: AuthenticatedHttpRequest) -> tuple[ReportForm, dict]:
    units = services.report_units(request.user).exclude(level="commune").order_by("path")
    # Today's communes first: the list is cut, and the legacy ones (2020) would crowd them out.
    communes_too = (
        services.report_units(request.user).filter(level="commune").order_by("-structure", "path")
    )
    # Each unit under its own parent: today's structure first, each in the order of its paths.
    by_path = sorted([*units, *communes_too[:300]], key=lambda unit: unit.path)
    choices = sorted(by_path, key=lambda unit: unit.structure, reverse=True)
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
    context = {
        "form": form,
        "report": report,
        "query": request.GET.urlencode(),
        "may_submit": services.may_submit(request.user),
    }
    return render(request, template, context)


def downloaded(report: dict, fmt: str) -> HttpResponse:
    response = HttpResponse(exports.render(report, fmt), content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.name_of(report, fmt)}"'
    return response


@login_required
def export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.CONTENT_TYPES:
        raise Http404
    _form, data = chosen(request)
    try:
        report = services.indicators_for(user=request.user, export=True, **data)
    except ValidationError:
        raise Http404 from None
    return downloaded(report, fmt)


@login_required
def official_submission(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The exact, confidential XLSX for the ministry (the service refuses whoever may not)."""
    try:
        report = services.official_submission(
            user=request.user,
            year=request.GET.get("year") or timezone.localdate().year,
            unit=request.GET.get("unit") or services.default_unit(request.user),
        )
    except ValidationError:
        raise Http404 from None
    return downloaded(report, "xlsx")


@login_required
def plan_outcome_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    try:
        year = services.parse_year(request.GET.get("year") or this_year)
    except ValidationError as error:
        # A year typed out of range: this year's report, the field saying what it takes; a
        # result posted for that year is not recorded.
        return plan_outcome_shown(request, this_year, errors=error.messages, status=400)
    if request.method == "POST":
        return record_plan_input(request, year)
    return plan_outcome_shown(request, year)


def plan_outcome_shown(
    request: AuthenticatedHttpRequest,
    year: int,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "report": plan_outcome.outcome_report(user=request.user, year=year),
        "year": year,
        "year_errors": errors or [],
        # The field offers what parse_year accepts.
        "first_year": services.FIRST_YEAR,
        "this_year": timezone.localdate().year,
    }
    return render(request, "reports/plan_outcome.html", context, status=status)


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
                task_id=posted_id(request.POST.get("task")),
                year=year,
                text=request.POST.get("text", ""),
            )
            messages.success(request, _("Your results are saved."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{request.path}?year={year}")
