"""The next deadline of each row of a list, computed in the list's own query."""

import datetime
from typing import Any, TypedDict

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core.models import Clock


class NextDeadline(TypedDict):
    """What `with_next_deadline` adds to each row."""

    next_due_at: datetime.datetime | None
    is_overdue: bool


def with_next_deadline(records: QuerySet[Any]) -> QuerySet[Any]:
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
    return records.annotate(
        next_due_at=Subquery(clocks.order_by("due_at").values("due_at")[:1])
    ).annotate(
        is_overdue=ExpressionWrapper(
            Q(next_due_at__lte=timezone.now()), output_field=BooleanField()
        )
    )


def overdue_flag(value: object) -> bool | None:
    """`is_overdue` as a row of `values()` holds it: None without an open deadline, else a bool
    (SQLite answers 0 or 1)."""
    return None if value is None else bool(value)
