"""Errors a service raises; the API and the web views turn each into one HTTP answer."""

from django.utils.translation import gettext_lazy as _

from core.typing import StrOrPromise


class ServiceError(Exception):
    default_message: StrOrPromise = ""

    def __init__(self, message: StrOrPromise | None = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class NotFound(ServiceError):
    """The object does not exist, or the user may not see it: both answer 404."""

    default_message = _("Not found.")


class Forbidden(ServiceError):
    """The object is visible, but this user's role may not do this to it: 403."""

    default_message = _("Your role does not allow this.")


class InvalidTransition(ServiceError):
    """The object's state forbids the transition: 409."""

    code = "invalid_transition"
    default_message = _("This step is not possible in the record's current state.")


class Conflict(ServiceError):
    """A concurrent change won the race: 409."""

    code = "conflict"
    default_message = _("Someone else changed this record at the same time. Reload and try again.")


class TooManyAttempts(ServiceError):
    """The user tried this too often in a short time: 429, try again later."""

    default_message = _("Too many attempts. Wait a while and try again.")
