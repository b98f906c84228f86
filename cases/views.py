"""The web pages of cases: parse the request, call a service or a selector, render."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases import forms, sections, selectors, services, visibility
from cases.choices import AbuseForm, SexualAbuseForm, SpecialCircumstance, Status
from cases.clocks import LABELS as CLOCK_LABELS
from cases.clocks import readable_clocks
from cases.consent import Consent
from cases.event_details import details_for
from cases.labels import event_label
from cases.models import Case, CaseTransfer, Child, Plan, SeparationDecision
from cases.page import case_banners, case_sections, may_open_attachment, signables
from cases.rows import case_rows
from cases.summary import case_summary
from cases.todo import todo_for
from cases.workflow import CASE_WORKFLOW, pending_transfer, separation_in_force
from core.clocks import open_clocks
from core.errors import Forbidden
from core.models import Role
from core.pagination import PaginatorByIds
from core.roles import CASE_RECORDERS
from core.scope import scope_for
from core.text import vnd
from core.typing import AuthenticatedHttpRequest
from core.web import back_to, submit

PAGE_SIZE = 25
HISTORY_PAGE = 50
NOTES_PAGE = 20
# A list holding more than this says so instead of counting on: past it, one filters.
COUNT_AT_MOST = 10_000
# The chair's steps on a submitted plan: its page shows the plan decided on.
PLAN_DECISIONS = frozenset({"approve_plan", "return_plan"})
# The chair's steps on a separation in force: its page shows the separation.
SEPARATION_STEPS = frozenset({"extend_separation", "revoke_separation"})


def run_transition(name: str, *, actor: Any, case_id: int, form: Any, measures: Any) -> Case:
    data = dict(form.cleaned_data)
    if hasattr(form, "service_kwargs"):
        data = form.service_kwargs()
    if name == "submit_plan":
        basis = data.pop("consent_basis")
        by_carer, by_child = data.pop("consent_by_carer"), data.pop("consent_by_child")
        data["consent"] = Consent(basis, by_carer, by_child) if basis else None
        data["measures"] = [
            services.MeasureData(
                service=row["service"],
                description=row["description"],
                timeframe_days=row["timeframe_days"],
                responsible_agency=row.get("responsible_agency"),
            )
            for row in measures.cleaned_data
            if row
        ]
    service = getattr(services, f"case_{name}")
    return service(actor=actor, case_id=case_id, **data)


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def shown_value(value: Any) -> str:
    if isinstance(value, list):
        parts = [str(v.get("name", "")) if isinstance(v, dict) else str(v) for v in value]
        return ", ".join(parts) or "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value) if value not in ("", None) else "—"


def field_label(model: type[Case] | type[Child], name: str) -> str:
    if name == "abuse_forms":
        return str(_("forms of abuse"))
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def correction_lines(event: Any, shown: frozenset[str]) -> list[str]:
    """What a correction changed: each field, its previous value and the new one where the
    reader may read the field's section, else “…” (the reporter's identity always)."""
    if event.action != "correct":
        return []
    changed = dict(details_for(event.action, event.details, shown)["changed"])
    child = changed.pop("child", None) or {}
    lines = []
    for model, values in ((Case, changed), (Child, child)):
        for name, change in values.items():
            label = field_label(model, name)
            if isinstance(change, list) and len(change) == 2:
                lines.append(f"{label}: {shown_value(change[0])} → {shown_value(change[1])}")
            else:
                lines.append(f"{label}: …")
    return lines


# --- The list ----------------------------------------------------------------------------------


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    listed_paths = visibility.listed_unit_paths(scope)
    communes = selectors.list_communes(listed_paths)
    filter_form = forms.CaseFilterForm(request.GET or None, communes=communes)
    filters = filter_form.filters()
    cases = selectors.case_list(request.user, **filters)
    paginator = PaginatorByIds(cases, PAGE_SIZE, count_at_most=COUNT_AT_MOST, rows=case_rows)
    page = paginator.page_of(request.GET)
    if filters.get("q"):
        services.audit_search(request.user, query=filters["q"], results=page.paginator.count)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("cursor", None)
    transfers = (
        list(selectors.incoming_transfers(request.user))
        if scope.has_role(Role.COMMUNE_OFFICER)
        else []
    )
    context = {
        "filter_form": filter_form,
        # The cached form's options differ with the communes offered (a province's).
        "filter_scope": "" if communes is None else ",".join(listed_paths),
        "page": page,
        "filtered": any(value is not None for value in filters.values()),
        "query": query.urlencode(),
        "transfers": transfers,
        "transfer_form": forms.TransferDecisionForm(),
        "may_record": scope.has_role(*CASE_RECORDERS),
    }
    return render(request, "cases/list.html", context)


# --- Intake (Form 01) --------------------------------------------------------------------------


@login_required
def intake(request: AuthenticatedHttpRequest) -> HttpResponse:
    communes = selectors.intake_communes(request.user)
    if not communes.exists():
        raise PermissionDenied
    form = forms.IntakeForm(request.POST or None, communes=communes)
    carers = forms.CarerFormSet(request.POST or None, prefix="carers")
    duplicates = None
    if request.method == "POST" and form.is_valid() and carers.is_valid():
        data = form.cleaned_data
        candidates = list(
            selectors.possible_duplicates(
                request.user,
                full_name=data["full_name"],
                birth_year=form.birth_year(),
                commune=data["commune"],
            )
        )
        choice = data["child_choice"]
        existing = next((c for c in candidates if str(c.pk) == choice), None)
        if candidates and not choice:
            duplicates = candidates
        elif choice not in ("", "new") and existing is None:
            form.add_error(None, _("Choose one of the children proposed, or a new child."))
            duplicates = candidates
        else:
            case = create_case(request, form, existing, forms.carer_rows(carers))
            if case is not None:
                messages.success(request, _("Case %(code)s is recorded.") % {"code": case.code})
                return redirect("cases:detail", case_id=case.pk)
        if duplicates:
            services.audit_duplicates(request.user, child_ids=[child.pk for child in duplicates])
            visible = selectors.cases_visible_to(request.user).only("code", "child_id")
            prefetch_related_objects(
                duplicates, Prefetch("cases", queryset=visible, to_attr="visible_cases")
            )
    context = {"form": form, "carers": carers, "duplicates": duplicates}
    return render(request, "cases/intake.html", context)


def create_case(
    request: AuthenticatedHttpRequest,
    form: forms.IntakeForm,
    existing: Any,
    carers: list[dict[str, Any]],
) -> Case | None:
    data = form.cleaned_data
    child = None
    if existing is None:
        child = services.ChildData(
            full_name=data["full_name"],
            sex=data["sex"],
            date_of_birth=data["date_of_birth"],
            estimated_age=None if data["date_of_birth"] else data["estimated_age"],
            ethnicity=data["ethnicity"],
            disability=data["disability"],
            special_circumstances=tuple(data["special_circumstances"]),
            address=data["address"],
            school=data["school"],
            carers=tuple(carers),
            family_circumstances=data["family_circumstances"],
        )
    report = {
        name: data[name]
        for name in (
            "commune",
            "received_at",
            "channel",
            "source",
            "description",
            "situation",
            "abuse_forms",
            "setting",
            "perpetrator_relation",
            "sexual_abuse_forms",
            "reporter_name",
            "reporter_contact",
            "reporter_address",
            "receiving_body",
            "report_number",
            "harm_location",
            "child_location",
            "child_condition",
            "likely_harm",
            "actions_taken",
        )
    }
    return submit(
        form,
        lambda: services.case_create(
            actor=request.user, child=child, existing_child=existing, **report
        ),
        forms.ERROR_ALIASES,
    )


# --- The case page -----------------------------------------------------------------------------


@login_required
def case_detail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    return render_case(request, case_id)


def render_case(
    request: AuthenticatedHttpRequest,
    case_id: int,
    *,
    note_form: forms.NoteForm | None = None,
    attachment_form: forms.AttachmentForm | None = None,
    sanction_form: forms.SanctionForm | None = None,
    separation_form: forms.SeparationDecisionForm | None = None,
    **bound: BaseForm,
) -> HttpResponse:
    """The case page; a refused form comes back bound, with what was typed and its errors (the
    named ones belong to this app, `bound` to the sections other apps add)."""
    user = request.user
    case = selectors.case_with_records(user, case_id)
    if case is None:
        services.audit_denied_read(user, case_id)
        raise Http404
    shown = visibility.sections_for(user, case)
    is_officer = services.may_act_on(user, case, Role.COMMUNE_OFFICER)
    is_chair = services.may_act_on(user, case, Role.COMMUNE_CHAIR)
    now = timezone.now()

    options = services.transitions_for(actor=user, case=case) if is_officer or is_chair else []
    transfers = list(case.casetransfers.all())
    offered_to = pending_transfer(case)
    events = []
    history = notes = None
    if sections.HISTORY in shown:
        # A page of the history, the latest fifty first (page 1 counts back from the newest): a
        # case followed for years gathers hundreds of steps, and the page stays the same size.
        paginator = Paginator(selectors.case_events(case).reverse(), HISTORY_PAGE)
        history = paginator.get_page(request.GET.get("history"))
        notes = Paginator(selectors.case_notes(case), NOTES_PAGE).get_page(request.GET.get("notes"))
        for event in reversed(history.object_list):
            events.append(
                {
                    "event": event,
                    "label": event_label(event.action),
                    "from_status": status_label(event.from_status),
                    "to_status": status_label(event.to_status),
                    "changed": event.from_status != event.to_status and event.from_status,
                    "corrections": correction_lines(event, shown),
                }
            )
    # Audited however the page is shown (opened, or shown again with a form's errors), with the
    # pages of the history and notes it shows.
    pages = (
        {}
        if history is None or notes is None
        else {"history": history.number, "notes": notes.number}
    )
    services.audit_read(user, case, "page", **pages)
    # Administrative sanctions belong to the case's file, read with its history.
    sanctions = (
        [
            {"sanction": sanction, "fine": vnd(sanction.fine_amount)}
            for sanction in case.administrativesanctions.select_related("author")
        ]
        if sections.HISTORY in shown
        else []
    )
    case_clocks = readable_clocks(open_clocks(case), shown)
    clocks = [
        {
            "label": CLOCK_LABELS.get(clock.kind, clock.kind),
            "due_at": clock.due_at,
            "overdue": clock.is_overdue(now),
        }
        for clock in case_clocks
    ]
    todo = todo_for(request, case, options=options, open_clocks=case_clocks)
    # Each deadline with what it is: the header names the next one, not only its time.
    deadlines = [(clock.due_at, CLOCK_LABELS.get(clock.kind, clock.kind)) for clock in case_clocks]
    deadlines += [(item.due_at, item.text) for item in todo.items if item.due_at is not None]
    # The chair decides a proposed separation right here, within its 12 hours.
    separations_to_decide = [
        (
            decision,
            separation_form
            if separation_form is not None and separation_form.prefix == f"separation-{decision.pk}"
            else separation_form_for(decision),
        )
        for decision in case.separationdecisions.all()
        if is_chair and decision.outcome == SeparationDecision.Outcome.PENDING
    ]
    context = {
        "case": case,
        "child": case.child,
        "shown": shown,
        "sections": {name.upper(): name for name in sections.ALL_SECTIONS},
        "show_reporter": sections.REPORTER in shown and (is_officer or is_chair),
        "abuse_forms": [label for value, label in AbuseForm.choices if value in case.abuse_forms],
        "sexual_abuse_forms": [
            label for value, label in SexualAbuseForm.choices if value in case.sexual_abuse_forms
        ],
        "circumstances": [
            label
            for value, label in SpecialCircumstance.choices
            if value in case.child.special_circumstances
        ],
        "clocks": clocks,
        "events": events,
        "history": history,
        "notes": notes,
        "any_overdue": any(clock["overdue"] for clock in clocks),
        "todo": todo,
        "summary": case_summary(case, deadlines, shown),
        # Where a separation has the child now: none once its period has ended (Art. 32(2)).
        "separation_in_force": separation_in_force(case),
        "separations_to_decide": separations_to_decide,
        "is_officer": is_officer,
        "is_chair": is_chair,
        "may_correct": is_officer and case.is_open,
        "note_form": note_form
        or (
            forms.NoteForm()
            if case.is_open and (is_officer or visibility.may_add_notes(user, case))
            else None
        ),
        "banners": case_banners(request, case),
        "may_transfer": is_officer and case.is_open and offered_to is None,
        "pending_transfer": offered_to,
        "transfers": transfers,
        "page_sections": case_sections(request, case, bound),
        "attachment_form": attachment_form
        or (forms.AttachmentForm(documents=signables(case)) if is_officer else None),
        "attachments": [
            attachment
            for attachment in case.caseattachments.all()  # prefetched with their authors
            if may_open_attachment(attachment.signs, shown)
        ],
        "attachment_limit": settings.CHECHO_ATTACHMENT_MAX_BYTES,
        "sanctions": sanctions,
        "sanction_form": sanction_form
        or (forms.SanctionForm() if is_officer or is_chair else None),
    }
    return render(request, "cases/detail.html", context)


@login_required
@back_to("cases:detail", "case_id")
def case_transition(request: AuthenticatedHttpRequest, case_id: int, name: str) -> HttpResponse:
    form_class = forms.TRANSITION_FORMS.get(name)
    if form_class is None:
        raise Http404
    case = services.visible_case(actor=request.user, case_id=case_id)
    # Refused before any form is shown or judged: not the user's step (403), or not now (409).
    CASE_WORKFLOW.check(name, actor=request.user, subject=case)
    if request.method == "GET":
        services.audit_read(request.user, case, f"step:{name}")
    step = CASE_WORKFLOW[name]
    # A form built from the case's own rows (the plan's measures, the open work).
    extra: dict[str, Any] = {"case": case} if getattr(form_class, "needs_case", False) else {}
    initial: dict[str, Any] = {}
    measures_initial: list[dict[str, Any]] = []
    # A returned plan is where the next one starts; an assessment that found immediate danger
    # is where the emergency starts: what was typed is never typed twice.
    returned = forms.returned_plan(case) if name == "submit_plan" else None
    if returned is not None:
        initial, measures_initial = forms.plan_initial(returned)
    if name == "declare_emergency":
        initial = request.session.get(carried_key(case.pk), {})
    form = form_class(request.POST or None, initial=initial, **extra)
    measures = None
    if name == "submit_plan":
        measures = forms.MeasureFormSet(
            request.POST or None,
            prefix="measures",
            initial=measures_initial,
            form_kwargs={"case": case},
        )
    if request.method == "POST" and form.is_valid() and (measures is None or measures.is_valid()):
        if name == "assess_initial" and form.cleaned_data["immediate_danger"]:
            request.session[carried_key(case.pk)] = forms.emergency_from_assessment(
                form.cleaned_data
            )
            messages.warning(
                request,
                _(
                    "The child is in immediate danger: declare the emergency now. What you "
                    "typed in the assessment is filled in below."
                ),
            )
            return redirect("cases:transition", case_id=case.pk, name="declare_emergency")
        done = submit(
            form,
            lambda: run_transition(
                name, actor=request.user, case_id=case.pk, form=form, measures=measures
            ),
            forms.ERROR_ALIASES | {"measures": None},
        )
        if done is not None:
            request.session.pop(carried_key(case.pk), None)
            messages.success(request, CASE_WORKFLOW.confirm(step, case))
            return redirect("cases:detail", case_id=case.pk)
    context = {
        "case": case,
        "name": name,
        "label": step.label,
        "law": step.law,
        "form": form,
        "measures": measures,
        "returned": returned,
        "returned_comments": [d.comments for d in returned.decisions.all() if not d.approved]
        if returned
        else [],
        "confirm": forms.CONFIRMATIONS.get(name, ""),
        # The chair decides on the plan as submitted, read where the decision is taken.
        "plan_to_decide": case.plans.filter(outcome=Plan.Outcome.SUBMITTED)
        .select_related("author")
        .prefetch_related("measures__responsible_agency")
        .first()
        if name in PLAN_DECISIONS
        else None,
        # The chair extends or ends the separation knowing when it ends and the days used.
        "separation": separation_in_force(case) if name in SEPARATION_STEPS else None,
        "separation_max_days": services.SEPARATION_MAX_DAYS,
    }
    return render(request, "cases/transition.html", context)


def carried_key(case_id: int) -> str:
    """Where the session keeps an assessment's input on its way to the emergency step."""
    return f"cases:emergency-from-assessment:{case_id}"


@login_required
@back_to("cases:detail", "case_id")
def case_correct(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Correct or complete the recorded report and the child's facts (the commune's officer)."""
    # Refused before any form is shown: not visible (404), not the officer (403), closed (409).
    case = services.correctable_case(actor=request.user, case_id=case_id)
    form = forms.CorrectionForm(
        request.POST or None, initial=forms.CorrectionForm.initial_for(case)
    )
    carers = forms.CarerFormSet(
        request.POST or None, prefix="carers", initial=case.child.carers or None
    )
    if request.method == "POST" and form.is_valid() and carers.is_valid():
        done = submit(
            form,
            lambda: services.case_correct(
                actor=request.user,
                case_id=case.pk,
                **form.service_kwargs(forms.carer_rows(carers)),
            ),
            forms.ERROR_ALIASES,
        )
        if done is not None:
            messages.success(request, _("The record is corrected; the history keeps what changed."))
            return redirect("cases:detail", case_id=case.pk)
    services.audit_read(request.user, case, "correct")  # the form shows the child's record
    context = {"case": case, "form": form, "carers": carers}
    return render(request, "cases/correct.html", context)


@login_required
@require_POST
def case_add_note(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return render_case(request, case_id, note_form=form)
    services.case_add_note(actor=request.user, case_id=case_id, text=form.cleaned_data["text"])
    messages.success(request, _("The note is added."))
    return redirect("cases:detail", case_id=case_id)


@login_required
@require_POST
def case_record_sanction(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """An administrative sanction decided for the abuse (the commune's officer or chair)."""
    # Refused before the form is judged: not visible (404), not the commune's staff (403).
    services.sanction_case(actor=request.user, case_id=case_id)
    form = forms.SanctionForm(request.POST)
    sanction = (
        submit(
            form,
            lambda: services.case_record_sanction(
                actor=request.user, case_id=case_id, **form.cleaned_data
            ),
        )
        if form.is_valid()
        else None
    )
    if sanction is not None:
        messages.success(request, _("The sanction is recorded."))
        return redirect("cases:detail", case_id=case_id)
    return render_case(request, case_id, sanction_form=form)


@login_required
@back_to("cases:detail", "case_id")
def case_transfer(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Offer the case to the commune the child moved to: a page of its own, as a transfer is
    rare and the province's communes a long list, which the case page need not carry."""
    case = services.visible_case(actor=request.user, case_id=case_id)
    if not services.may_act_on(request.user, case, Role.COMMUNE_OFFICER):
        raise Forbidden()
    services.check_transferable(case)
    posted = request.method == "POST"
    form = forms.TransferForm(
        request.POST if posted else None, communes=selectors.transfer_communes(case)
    )
    if posted and form.is_valid():
        transfer = submit(
            form,
            lambda: services.case_transfer_request(
                actor=request.user, case_id=case.pk, **form.cleaned_data
            ),
        )
        if transfer is not None:
            messages.success(request, _("The transfer is requested."))
            return redirect("cases:detail", case_id=case.pk)
    if not posted:
        services.audit_read(request.user, case, "step:transfer")
    return render(request, "cases/transfer.html", {"case": case, "form": form})


@login_required
@require_POST
@back_to("cases:list")
def transfer_decide(request: AuthenticatedHttpRequest, transfer_id: int) -> HttpResponse:
    form = forms.TransferDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose to accept or decline the transfer."))
        return redirect("cases:list")
    transfer = services.case_transfer_decide(
        actor=request.user, transfer_id=transfer_id, **form.cleaned_data
    )
    if transfer.outcome == CaseTransfer.Outcome.ACCEPTED:
        messages.success(request, _("The case is now in your commune."))
        return redirect("cases:detail", case_id=transfer.case_id)
    messages.success(request, _("The transfer is declined."))
    return redirect("cases:list")


# --- The chair's queue -------------------------------------------------------------------------


@login_required
def chair_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render_queue(request)


def separation_form_for(decision: SeparationDecision) -> forms.SeparationDecisionForm:
    """The chair's decision on a proposal, holding the place the officer proposed for the chair
    to keep or change."""
    return forms.SeparationDecisionForm(
        prefix=f"separation-{decision.pk}", initial={"placement": decision.placement}
    )


def render_queue(
    request: AuthenticatedHttpRequest, bound: tuple[int, forms.SeparationDecisionForm] | None = None
) -> HttpResponse:
    queue = selectors.chair_queue(request.user)
    separations = [
        (
            decision,
            bound[1] if bound and bound[0] == decision.pk else separation_form_for(decision),
        )
        for decision in queue["separations"]
    ]
    context = {
        "plans": list(queue["plans"]),
        "separations": separations,
        "closures": list(queue["closures"]),
    }
    return render(request, "cases/queue.html", context)


@login_required
@require_POST
@back_to("cases:queue")
def separation_decide(request: AuthenticatedHttpRequest, decision_id: int) -> HttpResponse:
    form = forms.SeparationDecisionForm(request.POST, prefix=f"separation-{decision_id}")
    decision = (
        submit(
            form,
            lambda: services.separation_decide(
                actor=request.user, decision_id=decision_id, **form.cleaned_data
            ),
        )
        if form.is_valid()
        else None
    )
    from_case = request.POST.get("back") == "case"
    if decision is not None:
        done = (
            _("%(code)s: the separation of the child from the carer is approved (Form 07).")
            if decision.outcome == SeparationDecision.Outcome.APPROVED
            else _("%(code)s: the separation of the child from the carer is refused.")
        )
        messages.success(request, done % {"code": decision.case.code})
        if from_case:
            return redirect("cases:detail", case_id=decision.case_id)
        return redirect("cases:queue")
    if from_case:
        pending = SeparationDecision.objects.filter(pk=decision_id)
        case_id = pending.values_list("case_id", flat=True).first()
        if case_id is None:
            raise Http404
        return render_case(request, case_id, separation_form=form)
    return render_queue(request, bound=(decision_id, form))


# --- Documents ---------------------------------------------------------------------------------


@login_required
@require_POST
def case_attach(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = services.visible_case(actor=request.user, case_id=case_id)
    form = forms.AttachmentForm(request.POST, request.FILES, documents=signables(case))
    attachment = (
        submit(
            form,
            lambda: services.case_attach(actor=request.user, case_id=case_id, **form.cleaned_data),
            {"file": "upload"},
        )
        if form.is_valid()
        else None
    )
    if attachment is not None:
        messages.success(request, _("The document is attached."))
        return redirect("cases:detail", case_id=case_id)
    return render_case(request, case_id, attachment_form=form)


@login_required
def attachment_download(
    request: AuthenticatedHttpRequest, case_id: int, attachment_id: int
) -> FileResponse:
    """Documents are never served by the web server: only here, after the access check."""
    attachment = services.attachment_open(
        actor=request.user, case_id=case_id, attachment_id=attachment_id
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
