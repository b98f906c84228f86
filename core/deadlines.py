"""The next deadline of each row of a list, computed in the list's own query."""

import datetime
from collections.abc import Iterable
from typing import Any, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.lookups import In
from django.db.models.sql.query import Query
from django.utils import timezone

from core.models import Clock
from core.scope import under_paths


class NextDeadline(TypedDict):
    """What `with_next_deadline` adds to each row."""

    next_due_at: datetime.datetime | None
    is_overdue: bool | None  # None without an open deadline


def with_next_deadline(records: QuerySet[Any], *, with_kind: bool = False) -> QuerySet[Any]:
    """Annotate `next_due_at` (the earliest open clock) and `is_overdue` (an open clock is past
    due). Subqueries, not joins: the list stays one query and its rows stay unique.

    The rows are the caller's model with two more attributes, which the django-stubs plugin
    cannot say of a type variable: the caller names them, as
    `QuerySet[WithAnnotations[TheModel, NextDeadline]]` (django_stubs_ext, for the checker)."""
    clocks = Clock.objects.open().filter(
        subject_type=ContentType.objects.get_for_model(records.model), subject_id=OuterRef("pk")
    )
    # Overdue is "the earliest open deadline has passed": the same subquery, not an EXISTS that
    # the planner ran over every overdue clock of the country (docs/performance.md).
    annotated = records.annotate(
        next_due_at=Subquery(clocks.order_by("due_at").values("due_at")[:1])
    ).annotate(
        is_overdue=ExpressionWrapper(
            Q(next_due_at__lte=timezone.now()), output_field=BooleanField()
        )
    )
    if with_kind:  # `next_due_kind`: which deadline it is, for a queue that names it
        annotated = annotated.annotate(
            next_due_kind=Subquery(clocks.order_by("due_at").values("kind")[:1])
        )
    return annotated


class KeyAmong(In):
    """`key IN (subquery)` for a list's WHERE, which PostgreSQL is told to run as
    `key = ANY(ARRAY(subquery))`: the subquery first, once, then the rows by their keys. Not for
    an aggregate's FILTER, where each row would scan the array (`pk__in` looks it up in a hash).

    As a semi-join, the planner misjudged how many of a province's cases its scope kept (1,614
    for 39,838 at 1,000,000 cases, when a province was matched by two conditions on the path,
    before its stored column) and looked up each case's clocks instead: 126 ms for the count of
    its overdue cases against 38 from the clocks."""

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        assert isinstance(self.rhs, Query), "KeyAmong takes a subquery, not a list of keys"
        key, key_params = self.process_lhs(compiler, connection)
        subquery, subquery_params = compiler.compile(self.rhs)
        return f"{key} = ANY(ARRAY{subquery})", [*key_params, *subquery_params]


def key_among(field: str, keys: QuerySet) -> Q:
    """`field` among `keys` (a one-column queryset), read first, once, then the rows by their
    keys (`KeyAmong`): where the planner misjudges how many keys there are and would otherwise
    hash or scan a whole table to find them."""
    return Q(KeyAmong(F(field), keys))


def open_clocks_under(model: type[Model], paths: Iterable[str]) -> QuerySet[Clock]:
    """The open clocks of the records of `model` under `paths`: a range of
    `clock_open_path_idx`.

    An open clock carries its record's unit path: set when it starts, moved with the case
    (`cases.services` on a transfer, `referrals.case_events.follow_the_case`)."""
    return (
        Clock.objects.open()
        .filter(
            under_paths("unit_path", paths), subject_type=ContentType.objects.get_for_model(model)
        )
        .order_by()
    )


def late_keys(model: type[Model], paths: Iterable[str], now: datetime.datetime) -> QuerySet:
    """The keys of the records of `model` under `paths` with an open deadline passed at `now`
    (a record is overdue when one of its open clocks is past due)."""
    return open_clocks_under(model, paths).filter(due_at__lte=now).values("subject_id")


def overdue(model: type[Model], paths: Iterable[str], elsewhere: Q | None = None) -> Q:
    """The rows of a `with_next_deadline` list that are overdue (`is_overdue=True`), found from
    the clocks: the reader's rows are those under `paths` (its units) and those `elsewhere`
    names (an agency's referrals, a case offered to a commune), if any.

    The rows under `paths` are those `late_keys` names, where the per-row test computed the
    next deadline of every row of a province first (777 ms for a province's overdue referrals
    at 1,000,000 cases). The rows `elsewhere` keep the per-row test."""
    paths = tuple(paths)
    now = timezone.now()
    condition = Q(pk__in=[])
    if paths:
        condition = key_among("pk", late_keys(model, paths, now))
    if elsewhere is not None:
        condition |= elsewhere & Q(is_overdue=True)
    return condition


def on_time(model: type[Model], paths: Iterable[str], elsewhere: Q | None = None) -> Q:
    """The rows of a `with_next_deadline` list whose deadlines all run on time (`is_overdue`
    False: an open deadline, none of them passed), as `overdue` finds the late ones: those under
    `paths` from their clocks, those `elsewhere` by the per-row test.

    Under `paths`: the records with a running clock except those with a late one, both ranges
    of `clock_open_path_idx`, where the per-row test computed the next deadline of each of the
    province's rows to count them (366 ms for its 119,443 referrals at 1,000,000 cases, 130 ms
    this way; 8 and 7 ms for a commune's). A set difference rather than an anti-join, whose
    estimate the planner misjudges for a commune and then looks each row's clocks up."""
    paths = tuple(paths)
    now = timezone.now()
    condition = Q(pk__in=[])
    if paths:
        clocks = open_clocks_under(model, paths).values("subject_id")
        running, late = clocks.filter(due_at__gt=now), clocks.filter(due_at__lte=now)
        condition = Q(pk__in=running.difference(late))
    if elsewhere is not None:
        condition |= elsewhere & Q(is_overdue=False)
    return condition


def overdue_flag(value: object) -> bool | None:
    """`is_overdue` as a row of `values()` holds it: None without an open deadline, else a bool
    (SQLite answers 0 or 1)."""
    return None if value is None else bool(value)
