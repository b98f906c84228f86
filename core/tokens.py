"""Signing in and API tokens: every write here is audited (docs/operations.md, "Sign-in and API
tokens").

django-rest-knox makes the tokens and checks them (only a SHA-512 digest is stored); this module
decides when a token is made or revoked, and how a request proves it holds one
(`TokenAuthentication`). django-axes counts failed sign-ins and locks a username out from an
address (`lockout_response` answers then).
"""

import hashlib
import math
import re
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import get_digest_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from core.audit import audit
from core.errors import NotFound
from core.middleware import RequestContextMiddleware
from core.models import ApiToken, User

# What knox makes: AUTH_TOKEN_CHARACTER_LENGTH hexadecimal digits, no prefix. Anything else is
# refused before it reaches the database (a NUL byte or a non-UTF-8 header would otherwise fail
# there, as a server error).
TOKEN_PATTERN = re.compile(rb"[0-9a-f]{64}")
# Only so much of what a caller typed as a username goes into the audit trail.
USERNAME_IN_AUDIT = 150


def password_fingerprint(user: User) -> str:
    """A hash of the user's stored password hash: it changes whenever the password does."""
    return hashlib.sha256(user.password.encode()).hexdigest()


def token_lifetime() -> timedelta:
    return timedelta(days=settings.CHECHO_TOKEN_DAYS)


# Writes ----------------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, user: User, name: str = "", via: str) -> tuple[ApiToken, str]:
    """Make a token for `user`; the plain token is returned once and never stored.

    Beyond CHECHO_TOKENS_PER_USER live tokens the oldest are revoked, so a script that signs in
    on every run cannot grow a user's tokens without bound."""
    live = list(tokens_of(user).select_for_update().order_by("created", "id"))
    excess = len(live) - settings.CHECHO_TOKENS_PER_USER + 1
    for old in live[: max(excess, 0)]:
        _revoke(old, actor=user, reason="limit")
    digest, plain = get_digest_token()
    token = ApiToken.objects.create(
        digest=digest,
        token_key=plain[: CONSTANTS.TOKEN_KEY_LENGTH],
        user=user,
        expiry=timezone.now() + token_lifetime(),
        name=name,
        password_fingerprint=password_fingerprint(user),
    )
    audit(
        actor=user,
        action="auth.token_created",
        target=token,
        details={"via": via, "expiry": token.expiry.isoformat()},
    )
    return token, plain


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> None:
    """Revoke one of the actor's own tokens; anyone else's is as if it did not exist (404)."""
    token = tokens_of(actor).filter(pk=token_id).first()
    if token is None:
        raise NotFound(_("No such token."))
    _revoke(token, actor=actor, reason="revoked")


@transaction.atomic
def tokens_revoke_all(*, user: User, reason: str) -> int:
    """Revoke every token of `user` (signing out, a password change)."""
    tokens = list(ApiToken.objects.filter(user=user))
    for token in tokens:
        _revoke(token, actor=user, reason=reason)
    return len(tokens)


@transaction.atomic
def api_sign_out(*, user: User, token: ApiToken) -> None:
    """Signing out of the API revokes the token the request was signed with."""
    _revoke(token, actor=user, reason="logout")
    audit(actor=user, action="auth.logout", target=user, details={"via": "api"})


@transaction.atomic
def web_sign_out(*, user: User) -> None:
    """Signing out of the web revokes every API token of the user as well: one "sign out"
    leaves nothing of that user's signed in."""
    tokens_revoke_all(user=user, reason="logout")
    audit(actor=user, action="auth.logout", target=user, details={"via": "web"})


@transaction.atomic
def password_changed(*, user: User) -> int:
    """After the user changed their password: their tokens are revoked (the web session that
    changed it stays signed in). Returns how many tokens were revoked."""
    audit(actor=user, action="auth.password_changed", target=user)
    return tokens_revoke_all(user=user, reason="password_changed")


def _revoke(token: ApiToken, *, actor: User | None, reason: str) -> None:
    audit(
        actor=actor,
        action="auth.token_revoked",
        target=token,
        details={"reason": reason, "user": token.user_id},
    )
    token.delete()


# Reads -----------------------------------------------------------------------------------------


def tokens_of(user: User) -> "QuerySet[ApiToken]":
    """The user's tokens that have not expired, newest first."""
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now())


# Signing in ------------------------------------------------------------------------------------


def api_sign_in(request: HttpRequest, *, username: str, password: str) -> User | None:
    """The user these credentials name, or None; audits the attempt either way.

    `request` is Django's request (not DRF's): django-axes marks it when the attempt is refused
    for too many failures, and its middleware then answers with `lockout_response`."""
    user = authenticate(request, username=username, password=password)
    if isinstance(user, User):
        # As Django's login() does for a session: the user's last sign-in is updated and
        # django-axes forgets the earlier failures.
        user_logged_in.send(sender=User, request=request, user=user)
        audit_sign_in(user, via="api")
        return user
    audit_failed_sign_in(request, username, via="api")
    return None


def audit_sign_in(user: User, *, via: str) -> None:
    audit(actor=user, action="auth.login", target=user, details={"via": via})


def audit_failed_sign_in(request: HttpRequest, username: str, *, via: str) -> None:
    """A failed attempt names the account it tried, when there is one, as its target."""
    details: dict[str, Any] = {"via": via, "username": username[:USERNAME_IN_AUDIT]}
    if getattr(request, "axes_locked_out", False):
        details["locked_out"] = True
    target = User.objects.filter(username=username).first() if username else None
    audit(actor=None, action="auth.login_failed", target=target, details=details)


def client_address(request: HttpRequest) -> str | None:
    """The address django-axes counts failures from: the one the audit trail records."""
    return RequestContextMiddleware.address_of(request)


# Answers ---------------------------------------------------------------------------------------


def lockout_seconds() -> int:
    """How long a locked-out username must wait at an address. Every attempt during the lockout
    starts the wait again (django-axes' default), so this is always the whole cool-off."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """What django-axes answers to a locked-out attempt (AXES_LOCKOUT_CALLABLE): 429 with
    Retry-After, as JSON for the API and as the sign-in page for the web."""
    seconds = lockout_seconds()
    minutes = math.ceil(seconds / 60)
    message = ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    else:
        username = (credentials or {}).get("username") or ""
        form = AuthenticationForm(request, initial={"username": username})
        response = render(
            request,
            "registration/login.html",
            {"form": form, "locked_out_message": message, "username": username},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' refusal of a locked-out username, for the sign-ins that come with a request:
    the web, the token endpoint, the admin. A call of authenticate() without one (a test, a
    management command) has no address to count failures from and goes on to the password
    check; django-axes itself would refuse it with an error."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's check (digest, expiry, active user), refusing a malformed token before the
    database and a token made under a password that has since changed."""

    def authenticate_credentials(self, token: bytes) -> tuple[User, ApiToken]:
        if not TOKEN_PATTERN.fullmatch(token):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)

    def validate_user(self, auth_token: ApiToken) -> tuple[User, ApiToken]:
        user, token = super().validate_user(auth_token)
        if token.password_fingerprint != password_fingerprint(user):
            with transaction.atomic():
                _revoke(token, actor=None, reason="password_changed")
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return user, token
