"""The next deadline of each row of a list, computed in the list's own query."""

from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from core.models import Clock

M = TypeVar("M", bound=models.Model)


def with_next_deadline(records: "models.QuerySet[M]") -> "models.QuerySet[M]":
    """Annotate `next_due_at` (the earliest open clock) and `is_overdue` (an open clock is past
    due). Subqueries, not joins: the list stays one query and its rows stay unique."""
    clocks = Clock.objects.open().filter(
        subject_type=ContentType.objects.get_for_model(records.model), subject_id=OuterRef("pk")
    )
    # The django-stubs plugin types annotate() on a QuerySet of a type variable as a QuerySet of
    # Model; the rows are still the caller's model.
    return records.annotate(  # type: ignore[return-value]
        next_due_at=Subquery(clocks.order_by("due_at").values("due_at")[:1]),
        is_overdue=Exists(clocks.filter(due_at__lte=timezone.now())),
    )
