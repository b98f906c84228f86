"""The agency's inbox, the referral page with what the agency may read of the case, each step's
page, and the commune's referral actions from the case page.

Views call services without a `try`: core.web answers a refusal (404 page, 403 page, or the
message on the page `@back_to` names) and puts a service's ValidationError on the form (`submit`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import visibility
from cases.consent import Consent
from cases.views import render_case
from core.errors import NotFound
from core.models import User
from core.pagination import PaginatorByIds
from core.roles import AGENCY_WORKERS, CASE_HANDLERS, CASE_SUPERVISORS
from core.scope import scope_for
from core.typing import AuthenticatedHttpRequest
from core.web import back_to, submit
from referrals import selectors, services
from referrals.forms import (
    ReferAllForm,
    ReferralForm,
    StepForm,
    WaiveForm,
    confirmation,
    step_form,
)
from referrals.models import Referral
from referrals.page import agency_name, pathway_state
from referrals.rows import referral_rows
from referrals.workflow import REFERRAL_WORKFLOW

INBOX_PAGE = 25  # a section of the triage page; the API and the lists have 50


def posted(request: HttpRequest) -> QueryDict | None:
    """The form's data when the form was sent (even empty, as accepting is), else unbound."""
    return request.POST if request.method == "POST" else None


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An agency's referrals by state, and those its cases' communes sent and still wait on: the
    sections of the user's roles alone (each is a paged query and a count)."""
    scope = scope_for(request.user)
    tables = selectors.agency_inbox(request.user) if scope.has_role(*AGENCY_WORKERS) else {}
    if scope.has_role(*CASE_HANDLERS):
        tables["outgoing"] = selectors.outgoing_open(request.user)
    # Each section a page at a time (`?pending=2`, or its Next link's `?pending_cursor=…`): a
    # provincial police inbox holds thousands.
    counts = selectors.inbox_counts(request.user) if tables else {}
    context: dict[str, object] = {
        "incoming": "pending" in tables,
        "outgoing": "outgoing" in tables,
        # A province or district supervises its communes' referrals rather than sending them.
        "commune_sends": not scope.has_role(*CASE_SUPERVISORS),
    }
    for name, referrals in tables.items():
        paginator = PaginatorByIds(referrals, INBOX_PAGE, count=counts[name], rows=referral_rows)
        page = paginator.page_of(request.GET, name, f"{name}_cursor")
        context[f"{name}_rows"] = page.object_list
        context[f"{name}_page"] = page
    return render(request, "referrals/inbox.html", context)


@login_required
def referral_detail(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    opened = services.referral_open(actor=request.user, referral_id=referral_id)
    referral = selectors.referral_page(request.user, opened.pk)
    if referral is None:  # withdrawn from this user between the two reads
        raise NotFound()
    # A pending, finished or foreign referral's agency reads the referral alone.
    case = selectors.permitted_case(request.user, referral)
    options = services.transitions_for(actor=request.user, referral=referral)
    steps = {option.name: option for option in options}
    scope = scope_for(request.user)
    context = {
        "referral": referral,
        "child_age": referral.case.child.age_on(timezone.localdate()),
        "case": case,
        "sections": visibility.sections_for(request.user, case) if case else frozenset(),
        # The receiving agency reads what its service needs; the commune and its supervisors
        # read the case itself, and are sent to its page.
        "read_as_receiver": referral.agency_id in scope.agency_ids(*AGENCY_WORKERS)
        and not scope.acts_for_unit(referral.unit_path, *CASE_HANDLERS),
        "steps": steps,
        "nothing_to_do": not any(option.allowed for option in options),
        "forms": {
            name: step_form(name, referral) for name, option in steps.items() if option.allowed
        },
        "confirmations": {name: confirmation(name, referral) for name in steps},
    }
    return render(request, "referrals/detail.html", context)


def run_step(name: str, actor: User, referral: Referral, form: StepForm) -> Referral:
    service = getattr(services, f"referral_{name}")
    return service(actor=actor, referral_id=referral.pk, **form.service_kwargs())


@login_required
@back_to("referrals:detail", "referral_id")
def referral_step(request: AuthenticatedHttpRequest, referral_id: int, name: str) -> HttpResponse:
    if name not in REFERRAL_WORKFLOW:
        raise Http404
    referral = services.visible_referral(actor=request.user, referral_id=referral_id)
    # Refused before any form is shown or judged: not the user's step (403), or not now (409).
    step = REFERRAL_WORKFLOW.check(name, actor=request.user, subject=referral)
    form = step_form(name, referral, posted(request))
    if form.is_bound and form.is_valid():
        done = submit(form, lambda: run_step(name, request.user, referral, form))
        if done is not None:
            messages.success(request, REFERRAL_WORKFLOW.confirm(step, referral))
            return redirect("referrals:detail", referral_id=referral.pk)
    context = {
        "referral": referral,
        "name": name,
        "label": step.label,
        "form": form,
        "confirm": confirmation(name, referral),
    }
    return render(request, "referrals/step.html", context)


def case_page(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id]) + "#referrals"


@login_required
@back_to("cases:detail", "case_id")
def refer_case(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    # Refused before the form is judged: not visible (404), not the officer (403), closed (409).
    case = services.referable_case(actor=request.user, case_id=case_id)
    form = ReferralForm(posted(request), prefix="refer", case=case)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        sent = submit(
            form,
            lambda: services.referral_create(
                actor=request.user,
                case_id=case.pk,
                service=data["service"],
                agency=data["agency"],
                urgency=data["urgency"],
                reason=data["reason"],
                consent=Consent(
                    data["consent_basis"], data["consent_by_carer"], data["consent_by_child"]
                ),
            ),
        )
        if sent is not None:
            messages.success(request, _("The referral was sent."))
            return redirect(case_page(case.pk))
    context = {
        "case": case,
        "form": form,
        "title": _("Refer the child to an agency"),
        "button": _("Send the referral"),
    }
    return render(request, "referrals/case_form.html", context)


@login_required
@require_POST
@back_to("cases:detail", "case_id")
def refer_all(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Every referral the pathway needs, from one form on the case page; refused, the case page
    comes back with the form as it was sent and the error on the service's row."""
    case = services.referable_case(actor=request.user, case_id=case_id)
    state = pathway_state(request, case)
    form = ReferAllForm(
        request.POST,
        case=case,
        required=state.missing_required,
        suggested=state.suggested,
        prefix="all",
    )
    if form.is_valid():
        data = form.cleaned_data
        consent = Consent(data["consent_basis"], data["consent_by_carer"], data["consent_by_child"])
        sent = submit(
            form,
            lambda: services.referral_create_many(
                actor=request.user,
                case_id=case.pk,
                requests=form.chosen(),
                consent=consent,
                reason=data["reason"],
            ),
            {"consent": "consent_basis"},
        )
        if sent is not None:
            names = ", ".join(f"{r.get_service_display()} ({agency_name(r)})" for r in sent)
            done = _("%(code)s: referrals sent: %(referrals)s.")
            messages.success(request, done % {"code": case.code, "referrals": names})
            return redirect(case_page(case.pk))
    return render_case(request, case.pk, refer_all=form)


@login_required
@back_to("cases:detail", "case_id")
def waive(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = services.waivable_case(actor=request.user, case_id=case_id)
    missing = pathway_state(request, case).missing_required
    form = WaiveForm(posted(request), prefix="waive", missing=missing)
    if form.is_bound and form.is_valid():
        waived = submit(
            form,
            lambda: services.referral_waive(
                actor=request.user, case_id=case.pk, **form.cleaned_data
            ),
        )
        if waived is not None:
            messages.success(request, _("The service was waived."))
            return redirect(case_page(case.pk))
    context = {
        "case": case,
        "form": form,
        "title": _("Waive a required service"),
        "button": _("Waive"),
        "confirm": _(
            "Waive this required service? The case may then close without it; the reason is "
            "kept in its history."
        ),
    }
    return render(request, "referrals/case_form.html", context)
