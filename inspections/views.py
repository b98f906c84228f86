"""The inspection pages: parse the request, call a service or a selector, render.

The team's members record findings and recommendations, the head of the team runs the steps;
provincial officers, managers and the lead agency's head read the same pages without forms.
Refusals are answered in one place (core/web.py): a service's NotFound is the 404 page, Forbidden
the 403 page, a step not possible now a message on the inspection's page (`@back_to`), and bad
input the form again with its errors (`submit`).
"""

import calendar
import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import Role, Unit, User
from core.pagination import PaginatorByIds
from core.scope import scope_for
from core.text import vnd
from core.typing import AuthenticatedHttpRequest
from core.web import back_to, submit
from core.workflow import Option
from inspections import forms, selectors, services
from inspections.clocks import LABELS as CLOCK_LABELS
from inspections.clocks import RECOMMENDATION
from inspections.labels import EVENT_LABELS
from inspections.models import RECOMMENDING_STATES, Inspection, Membership, Recommendation, Status
from inspections.rows import inspection_rows
from inspections.workflow import INSPECTION_WORKFLOW

PAGE_SIZE = 25
T = TypeVar("T")


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def may_plan(user: User) -> bool:
    return bool(scope_for(user).agency_ids(Role.INSPECTOR))


def submit_valid(
    form: django_forms.BaseForm,
    call: Callable[[], T],
    aliases: dict[str, str | None] | None = None,
) -> T | None:
    """What the service behind a valid form answered; None when the form or the service found
    bad input, which is then on the form to show again."""
    return submit(form, call, aliases) if form.is_valid() else None


def detail_url(inspection_id: int, anchor: str = "") -> str:
    url = reverse("inspections:detail", args=[inspection_id])
    return f"{url}#{anchor}" if anchor else url


# --- The list and the calendar ------------------------------------------------------------------


@login_required
def inspection_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filter_form = forms.InspectionFilterForm(request.GET or None)
    filters = filter_form.filters()
    inspections = selectors.inspection_list(request.user, **filters)
    paginator = PaginatorByIds(inspections, PAGE_SIZE, rows=inspection_rows)
    page = paginator.page_of(request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("cursor", None)
    context = {
        "filter_form": filter_form,
        "page": page,
        "filtered": any(value is not None for value in filters.values()),
        "query": query.urlencode(),
        "may_plan": may_plan(request.user),
    }
    return render(request, "inspections/list.html", context)


@login_required
def inspection_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    first = forms.MonthForm(request.GET or None).first_day()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    inspections = selectors.inspections_between(request.user, weeks[0][0], weeks[-1][-1])
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


def typed_so_far(form: forms.PlanForm, data: Any) -> dict[str, Any]:
    """What the user had typed in the plan form, to keep it while a subject is registered."""
    return {
        name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, field in form.fields.items()
    }


@login_required
def inspection_plan(request: AuthenticatedHttpRequest) -> HttpResponse:
    lead_agency_ids = scope_for(request.user).agency_ids(Role.INSPECTOR)
    if not lead_agency_ids:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    registering = data is not None and "register_subject" in data
    form = forms.PlanForm(
        None if registering else data, actor=request.user, lead_agency_ids=lead_agency_ids
    )
    units = selectors.subject_units(request.user)
    subject_form = forms.SubjectForm(data if registering else None, prefix="subject", units=units)
    if registering:
        initial = typed_so_far(form, data)
        subject = submit_valid(
            subject_form,
            lambda: services.subject_register(actor=request.user, **subject_form.cleaned_data),
        )
        if subject is not None:
            initial["subjects"] = [*(initial["subjects"] or []), str(subject.pk)]
            subject_form = forms.SubjectForm(prefix="subject", units=units)
            messages.success(
                request,
                _("“%(name)s” is in the registry and chosen below.") % {"name": subject.name},
            )
        form = forms.PlanForm(initial=initial, actor=request.user, lead_agency_ids=lead_agency_ids)
    elif data is not None:
        inspection = submit_valid(
            form,
            lambda: services.inspection_plan(
                actor=request.user, plan=services.Plan(**form.plan_values())
            ),
        )
        if inspection is not None:
            messages.success(request, _("The inspection is planned."))
            return redirect("inspections:detail", inspection_id=inspection.pk)
    context = {"form": form, "subject_form": subject_form, "registering": registering}
    return render(request, "inspections/plan.html", context)


# --- The inspection page ------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferedStep(Option):
    """A step as the page offers it: the kernel's answer for this user, and the step's form when
    it takes input and the user may run it now."""

    form: django_forms.Form | None = None


@login_required
def inspection_detail(request: AuthenticatedHttpRequest, inspection_id: int) -> HttpResponse:
    return render_inspection(request, inspection_id)


def offered_steps(
    user: User, inspection: Inspection, bound: dict[str, django_forms.Form]
) -> list[OfferedStep]:
    steps = []
    for option in INSPECTION_WORKFLOW.options(actor=user, subject=inspection):
        form_class = forms.TRANSITION_FORMS.get(option.name)
        form = None
        if option.allowed and form_class is not None:
            form = bound.get(option.name) or form_class(prefix=option.name)
        steps.append(OfferedStep(**asdict(option), form=form))
    return steps


def recommendation_rows(
    inspection: Inspection, bound: dict[str, django_forms.Form], *, is_member: bool, is_lead: bool
) -> list[dict[str, Any]]:
    following_up = inspection.status in RECOMMENDING_STATES
    rows = []
    for recommendation in selectors.with_clocks(list(inspection.recommendations.all())):
        resolvable = following_up and recommendation.status == Recommendation.Status.OPEN
        done_key, waive_key = f"done-{recommendation.pk}", f"waive-{recommendation.pk}"
        clock = {
            "label": CLOCK_LABELS[RECOMMENDATION],
            "due_at": recommendation.due_at,
            "overdue": recommendation.is_overdue,
        }
        rows.append(
            {
                "recommendation": recommendation,
                "clocks": [clock] if recommendation.due_at else [],
                "done_form": (bound.get(done_key) or forms.DoneForm(prefix=done_key))
                if is_member and resolvable
                else None,
                "waive_form": (bound.get(waive_key) or forms.WaiveForm(prefix=waive_key))
                if is_lead and resolvable
                else None,
            }
        )
    return rows


def render_inspection(
    request: AuthenticatedHttpRequest, inspection_id: int, *, bound: dict[str, Any] | None = None
) -> HttpResponse:
    """The inspection page; `bound` holds a submitted form to show again with its errors."""
    user = request.user
    inspection = selectors.inspection_with_records(user, inspection_id)
    if inspection is None:
        raise Http404
    bound = bound or {}
    team = selectors.team_of(inspection)
    mine = next((m for m in team if m.user_id == user.pk), None)
    is_member = mine is not None
    is_lead = mine is not None and mine.role == Membership.Role.LEAD
    status = inspection.status
    steps = offered_steps(user, inspection, bound) if is_member else []

    finding_form = recommendation_form = None
    if is_member and status in services.RECORDING_STATES:
        finding_form = bound.get("finding") or forms.FindingForm(
            inspection=inspection, prefix="finding"
        )
    if is_member and status in RECOMMENDING_STATES:
        recommendation_form = bound.get("recommendation") or forms.RecommendationForm(
            inspection=inspection, prefix="recommendation"
        )
    name_subject_form = new_subject_form = None
    if is_lead and status in services.NAMING_STATES:
        name_subject_form = bound.get("subject") or forms.NameSubjectForm(
            inspection=inspection, prefix="subject"
        )
        new_subject_form = bound.get("new-subject") or forms.SubjectForm(
            prefix="new-subject", units=province_units(user, inspection)
        )
    findings = [
        {"finding": finding, "fine": vnd(finding.fine_amount)}
        for finding in inspection.findings.all()
    ]
    # A subject named after the plan is named in the history too (the event holds its id).
    subject_names = {subject.pk: subject.name for subject in inspection.subjects.all()}
    events = [
        {
            "event": event,
            "label": EVENT_LABELS.get(event.action, event.action.replace("_", " ")),
            "what": subject_names.get(event.details.get("subject"))
            if event.action == "subject"
            else None,
            "from_status": status_label(event.from_status),
            "to_status": status_label(event.to_status),
            "changed": event.from_status and event.from_status != event.to_status,
        }
        for event in selectors.inspection_events(inspection)
    ]
    context = {
        "inspection": inspection,
        "team": team,
        "is_member": is_member,
        "is_lead": is_lead,
        "steps": steps,
        "any_step": any(step.allowed for step in steps),
        "findings": findings,
        "total_fines": vnd(sum(f.fine_amount or 0 for f in inspection.findings.all()) or None),
        "recommendations": recommendation_rows(
            inspection, bound, is_member=is_member, is_lead=is_lead
        ),
        "events": events,
        "finding_form": finding_form,
        "recommendation_form": recommendation_form,
        "name_subject_form": name_subject_form,
        "new_subject_form": new_subject_form,
    }
    return render(request, "inspections/detail.html", context)


def province_units(user: User, inspection: Inspection) -> QuerySet[Unit]:
    """Where a subject named for the inspection may be: its province or one of its communes."""
    province = selectors.inspection_province(inspection)
    return selectors.subject_units(user).filter(path__startswith=province)


@login_required
@require_POST
@back_to("inspections:detail", "inspection_id")
def inspection_transition(
    request: AuthenticatedHttpRequest, inspection_id: int, name: str
) -> HttpResponse:
    if name not in INSPECTION_WORKFLOW:
        raise Http404
    inspection = services.visible_inspection(actor=request.user, inspection_id=inspection_id)
    # Refused before the form is judged: not the user's step (403), or not now (409).
    step = INSPECTION_WORKFLOW.check(name, actor=request.user, subject=inspection)
    form = forms.TRANSITION_FORMS.get(name, forms.NoPayloadForm)(request.POST, prefix=name)
    done = submit_valid(
        form,
        lambda: services.STEP_SERVICES[name](
            actor=request.user, inspection_id=inspection.pk, **form.cleaned_data
        ),
    )
    if done is not None:
        messages.success(request, INSPECTION_WORKFLOW.confirm(step, inspection))
        return redirect(detail_url(inspection.pk))
    return render_inspection(request, inspection.pk, bound={name: form})


@login_required
@require_POST
@back_to("inspections:detail", "inspection_id")
def finding_add(request: AuthenticatedHttpRequest, inspection_id: int) -> HttpResponse:
    inspection = services.visible_inspection(actor=request.user, inspection_id=inspection_id)
    services.check_may_record_finding(actor=request.user, inspection=inspection)
    form = forms.FindingForm(request.POST, inspection=inspection, prefix="finding")
    finding = submit_valid(
        form,
        lambda: services.finding_record(
            actor=request.user, inspection_id=inspection.pk, **form.service_kwargs()
        ),
        forms.FINDING_ERROR_ALIASES,
    )
    if finding is None:
        return render_inspection(request, inspection.pk, bound={"finding": form})
    if finding.case is not None:
        messages.success(
            request,
            _("The finding is recorded; case %(code)s is opened for the child.")
            % {"code": finding.case.code},
        )
    else:
        messages.success(request, _("The finding is recorded."))
    return redirect(detail_url(inspection.pk, "findings"))


@login_required
@require_POST
@back_to("inspections:detail", "inspection_id")
def subject_name(request: AuthenticatedHttpRequest, inspection_id: int) -> HttpResponse:
    """A subject named after the plan: one of the registry, or a new one registered with it."""
    inspection = services.visible_inspection(actor=request.user, inspection_id=inspection_id)
    services.check_may_name_subject(actor=request.user, inspection=inspection)
    form: django_forms.Form
    if "register" in request.POST:
        key = "new-subject"
        form = forms.SubjectForm(
            request.POST, prefix=key, units=province_units(request.user, inspection)
        )
        named = submit_valid(
            form,
            lambda: services.subject_register_and_add(
                actor=request.user, inspection_id=inspection.pk, **form.cleaned_data
            ),
        )
    else:
        key = "subject"
        form = forms.NameSubjectForm(request.POST, inspection=inspection, prefix=key)
        named = submit_valid(
            form,
            lambda: services.subject_add(
                actor=request.user, inspection_id=inspection.pk, **form.cleaned_data
            ),
        )
    if named is None:
        return render_inspection(request, inspection.pk, bound={key: form})
    messages.success(request, _("“%(name)s” is named for the inspection.") % {"name": named.name})
    return redirect(detail_url(inspection.pk, "subjects"))


@login_required
@require_POST
@back_to("inspections:detail", "inspection_id")
def recommendation_add(request: AuthenticatedHttpRequest, inspection_id: int) -> HttpResponse:
    inspection = services.visible_inspection(actor=request.user, inspection_id=inspection_id)
    services.check_may_recommend(actor=request.user, inspection=inspection)
    form = forms.RecommendationForm(request.POST, inspection=inspection, prefix="recommendation")
    added = submit_valid(
        form,
        lambda: services.recommendation_add(
            actor=request.user, inspection_id=inspection.pk, **form.cleaned_data
        ),
    )
    if added is not None:
        messages.success(request, _("The recommendation is recorded."))
        return redirect(detail_url(inspection.pk, "recommendations"))
    return render_inspection(request, inspection.pk, bound={"recommendation": form})


@login_required
@require_POST
@back_to("inspections:detail", "inspection_id")
def recommendation_resolve(
    request: AuthenticatedHttpRequest, inspection_id: int, recommendation_id: int, outcome: str
) -> HttpResponse:
    if outcome not in ("done", "waive"):
        raise Http404
    done = outcome == "done"
    recommendation = services.visible_recommendation(
        actor=request.user, recommendation_id=recommendation_id
    )
    if recommendation.inspection_id != inspection_id:
        raise Http404
    services.check_may_resolve(
        actor=request.user,
        inspection=recommendation.inspection,
        recommendation=recommendation,
        done=done,
    )
    key = f"{outcome}-{recommendation_id}"
    form = (forms.DoneForm if done else forms.WaiveForm)(request.POST, prefix=key)
    resolved = submit_valid(
        form,
        lambda: services.recommendation_resolve(
            actor=request.user,
            recommendation_id=recommendation_id,
            done=done,
            **form.cleaned_data,
        ),
    )
    if resolved is not None:
        message = _("The recommendation is done.") if done else _("The recommendation is waived.")
        messages.success(request, message)
        return redirect(detail_url(inspection_id, "recommendations"))
    return render_inspection(request, inspection_id, bound={key: form})


# --- A subject's history ------------------------------------------------------------------------


@login_required
def subject_history(request: AuthenticatedHttpRequest, subject_id: int) -> HttpResponse:
    subject = selectors.subject_with_inspections(request.user, subject_id)
    if subject is None:
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
        for inspection in subject.visible_inspections
    ]
    return render(request, "inspections/subject.html", {"subject": subject, "rows": rows})
