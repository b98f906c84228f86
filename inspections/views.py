"""The inspection pages: parse the request, call a service or a selector, render.

The team's members record findings and recommendations, the head of the team runs the steps;
provincial officers, managers and the lead agency's head read the same pages without forms.
"""

import calendar
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, numberformat, timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clocks import open_clocks
from core.errors import Conflict, Forbidden, InvalidTransition, NotFound
from core.models import Agency, Role, Unit, UnitLevel, User
from core.scope import scope_for
from inspections import forms, selectors, services
from inspections.clocks import LABELS as CLOCK_LABELS
from inspections.labels import EVENT_LABELS, TRANSITION_LABELS
from inspections.models import (
    InspectedSubject,
    Inspection,
    Membership,
    Recommendation,
    Status,
)

PAGE_SIZE = 25


def vnd(amount: int | None) -> str:
    """An amount of đồng with the language's thousands separator (7.500.000 in Vietnamese)."""
    if amount is None:
        return ""
    return numberformat.format(
        amount,
        formats.get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def may_plan(user: User) -> bool:
    return bool(scope_for(user).agency_ids(Role.INSPECTOR))


def detail_url(inspection_id: int, anchor: str = "") -> str:
    url = reverse("inspections:detail", args=[inspection_id])
    return f"{url}#{anchor}" if anchor else url


# --- The list and the calendar ------------------------------------------------------------------


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    filter_form = forms.InspectionFilterForm(request.GET or None)
    filters = filter_form.filters()
    inspections = selectors.inspection_list(request.user, **filters)
    page = Paginator(inspections, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": filter_form,
        "page": page,
        "filtered": any(value is not None for value in filters.values()),
        "query": query.urlencode(),
        "may_plan": may_plan(request.user),
    }
    return render(request, "inspections/list.html", context)


@login_required
def inspection_calendar(request: HttpRequest) -> HttpResponse:
    first = forms.MonthForm(request.GET or None).first_day()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1]
    inspections = list(
        selectors.inspection_list(request.user)
        .filter(planned_start__lte=end, planned_end__gte=start)
        .exclude(status=Status.CANCELLED)
        .order_by("planned_start", "id")
    )
    today = timezone.localdate()
    grid = [
        [
            {
                "date": day,
                "in_month": day.month == first.month,
                "today": day == today,
                "inspections": [i for i in inspections if i.planned_start <= day <= i.planned_end],
            }
            for day in week
        ]
        for week in weeks
    ]
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    context = {
        "month": first,
        "weeks": grid,
        "weekdays": [WEEKDAYS_ABBR[number] for number in range(7)],
        "previous": previous.strftime("%Y-%m"),
        "next": following.strftime("%Y-%m"),
        "empty": not inspections,
        "may_plan": may_plan(request.user),
    }
    return render(request, "inspections/calendar.html", context)


# --- Planning -----------------------------------------------------------------------------------


def subject_units(agency_ids: frozenset[int]) -> Any:
    """Where a new subject may be: the provinces of the inspector's agencies and their communes."""
    agencies = Agency.objects.filter(pk__in=agency_ids).select_related("jurisdiction")
    paths = {forms.province_path(agency.jurisdiction) for agency in agencies}
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return (
        Unit.objects.valid_on(timezone.localdate())
        .filter(condition, level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE])
        .order_by("path")
    )


def typed_so_far(form: forms.PlanForm, data: Any) -> dict[str, Any]:
    """What the user had typed in the plan form, to keep it while a subject is registered."""
    return {
        name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, field in form.fields.items()
    }


@login_required
def inspection_plan(request: HttpRequest) -> HttpResponse:
    lead_agency_ids = scope_for(request.user).agency_ids(Role.INSPECTOR)
    if not lead_agency_ids:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    registering = data is not None and "register_subject" in data
    options = {"actor": request.user, "lead_agency_ids": lead_agency_ids}
    form = forms.PlanForm(None if registering else data, **options)
    units = subject_units(lead_agency_ids)
    subject_form = forms.SubjectForm(data if registering else None, prefix="subject", units=units)
    if registering:
        initial = typed_so_far(form, data)
        if subject_form.is_valid():
            try:
                subject = services.subject_register(actor=request.user, **subject_form.cleaned_data)
            except Forbidden as error:
                raise PermissionDenied(error.message) from None
            except ValidationError as error:
                forms.add_service_errors(subject_form, error, {})
            else:
                initial["subjects"] = [*(initial["subjects"] or []), str(subject.pk)]
                subject_form = forms.SubjectForm(prefix="subject", units=units)
                messages.success(
                    request,
                    _("“%(name)s” is in the registry and chosen below.") % {"name": subject.name},
                )
        form = forms.PlanForm(initial=initial, **options)
    elif data is not None and form.is_valid():
        try:
            inspection = services.inspection_plan(
                actor=request.user, plan=services.Plan(**form.plan_values())
            )
        except Forbidden as error:
            raise PermissionDenied(error.message) from None
        except ValidationError as error:
            forms.add_service_errors(form, error, {})
        else:
            messages.success(request, _("The inspection is planned."))
            return redirect("inspections:detail", inspection_id=inspection.pk)
    context = {"form": form, "subject_form": subject_form, "registering": registering}
    return render(request, "inspections/plan.html", context)


# --- The inspection page ------------------------------------------------------------------------


@login_required
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    return render_inspection(request, inspection_id)


def render_inspection(
    request: HttpRequest, inspection_id: int, *, bound: dict[str, Any] | None = None
) -> HttpResponse:
    """The inspection page; `bound` holds a submitted form to show again with its errors."""
    user = request.user
    inspection = selectors.inspection_with_records(user, inspection_id)
    if inspection is None:
        raise Http404
    bound = bound or {}
    team = list(inspection.team.all())
    mine = next((m for m in team if m.user_id == user.pk), None)
    is_member = mine is not None
    is_lead = is_member and mine.role == Membership.Role.LEAD
    status = inspection.status

    steps = []
    if is_member:
        for row in services.transitions_for(actor=user, inspection=inspection):
            name = row["name"]
            form_class = forms.TRANSITION_FORMS.get(name)
            form = None
            if row["allowed"] and form_class is not None:
                form = bound.get(name) or form_class(prefix=name)
            steps.append(row | {"label": TRANSITION_LABELS[name], "form": form})

    finding_form = recommendation_form = None
    if is_member and status in services.RECORDING_STATES:
        finding_form = bound.get("finding") or forms.FindingForm(
            inspection=inspection, prefix="finding"
        )
    following_up = status in services.RECOMMENDING_STATES
    if is_member and following_up:
        recommendation_form = bound.get("recommendation") or forms.RecommendationForm(
            inspection=inspection, prefix="recommendation"
        )

    now = timezone.now()
    recommendations = []
    for recommendation in inspection.recommendations.all():
        resolvable = following_up and recommendation.status == Recommendation.Status.OPEN
        done_key, waive_key = f"done-{recommendation.pk}", f"waive-{recommendation.pk}"
        recommendations.append(
            {
                "recommendation": recommendation,
                "clocks": [
                    {
                        "label": CLOCK_LABELS.get(clock.kind, clock.kind),
                        "due_at": clock.due_at,
                        "overdue": clock.is_overdue(now),
                    }
                    for clock in open_clocks(recommendation)
                ],
                "done_form": (bound.get(done_key) or forms.DoneForm(prefix=done_key))
                if is_member and resolvable
                else None,
                "waive_form": (bound.get(waive_key) or forms.WaiveForm(prefix=waive_key))
                if is_lead and resolvable
                else None,
            }
        )
    findings = [
        {"finding": finding, "fine": vnd(finding.fine_amount)}
        for finding in inspection.findings.all()
    ]
    events = [
        {
            "event": event,
            "label": EVENT_LABELS.get(event.action, event.action.replace("_", " ")),
            "from_status": status_label(event.from_status),
            "to_status": status_label(event.to_status),
            "changed": event.from_status and event.from_status != event.to_status,
        }
        for event in inspection.events.select_related("actor")
    ]
    context = {
        "inspection": inspection,
        "team": team,
        "is_member": is_member,
        "is_lead": is_lead,
        "steps": steps,
        "any_step": any(step["allowed"] for step in steps),
        "findings": findings,
        "total_fines": vnd(sum(f.fine_amount or 0 for f in inspection.findings.all()) or None),
        "recommendations": recommendations,
        "events": events,
        "finding_form": finding_form,
        "recommendation_form": recommendation_form,
    }
    return render(request, "inspections/detail.html", context)


def acting_on(request: HttpRequest, inspection_id: int, *, lead_only: bool) -> Inspection:
    """The inspection a form was posted to: 404 if unseen, 403 if the user is not on its team.
    The service checks again; this only keeps a read-only viewer from a page full of errors."""
    try:
        inspection = services.visible_inspection(actor=request.user, inspection_id=inspection_id)
    except NotFound:
        raise Http404 from None
    allowed = selectors.is_lead if lead_only else selectors.is_member
    if not allowed(request.user, inspection):
        raise PermissionDenied
    return inspection


def refused(request: HttpRequest, error: Exception, back: str) -> HttpResponse:
    """The answer to a service's refusal other than bad input."""
    if isinstance(error, NotFound):
        raise Http404
    if isinstance(error, Forbidden):
        raise PermissionDenied(error.message)
    messages.error(request, error.message)
    return redirect(back)


@login_required
@require_POST
def inspection_transition(request: HttpRequest, inspection_id: int, name: str) -> HttpResponse:
    if name not in services.TRANSITIONS:
        raise Http404
    acting_on(request, inspection_id, lead_only=True)
    form_class = forms.TRANSITION_FORMS.get(name)
    form = form_class(request.POST, prefix=name) if form_class else None
    if form is not None and not form.is_valid():
        return render_inspection(request, inspection_id, bound={name: form})
    payload = form.cleaned_data if form is not None else {}
    try:
        services.inspection_transition(
            actor=request.user, inspection_id=inspection_id, name=name, **payload
        )
    except (NotFound, Forbidden, InvalidTransition, Conflict) as error:
        return refused(request, error, detail_url(inspection_id))
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return redirect(detail_url(inspection_id))
        forms.add_service_errors(form, error, {})
        return render_inspection(request, inspection_id, bound={name: form})
    messages.success(request, EVENT_LABELS[name])
    return redirect(detail_url(inspection_id))


@login_required
@require_POST
def finding_add(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = acting_on(request, inspection_id, lead_only=False)
    form = forms.FindingForm(request.POST, inspection=inspection, prefix="finding")
    if form.is_valid():
        try:
            finding = services.finding_record(
                actor=request.user, inspection_id=inspection_id, **form.service_kwargs()
            )
        except (NotFound, Forbidden, InvalidTransition, Conflict) as error:
            return refused(request, error, detail_url(inspection_id))
        except ValidationError as error:
            forms.add_service_errors(form, error, forms.FINDING_ERROR_ALIASES)
        else:
            if finding.case_id:
                messages.success(
                    request,
                    _("The finding is recorded; case %(code)s is opened for the child.")
                    % {"code": finding.case.code},
                )
            else:
                messages.success(request, _("The finding is recorded."))
            return redirect(detail_url(inspection_id, "findings"))
    return render_inspection(request, inspection_id, bound={"finding": form})


@login_required
@require_POST
def recommendation_add(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = acting_on(request, inspection_id, lead_only=False)
    form = forms.RecommendationForm(request.POST, inspection=inspection, prefix="recommendation")
    if form.is_valid():
        try:
            services.recommendation_add(
                actor=request.user, inspection_id=inspection_id, **form.cleaned_data
            )
        except (NotFound, Forbidden, InvalidTransition, Conflict) as error:
            return refused(request, error, detail_url(inspection_id))
        except ValidationError as error:
            forms.add_service_errors(form, error, {})
        else:
            messages.success(request, _("The recommendation is recorded."))
            return redirect(detail_url(inspection_id, "recommendations"))
    return render_inspection(request, inspection_id, bound={"recommendation": form})


@login_required
@require_POST
def recommendation_resolve(
    request: HttpRequest, inspection_id: int, recommendation_id: int, outcome: str
) -> HttpResponse:
    if outcome not in ("done", "waive"):
        raise Http404
    done = outcome == "done"
    inspection = acting_on(request, inspection_id, lead_only=not done)
    if not inspection.recommendations.filter(pk=recommendation_id).exists():
        raise Http404
    key = f"{outcome}-{recommendation_id}"
    form = (forms.DoneForm if done else forms.WaiveForm)(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.recommendation_resolve(
                actor=request.user,
                recommendation_id=recommendation_id,
                done=done,
                **form.cleaned_data,
            )
        except (NotFound, Forbidden, InvalidTransition, Conflict) as error:
            return refused(request, error, detail_url(inspection_id))
        except ValidationError as error:
            forms.add_service_errors(form, error, {})
        else:
            message = (
                _("The recommendation is done.") if done else _("The recommendation is waived.")
            )
            messages.success(request, message)
            return redirect(detail_url(inspection_id, "recommendations"))
    return render_inspection(request, inspection_id, bound={key: form})


# --- A subject's history ------------------------------------------------------------------------


@login_required
def subject_history(request: HttpRequest, subject_id: int) -> HttpResponse:
    subject = InspectedSubject.objects.select_related("unit").filter(pk=subject_id).first()
    if subject is None:
        raise Http404
    inspections = list(
        selectors.inspection_list(request.user)
        .filter(subjects=subject)
        .prefetch_related("findings")
    )
    # The registry is the inspectors'; others learn of a subject only through an inspection.
    if not inspections and not scope_for(request.user).has_role(Role.INSPECTOR):
        raise Http404
    rows = [
        {
            "inspection": inspection,
            "findings": [
                {"finding": finding, "fine": vnd(finding.fine_amount)}
                for finding in inspection.findings.all()
                if finding.subject_id == subject.pk
            ],
        }
        for inspection in inspections
    ]
    return render(request, "inspections/subject.html", {"subject": subject, "rows": rows})
