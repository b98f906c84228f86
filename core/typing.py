"""Types the code base shares that neither Django nor DRF names.

`AuthenticatedHttpRequest` and `AuthenticatedRequest` are the requests of views that only a
signed-in user reaches — a Django view behind `@login_required`, a DRF view behind
`IsAuthenticated` (the project's default permission) — so their `user` is our `User`, never
`AnonymousUser`. They exist for the type checker only: at run time the request is the ordinary
one, and nothing is checked or converted. Annotate the view's `request` parameter with them; a
viewset that reads `self.request` declares `request: AuthenticatedRequest` in its class body.

`StrOrPromise` is text that may be a lazy translation (`gettext_lazy`), as the labels and default
messages defined at import time are. It is django-stubs' alias, defined here without importing
django_stubs_ext, which is a development dependency only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from rest_framework.request import Request

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from core.models import User
else:
    from django.utils.functional import Promise

    StrOrPromise = str | Promise

__all__ = ["AuthenticatedHttpRequest", "AuthenticatedRequest", "StrOrPromise"]


class AuthenticatedHttpRequest(HttpRequest):
    """A Django request whose user has signed in."""

    user: User


class AuthenticatedRequest(Request):
    """A DRF request whose user has signed in."""

    user: User
