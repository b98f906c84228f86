"""The agency's inbox, the referral page with what the agency may read of the case, and the
commune's referral actions from the case page."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import sections
from cases.consent import Consent
from cases.services import visible_case
from core.errors import Conflict, Forbidden, InvalidTransition, NotFound
from referrals import services
from referrals.forms import ExtendForm, OutcomeForm, ReasonForm, ReferralForm, WaiveForm
from referrals.selectors import agency_inbox, referral_list


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    context = agency_inbox(request.user)
    context["outgoing"] = referral_list(request.user, direction="outgoing").filter(
        status__in=["pending", "accepted", "declined"]
    )[:100]
    return render(request, "referrals/inbox.html", context)


def referral_or_404(request: HttpRequest, referral_id: int):
    try:
        return services.referral_open(actor=request.user, referral_id=referral_id)
    except NotFound:
        raise Http404 from None


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_or_404(request, referral_id)
    referral = referral_list(request.user).select_related("outcome").get(pk=referral.pk)
    case, allowed = None, frozenset()
    try:
        case = visible_case(actor=request.user, case_id=referral.case_id)
        allowed = sections.sections_for(request.user, case)
    except NotFound:
        pass  # a pending, finished or foreign referral: the referral alone
    steps = {t["name"]: t for t in services.transitions_for(actor=request.user, referral=referral)}
    context = {
        "referral": referral,
        "case": case,
        "sections": allowed,
        "steps": steps,
        "decline_form": ReasonForm(prefix="decline"),
        "cancel_form": ReasonForm(prefix="cancel"),
        "extend_form": ExtendForm(prefix="extend"),
        "outcome_form": OutcomeForm(service=referral.service, prefix="outcome"),
    }
    return render(request, "referrals/detail.html", context)


def run(request: HttpRequest, call, *, back: str) -> HttpResponse | None:
    """Run a service; turn its refusals into a message and the page to return to."""
    try:
        call()
    except NotFound:
        raise Http404 from None
    except Forbidden:
        return HttpResponseForbidden(_("Your role does not allow this."))
    except (InvalidTransition, Conflict) as refusal:
        messages.error(request, refusal.message)
        return redirect(back)
    except ValidationError as error:
        for field_errors in error.message_dict.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect(back)
    return None


def form_errors(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@login_required
@require_POST
def referral_step(request: HttpRequest, referral_id: int, name: str) -> HttpResponse:
    back = reverse("referrals:detail", args=[referral_id])
    step = {"actor": request.user, "referral_id": referral_id}
    if name == "accept":
        call = partial(services.referral_accept, **step)
    elif name in ("decline", "cancel"):
        form = ReasonForm(request.POST, prefix=name)
        service = services.referral_decline if name == "decline" else services.referral_cancel
        call = partial(service, **step)
    elif name == "extend":
        form = ExtendForm(request.POST, prefix="extend")
        call = partial(services.referral_extend, **step)
    elif name == "complete":
        referral = referral_or_404(request, referral_id)
        form = OutcomeForm(request.POST, service=referral.service, prefix="outcome")
        call = partial(services.referral_complete, **step)
    else:
        raise Http404
    if name != "accept":
        if not form.is_valid():
            form_errors(request, form)
            return redirect(back)
        data = form.cleaned_data
        call = partial(call, outcome=data) if name == "complete" else partial(call, **data)
    refused = run(request, call, back=back)
    if refused is not None:
        return refused
    messages.success(request, _("Done."))
    return redirect(back)


@login_required
@require_POST
def refer_case(request: HttpRequest, case_id: int) -> HttpResponse:
    back = reverse("cases:detail", args=[case_id]) + "#referrals"
    form = ReferralForm(request.POST, prefix="refer")
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    data = form.cleaned_data
    refused = run(
        request,
        lambda: services.referral_create(
            actor=request.user,
            case_id=case_id,
            service=data["service"],
            agency=data["agency"],
            urgency=data["urgency"],
            reason=data["reason"],
            consent=Consent(
                data["consent_basis"], data["consent_by_carer"], data["consent_by_child"]
            ),
        ),
        back=back,
    )
    if refused is not None:
        return refused
    messages.success(request, _("The referral was sent."))
    return redirect(back)


@login_required
@require_POST
def waive(request: HttpRequest, case_id: int) -> HttpResponse:
    back = reverse("cases:detail", args=[case_id]) + "#referrals"
    form = WaiveForm(request.POST, prefix="waive")
    if not form.is_valid():
        messages.error(request, _("Choose the service and give a reason."))
        return redirect(back)
    refused = run(
        request,
        lambda: services.referral_waive(actor=request.user, case_id=case_id, **form.cleaned_data),
        back=back,
    )
    if refused is not None:
        return refused
    messages.success(request, _("The service was waived."))
    return redirect(back)
