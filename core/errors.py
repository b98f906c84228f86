"""Errors a service raises; the API and the web views turn each into one HTTP answer."""

from django.db import DatabaseError
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


# PostgreSQL's answers when two transactions cannot both go on (deadlock_detected,
# serialization_failure): one is rolled back whole, as if it had lost a race. The steps on a case
# take its row before the audit chain's lock so as not to meet so (docs/operations.md); what
# still does is answered, not shown as an error page.
RACE_LOST_SQLSTATES = frozenset({"40P01", "40001"})


def sqlstate_of(error: BaseException) -> str | None:
    """The SQLSTATE PostgreSQL answered, for an error Django raised from the driver's."""
    return getattr(error.__cause__, "sqlstate", None) if isinstance(error, DatabaseError) else None


def lost_race(error: BaseException) -> bool:
    """A database error that only says another transaction won: answered as a Conflict."""
    return sqlstate_of(error) in RACE_LOST_SQLSTATES


class TooSlow(ServiceError):
    """The database stopped a statement that ran past its time limit (or waited that long for a
    lock): 503."""

    code = "too_slow"
    default_message = _(
        "This took longer than the time limit and was stopped. Narrow the search or the filters "
        "and try again; if it happens again, tell your system administrator."
    )


# query_canceled: the statement ran past `statement_timeout` (core/statement_limit.py), or an
# administrator cancelled it (pg_cancel_backend).
QUERY_CANCELED_SQLSTATE = "57014"


def timed_out(error: BaseException) -> bool:
    """A database error that says the statement was stopped: answered as TooSlow."""
    return sqlstate_of(error) == QUERY_CANCELED_SQLSTATE


def as_service_error(error: Exception) -> Exception:
    """What a database error says in the product's terms, for the page and the API to answer
    alike: a race lost as a Conflict, a statement stopped as TooSlow; any other error as is."""
    if lost_race(error):
        return Conflict()
    if timed_out(error):
        return TooSlow()
    return error
