"""The edge of the application (issue 13): what no view, form or serializer should ever see.

- `InputGuardMiddleware` refuses, before anything else reads the request, a NUL character or a
  lone surrogate (or any byte sequence that is not UTF-8) in the path, the query or the body
  (400), and a body larger than the limits (413): `DATA_UPLOAD_MAX_MEMORY_SIZE` for anything but
  a file upload, one document (`CHECHO_ATTACHMENT_MAX_BYTES`) more for a multipart upload;
- `BoundedJSONParser` is the API's JSON parser: a document nested deeper than
  `MAX_JSON_DEPTH` is a 400, not a `RecursionError`;
- `clamp_unreadable_dates` lets PostgreSQL's connections read a date or time Python cannot hold
  (before year 1, after year 9999, ±infinity) as the nearest one it can, so a bad stored value
  shows as an odd date instead of breaking every page that lists it.

The limits of each field's value (dates in a plausible window, lengths) are `core/validators.py`;
the API's ids are typed in its URLs by `core/api_routers.py`.
"""

import datetime
import io
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from psycopg import DataError
from psycopg.types.datetime import DateLoader, TimestampLoader
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

logger = logging.getLogger(__name__)

MAX_JSON_DEPTH = 50

NUL = b"\x00"
# A JSON escape: backslash-u and four hex digits (group 1: the digits), or another escaped
# character. Scanning from the left pairs every backslash with what it escapes, so `\\u0000` is
# no escape of NUL.
JSON_ESCAPE = re.compile(rb"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
JSON_BRACKETS = re.compile(rb"[\[\]{}]")


class Refused(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_path(request)
            check_query(request)
            check_body(request)
        except Refused as refused:
            logger.warning("Refused %s %s: %s", request.method, path_for_log(request), refused)
            return refusal(request, refused)
        return self.get_response(request)


def refusal(request: HttpRequest, refused: Refused) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": refused.message}, status=refused.status)
    # A page in the site's layout (refused before sign-in is read: as to a visitor), with a way
    # back to the form the text came from.
    context = {"message": refused.message, "back": page_came_from(request)}
    response = render(request, "core/refused.html", context, status=refused.status)
    # Answered before the CSRF middleware runs: set the cookie that the page's forms' tokens
    # (the language buttons) belong to, as it would, or a first visit's click is refused 403.
    CsrfViewMiddleware(lambda request: response).process_response(request, response)
    return response


def page_came_from(request: HttpRequest) -> str | None:
    """The path of the referring page, when it is one of this site's."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def path_for_log(request: HttpRequest) -> str:
    return request.path_info.encode("unicode_escape").decode("ascii")[:200]


def check_text(raw: bytes) -> None:
    """Raw bytes of the request: no NUL, and UTF-8 (which has no lone surrogates)."""
    if NUL in raw:
        raise Refused(_("The request contains a NUL character."))
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(
            _("The request is not valid UTF-8 text (for example, a lone surrogate).")
        ) from None


def check_path(request: HttpRequest) -> None:
    # WSGI gives the path's bytes as Latin-1 characters, percent-decoded.
    raw = request.META.get("PATH_INFO", "")
    check_text(raw.encode("latin-1", errors="replace") if isinstance(raw, str) else raw)
    check_text(request.path_info.encode("utf-8", errors="surrogatepass"))


def check_query(request: HttpRequest) -> None:
    query = request.META.get("QUERY_STRING", "")
    if query:
        check_text(unquote_to_bytes(query.replace("+", " ")))


def check_body(request: HttpRequest) -> None:
    length = content_length(request)
    content_type = request.content_type or ""
    if content_type == "multipart/form-data":
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + settings.CHECHO_ATTACHMENT_MAX_BYTES
        if length > limit:
            raise Refused(_("The request is too large."), status=413)
        if request.method == "POST":
            # Parsing streams the files to their handlers; only the form's own fields are text.
            check_values(form_values(request))
        return
    if not length and not request.META.get("HTTP_TRANSFER_ENCODING"):
        return
    try:
        body = request.body
    except RequestDataTooBig:
        raise Refused(_("The request is too large."), status=413) from None
    if not body:
        return
    if NUL in body:
        raise Refused(_("The request contains a NUL character."))
    if content_type == "application/x-www-form-urlencoded":
        check_text(unquote_to_bytes(body.replace(b"+", b" ")))
    elif is_json(content_type) or content_type.startswith("text/"):
        check_text(body)
        if is_json(content_type):
            check_json_escapes(body)


def content_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        raise Refused(_("The request's length is not a number.")) from None


def is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def form_values(request: HttpRequest) -> Iterable[str]:
    try:
        post = request.POST
        files = request.FILES
    except RequestDataTooBig:
        raise Refused(_("The request is too large."), status=413) from None
    except SuspiciousOperation:
        raise Refused(_("The request's form data cannot be read.")) from None
    for name, values in post.lists():
        yield name
        yield from values
    for _name, uploads in files.lists():
        for upload in uploads:
            yield upload.name or ""


def check_values(values: Iterable[str]) -> None:
    for value in values:
        check_text(value.encode("utf-8", errors="surrogatepass"))


def check_json_escapes(body: bytes) -> None:
    r"""A JSON text may spell NUL and lone surrogates as escapes: `\u0000`, `\ud800`."""
    high_ends_at = -1  # where the last unpaired high surrogate's escape ended
    for escape in JSON_ESCAPE.finditer(body):
        if high_ends_at >= 0 and escape.start() != high_ends_at:
            raise Refused(_("The request contains a lone surrogate."))
        code = int(escape.group(1), 16) if escape.group(1) else None
        paired_low = high_ends_at >= 0
        high_ends_at = -1
        if code is None:
            if paired_low:
                raise Refused(_("The request contains a lone surrogate."))
            continue
        if code == 0:
            raise Refused(_("The request contains a NUL character."))
        if 0xD800 <= code <= 0xDBFF:
            if paired_low:
                raise Refused(_("The request contains a lone surrogate."))
            high_ends_at = escape.end()
        elif 0xDC00 <= code <= 0xDFFF:
            if not paired_low:
                raise Refused(_("The request contains a lone surrogate."))
        elif paired_low:
            raise Refused(_("The request contains a lone surrogate."))
    if high_ends_at >= 0:
        raise Refused(_("The request contains a lone surrogate."))


# --- The API's JSON parser ----------------------------------------------------------------------


def json_depth(body: bytes) -> int:
    """How deep arrays and objects nest in a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for bracket in JSON_BRACKETS.findall(JSON_STRING.sub(b'""', body)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing a document nested deeper than MAX_JSON_DEPTH (400)."""

    max_depth = MAX_JSON_DEPTH

    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        body = stream.read() if stream is not None else b""
        if json_depth(body) > self.max_depth:
            raise ParseError(
                _("JSON parse error - nested deeper than %(depth)s levels.")
                % {"depth": self.max_depth}
            )
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:  # the depth above is far below Python's own limit
            raise ParseError(_("JSON parse error - nested too deep.")) from None


# --- Reading what PostgreSQL holds and Python cannot --------------------------------------------

# The nearest times every time zone can still show (a day inside Python's range).
EARLIEST_READABLE = datetime.datetime(1, 1, 2)
LATEST_READABLE = datetime.datetime(9999, 12, 30)


def clamped(data: Any) -> datetime.datetime:
    text = bytes(data).strip()
    before = text.startswith(b"-infinity") or text.endswith(b"BC")
    return EARLIEST_READABLE if before else LATEST_READABLE


# Each loader first tries Python's ISO 8601 parser, written in C. The loaders below replace
# psycopg's (the one for times with a zone through Django's, which labels them), and psycopg uses
# its C loaders only for its own classes, never for a subclass: every time the application read
# went through a regular expression in Python, 5 µs a time stamp against 0.4 µs an integer. A
# page of 50 cases reads a few hundred times and dates, a sweep's batch of 500 deadlines some
# 6,000 (a tenth of its time). ISO 8601 is how PostgreSQL writes them unless its DateStyle is
# changed; the other styles never read as ISO, so they, and what Python cannot hold, go the long
# way, which clamps what it cannot read.


def iso_text(data: Any) -> str:
    return str(data, "ascii")  # a UnicodeDecodeError is a ValueError: the long way


class ClampedTimestamptzLoader(BaseTzLoader):
    def load(self, data: Any) -> datetime.datetime:
        try:
            # In the session's zone (as psycopg's loader returns it), labelled with Django's
            # (as Django's does): the same zone, UTC, as Django sets its sessions to it.
            moment = datetime.datetime.fromisoformat(iso_text(data)).astimezone(self._timezone)
            if moment.tzinfo is not self.timezone:  # replace() costs more than the parse
                moment = moment.replace(tzinfo=self.timezone)
            return moment
        except (ValueError, OverflowError):
            pass
        try:
            return super().load(data)
        except DataError:
            return clamped(data).replace(tzinfo=self.timezone)


class ClampedTimestampLoader(TimestampLoader):
    def load(self, data: Any) -> datetime.datetime:
        try:
            return datetime.datetime.fromisoformat(iso_text(data))
        except ValueError:
            pass
        try:
            return super().load(data)
        except DataError:
            return clamped(data)


class ClampedDateLoader(DateLoader):
    def load(self, data: Any) -> datetime.date:
        try:
            return datetime.date.fromisoformat(iso_text(data))
        except ValueError:
            pass
        try:
            return super().load(data)
        except DataError:
            return clamped(data).date()


def clamp_unreadable_dates(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """On a new PostgreSQL connection (psycopg 3), read dates and times that Python cannot hold
    as the nearest ones it can; connected to `connection_created` by core's AppConfig."""
    raw = connection.connection
    if connection.vendor != "postgresql" or not hasattr(raw, "adapters"):
        return
    # In the time zone Django reads in: its cursors keep a loader that has the same zone.
    timestamptz = type(
        "ClampedTimestamptzLoader",
        (ClampedTimestamptzLoader,),
        {"timezone": connection.timezone},
    )
    raw.adapters.register_loader("timestamptz", timestamptz)
    raw.adapters.register_loader("timestamp", ClampedTimestampLoader)
    raw.adapters.register_loader("date", ClampedDateLoader)
