"""Service errors as the web pages answer them, in one place (the API's is core/api_errors.py).

- NotFound → the 404 page; Forbidden → the 403 page (`ServiceErrorMiddleware`).
- InvalidTransition, Conflict → the message on top of the page the user comes back to: the one
  the view names with `@back_to`, else the page the form was on (`ServiceErrorMiddleware`); so
  does a transaction the database rolled back for a race it lost (a deadlock).
- A statement the database stopped at the web's time limit → a page saying so, 503
  (`ServiceErrorMiddleware`; core/statement_limit.py).
- ValidationError → next to the fields of the form that was sent (`submit`), so the form comes
  back with the user's input and the error where it belongs.

Views therefore call services without a `try`: only `submit` catches, and only what a form shows.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

from core.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    TooSlow,
    as_service_error,
)

T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., HttpResponse])
# Where a refused step sends the user back to: a URL name and the view's keyword arguments.
BackTo = Callable[[dict[str, Any]], str]


def back_to(url_name: str, *kwarg_names: str) -> Callable[[View], View]:
    """Name the page a refused step (409) returns to, e.g. `@back_to("cases:detail", "case_id")`."""

    def mark(view: View) -> View:
        view.back_to = lambda kwargs: resolve_url(  # type: ignore[attr-defined]
            url_name, **{name: kwargs[name] for name in kwarg_names}
        )
        return view

    return mark


class ServiceErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, error: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None  # DRF answers for the API (core/api_errors.py)
        error = as_service_error(error)
        if isinstance(error, NotFound):
            raise Http404 from error
        if isinstance(error, Forbidden):
            raise PermissionDenied(error.message) from error
        if isinstance(error, InvalidTransition | Conflict):
            messages.error(request, error.message)
            return HttpResponseRedirect(self.back(request))
        if isinstance(error, TooSlow):
            # Rendered without the request: the layout's context would ask the database again.
            page = render_to_string("core/too_slow.html", {"message": error.message})
            return HttpResponse(page, status=503)
        return None

    @staticmethod
    def back(request: HttpRequest) -> str:
        match = request.resolver_match
        view_back = getattr(match.func, "back_to", None) if match else None
        if view_back is not None and match is not None:
            return str(view_back(match.kwargs))
        referer = request.META.get("HTTP_REFERER", "")
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return referer
        return request.path if request.method == "GET" else "/"


def show_service_errors(
    form: forms.BaseForm, error: ValidationError, aliases: dict[str, str | None] | None = None
) -> None:
    """A service's ValidationError on the form, next to the field it names if there is one
    (`aliases` maps a service's name for a field to the form's; None: the form as a whole)."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, field_messages in error.message_dict.items():
        field = aliases.get(name, name)
        form.add_error(field if field in form.fields else None, field_messages)


def submit(
    form: forms.BaseForm,
    call: Callable[[], T],
    aliases: dict[str, str | None] | None = None,
) -> T | None:
    """Run the service behind a valid form; on bad input put its errors on the form and answer
    None, so the view renders the same form again with what the user typed."""
    try:
        return call()
    except ValidationError as error:
        show_service_errors(form, error, aliases)
        return None


def posted_id(raw: str | None) -> int:
    """An id named by a form's hidden field or select, or 0 (which no row has) when it is not a
    whole number in ASCII digits a row could have: `int()` takes "²" for a digit and no limit."""
    value = (raw or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return 0
    return int(value)
