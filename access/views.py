"""The web pages of access: grant and revoke (from the case page), break the glass, review the
emergency accesses, and review what a user can see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access import selectors, services
from access.forms import BreakGlassForm, ReviewForm
from access.page import grant_form, may_grant
from cases.services import visible_case
from core import policy
from core.audit import audit
from core.errors import Forbidden, InvalidTransition, NotFound, TooManyAttempts
from core.models import Role
from core.scope import scope_for
from core.typing import AuthenticatedHttpRequest
from core.web import back_to, posted_id, submit

REACH_PAGE = 50


def case_page(case_id: int) -> str:
    return reverse("cases:detail", args=[case_id])


@login_required
@require_http_methods(["GET", "POST"])
@back_to("cases:detail", "case_id")
def grant(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Let someone outside the commune read the case: a page of its own, for its list of the
    province's staff is long and the case page is opened far more often than anyone is let in."""
    case = visible_case(actor=request.user, case_id=case_id)
    if not may_grant(request.user, case):
        raise Forbidden(_("Only the commune's officer or chair may let someone into a case."))
    if not case.is_open:  # back to the case page, saying why (core/web.py)
        raise InvalidTransition(_("The case is closed: nobody can be let in any more."))
    form = grant_form(case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access = submit(
            form,
            lambda: services.grant_access(
                actor=request.user,
                case_id=case.pk,
                user_id=data["user"].pk,
                sections=data["sections"],
                may_add_notes=data["may_add_notes"],
                days=data["days"],
                explanation=data["explanation"],
            ),
        )
        if access is not None:
            done = _("%(user)s may read case %(code)s until %(until)s.")
            until = access.ends_at.strftime("%d/%m/%Y")
            messages.success(
                request,
                done % {"user": access.user.get_username(), "code": case.code, "until": until},
            )
            return redirect(case_page(case.pk) + "#access")
    return render(request, "access/grant.html", {"case": case, "form": form})


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, access_id: int) -> HttpResponse:
    access = services.revoke_access(actor=request.user, access_id=access_id)
    messages.success(
        request,
        _("The access of %(user)s to case %(code)s has ended.")
        % {"user": access.user.get_username(), "code": access.case.code},
    )
    return redirect(case_page(access.case_id) + "#access")


@login_required
def break_glass(request: AuthenticatedHttpRequest) -> HttpResponse:
    glass = services.glass_for(request.user)
    if glass is None:
        raise PermissionDenied(services.NOT_ELIGIBLE)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = submit(
                form, lambda: services.break_glass(actor=request.user, **form.cleaned_data)
            )
        except (NotFound, TooManyAttempts) as error:
            form.add_error(None, error.message)
            opened = None
        if opened:
            if len(opened) > 1:
                codes = ", ".join(case.code for case in opened)
                messages.info(request, _("This child has several open cases: %s.") % codes)
            return redirect(case_page(opened[0].pk))
    context = {"form": form, "glass": glass, "glass_hours": policy.break_glass_hours()}
    return render(request, "access/break_glass.html", context)


@login_required
def reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not scope_for(request.user).has_role(Role.PROVINCIAL_OFFICER):
        raise PermissionDenied
    bound_id, bound = None, None
    if request.method == "POST":
        bound_id = posted_id(request.POST.get("access"))
        bound = ReviewForm(request.POST, prefix=f"review-{bound_id}")
        if bound.is_valid():
            reviewed = submit(
                bound,
                lambda: services.review_access(
                    actor=request.user, access_id=bound_id, **bound.cleaned_data
                ),
            )
            if reviewed is not None:
                messages.success(
                    request,
                    _("The emergency access of %(user)s to case %(code)s is reviewed.")
                    % {"user": reviewed.user.get_username(), "code": reviewed.case.code},
                )
                return redirect("access:reviews")
    rows = [
        (
            access,
            bound
            if access.pk == bound_id and bound is not None
            else ReviewForm(prefix=f"review-{access.pk}"),
        )
        for access in services.accesses_to_review(request.user)[:100]
    ]
    return render(request, "access/reviews.html", {"rows": rows})


@login_required
def users(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.reviews_users(request.user):
        raise PermissionDenied
    q = request.GET.get("q", "")
    page = Paginator(selectors.reviewable_users(request.user, q), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "access/users.html", {"page": page, "q": q})


@login_required
def user_access(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    if not selectors.reviews_users(request.user):
        raise PermissionDenied
    user = get_object_or_404(selectors.reviewable_users(request.user), pk=user_id)
    audit(actor=request.user, action="access.review_user", target=user)
    # A page at a time: an agency's staff reach one case per accepted referral.
    page = Paginator(selectors.reach_rows(request.user, user), REACH_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "access/user_access.html", {"subject": user, "page": page})
