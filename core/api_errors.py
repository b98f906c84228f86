"""Turns service errors into the API's documented answers (docs/api.md), and documents them."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    TooManyAttempts,
    TooSlow,
    as_service_error,
)
from core.typing import StrOrPromise


def exception_handler(error: Exception, context: dict[str, Any]) -> Response | None:
    error = as_service_error(error)
    if isinstance(error, NotFound):
        return Response({"detail": error.message}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(error, Forbidden):
        return Response({"detail": error.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(error, InvalidTransition | Conflict):
        return Response(
            {"detail": error.message, "code": error.code}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(error, TooSlow):
        return Response(
            {"detail": error.message, "code": error.code},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    if isinstance(error, TooManyAttempts):
        return Response({"detail": error.message}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    if isinstance(error, DjangoValidationError):
        body = (
            error.message_dict
            if hasattr(error, "error_dict")
            else {"non_field_errors": error.messages}
        )
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(error, context)


def as_sent(error: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """A service's refusal with the fields it names by `names` ({service's name: request's})
    named as the request sent them, so that a client can attach each message to its field."""
    if not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError(
        {names.get(name, name): errors for name, errors in error.error_dict.items()}
    )


class DocumentedErrors:
    """The error answers of the operations on one kind of record, for the schema: call it with
    the codes an operation may answer; 401 (not signed in) is always among them."""

    def __init__(self, *, forbidden: StrOrPromise, not_found: StrOrPromise) -> None:
        self.answers = {
            400: OpenApiResponse(description=_("Bad input: {field: [messages]}; nothing changed.")),
            401: OpenApiResponse(description=_("Not signed in.")),
            403: OpenApiResponse(description=forbidden),
            404: OpenApiResponse(description=not_found),
            409: OpenApiResponse(
                description=_(
                    'The state forbids it ("code": "invalid_transition") or a concurrent change '
                    'won ("code": "conflict"); nothing changed.'
                )
            ),
        }

    def __call__(self, *codes: int) -> dict[int, OpenApiResponse]:
        return {code: self.answers[code] for code in sorted({*codes, 401})}


RECORD_ERRORS = DocumentedErrors(
    forbidden=_("Your role may not do this to this record."),
    not_found=_("No such record, or not visible to you."),
)
