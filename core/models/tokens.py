"""API tokens: only a hash of each is stored, each expires, and a user sees and revokes their own.

django-rest-knox makes, hashes (SHA-512) and checks the tokens; this is its token model
(`KNOX_TOKEN_MODEL`): the fields its code reads, as its own model declares them, plus a plain id
to name a token by in URLs instead of its digest, a name the user gives it, and the fingerprint
of the password it was made under (core.tokens). Declared here rather than inherited from knox's
abstract model, which carries no types, so that the type checker sees the fields.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.settings import CONSTANTS


class ApiToken(models.Model):
    # knox makes the digest the primary key; here it is only unique, so that no URL, log line or
    # form carries it.
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    # The token's first characters, to find the row whose digest to compare.
    token_key = models.CharField(
        max_length=CONSTANTS.MAXIMUM_TOKEN_PREFIX_LENGTH + CONSTANTS.TOKEN_KEY_LENGTH,
        db_index=True,
    )
    # knox's code reads `user.auth_token_set`.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_token_set"
    )
    created = models.DateTimeField(_("made"), auto_now_add=True)
    expiry = models.DateTimeField(_("expires"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    # A hash of the user's stored password hash when the token was made: a password changed
    # anywhere (the page, the admin, `manage.py changepassword`) makes the token unusable.
    password_fingerprint = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.name or self.pk} ({self.user_id})"
