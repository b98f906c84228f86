from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog

from core import tokens
from core.navigation import panels_for
from core.scope import scope_for
from core.typing import AuthenticatedHttpRequest


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    return render(request, "core/home.html", {"panels": panels_for(request, scope)})


class AdminJavaScriptCatalog(JavaScriptCatalog):
    """The admin's JavaScript strings, with the project's Vietnamese for those Django's own
    catalogue lacks (the filter boxes' help, the calendar's days): locale/vi/…/djangojs.po.
    Django's translations come first where both have one."""

    def get_paths(self, packages: list[str]) -> list[str]:
        return [*super().get_paths(packages), *map(str, settings.LOCALE_PATHS)]


class SignInView(auth_views.LoginView):
    """Django's sign-in, audited. django-axes answers instead (429) once a username has failed
    too often from an address (core.tokens.lockout_response)."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        tokens.audit_sign_in(form.get_user(), via="web")
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        # Only a username and a password that both passed their fields' checks were tried.
        username = form.cleaned_data.get("username")
        if username and form.cleaned_data.get("password"):
            tokens.audit_failed_sign_in(self.request, username, via="web")
        return super().form_invalid(form)


def admin_sign_in(request: HttpRequest) -> HttpResponseRedirect:
    """The admin's sign-in page is the product's (the sign-in page checks `next`)."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            tokens.web_sign_out(user=request.user)
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    # Not Django's template name: the admin's template of that name would be found first.
    template_name = "registration/change_password.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        revoked = tokens.password_changed(user=form.user)
        message = _("Your password has been changed.")
        if revoked:
            message += " " + _("Your API tokens have been revoked.")
        messages.success(self.request, message)
        return response


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What is it for?"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("For example: the district office's reporting script."),
    )


@never_cache
@login_required
def my_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's API tokens; a new one is shown on this answer only (never stored, never
    cached), so the page is rendered rather than redirected to."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if form.is_valid():
        _, new_token = tokens.token_create(
            user=request.user, name=form.cleaned_data["name"], via="web"
        )
        form = TokenForm()
    return render(
        request,
        "core/tokens.html",
        {
            "form": form,
            "tokens": tokens.tokens_of(request.user),
            "new_token": new_token,
            "token_days": tokens.token_lifetime().days,
        },
    )


@require_POST
@login_required
def revoke_token(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponseRedirect:
    tokens.token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("The token has been revoked."))
    return redirect("tokens")
