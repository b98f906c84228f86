"""Keyset pages (docs/performance.md): the page after one is the rows that follow its last row in
the order, found through the order's index, instead of skipping every row before it. A list's
`next` and `previous` links carry that row's key as an opaque cursor, so a client following them
reads the middle of a province's list as fast as its first page.

Only an order of the model's own non-null date, time or integer columns, all one way and ending
with the id, has keys: each row is then told from the others by its key, "after" is one row
comparison, `(received_at, id) < (%s, %s)`, that an index on those columns answers, and every
value of a key is one a cursor can carry and check."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import DateField, DateTimeField, F, Field, IntegerField, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

# Past these, a forged key is no row's: refused before the database sees it.
LARGEST_ID = 2**63 - 1
LARGEST_PAGE = 10**9
LONGEST_CURSOR = 400  # a cursor made here is about 100 characters


class InvalidCursor(ValueError):
    """A cursor this list did not make: garbled, or naming a key of another shape."""


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (or, going back, before) the row with this key. The page's
    number travels with it, for the links and the audit, and is only as exact as the list was
    stable between the pages."""

    number: int
    key: tuple[Any, ...]
    backwards: bool


@dataclass(frozen=True)
class Keyset:
    fields: tuple[Field, ...]  # the order's columns, the id last
    descending: bool

    @classmethod
    def of(cls, rows: QuerySet[Any]) -> "Keyset | None":
        """The keys of a queryset's order, or None when its order has none (see the module)."""
        query = rows.query
        order = query.order_by or (rows.model._meta.ordering if query.default_ordering else ())
        names = [name for name in order if isinstance(name, str)]  # not an expression
        if not names or len(names) != len(order) or not query.standard_ordering:
            return None
        directions = {name.startswith("-") for name in names}
        try:
            fields = tuple(column_of(rows.model, name.lstrip("-")) for name in names)
        except FieldDoesNotExist:
            return None
        if len(directions) != 1 or not fields[-1].primary_key:
            return None
        return cls(fields, descending=directions.pop())

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(field.attname for field in self.fields)

    def after(self, key: tuple[Any, ...]) -> Q:
        """The rows that follow the row with this key in the order."""
        follows = TupleLessThan if self.descending else TupleGreaterThan
        return Q(follows(Tuple(*(F(name) for name in self.names)), key))

    def before(self, key: tuple[Any, ...]) -> Q:
        """The rows that precede the row with this key in the order."""
        precedes = TupleGreaterThan if self.descending else TupleLessThan
        return Q(precedes(Tuple(*(F(name) for name in self.names)), key))

    def encode(self, cursor: Cursor) -> str:
        payload = {
            "p": cursor.number,
            "k": [value.isoformat() if isinstance(value, date) else value for value in cursor.key],
            "b": cursor.backwards,
        }
        text = json.dumps(payload, separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, text: str) -> Cursor:
        if len(text) > LONGEST_CURSOR:
            raise InvalidCursor
        try:
            payload = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            number, values, backwards = payload["p"], payload["k"], payload["b"]
        except (
            binascii.Error,
            UnicodeDecodeError,
            ValueError,
            TypeError,
            KeyError,
            RecursionError,
        ) as error:
            raise InvalidCursor from error
        if not (
            type(number) is int
            and 0 < number <= LARGEST_PAGE
            and isinstance(backwards, bool)
            and isinstance(values, list)
            and len(values) == len(self.fields)
        ):
            raise InvalidCursor
        return Cursor(number, tuple(map(key_value, self.fields, values)), backwards)


def column_of(model: Any, name: str) -> Field:
    """The model's own non-null date, time or integer column of that name (`pk` for the primary
    key): the kinds of value a cursor carries."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if field.is_relation or field.null or not getattr(field, "concrete", False):
        raise FieldDoesNotExist(name)
    if not isinstance(field, DateField | IntegerField):  # the ids are integer fields too
        raise FieldDoesNotExist(name)
    return field


def key_value(field: Field, value: Any) -> Any:
    """A key's value read back from a cursor, as the column holds it, or InvalidCursor: a date
    or a time written as text, an integer as a number."""
    if isinstance(field, DateField):
        if not isinstance(value, str):
            raise InvalidCursor
        try:
            value = field.to_python(value)
            if isinstance(field, DateTimeField):
                if not isinstance(value, datetime) or value.tzinfo is None:
                    raise InvalidCursor  # the cursors made here carry their offset
                value = value.astimezone(UTC)  # a time past year 1 or 9999 in UTC overflows
        except (ValidationError, ValueError, OverflowError) as error:
            raise InvalidCursor from error
        return value
    if type(value) is not int or not -LARGEST_ID <= value <= LARGEST_ID:
        raise InvalidCursor
    return value
