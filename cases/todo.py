"""The case page's to-do: what this user may do now on this case, by when, and what waits.

The workflow says which steps the user may take and why the others are closed; the case's
clocks say when the current state must end; other apps (referrals) add the work they know of,
registered like the case page's sections.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import clocks as case_clocks
from cases.choices import Status
from cases.models import Case
from core.models import Clock
from core.typing import AuthenticatedHttpRequest, StrOrPromise
from core.workflow import Option


@dataclass(frozen=True)
class TodoItem:
    """One piece of work on this case for this user, with where to do it and by when."""

    text: StrOrPromise
    url: str = ""
    due_at: datetime.datetime | None = None
    kind: str = ""

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at <= timezone.now()


@dataclass(frozen=True)
class StateDeadline:
    """When the case's current state must end: a clock, or words saying why none runs."""

    label: StrOrPromise
    due_at: datetime.datetime | None = None
    note: StrOrPromise = ""

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.due_at <= timezone.now()


@dataclass
class Todo:
    steps: list[Option]
    blocked: list[Option]
    deadline: StateDeadline
    items: list[TodoItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.steps or self.items)


# The clocks that end each state (DOMAIN §7). The emergency and a closed case have none.
STATE_CLOCKS = {
    Status.RECEIVED: (case_clocks.INITIAL_ASSESSMENT,),
    # The first plan (the law's 5 working days), or one returned or revised (policy).
    Status.ASSESSMENT: (case_clocks.PLAN_SUBMISSION, case_clocks.PLAN_RESUBMISSION),
    Status.PLAN_REVIEW: (case_clocks.PLAN_DECISION,),
    Status.INTERVENTION: (case_clocks.REVIEW,),
    Status.REVIEW: (case_clocks.REVIEW_CONCLUSION,),
    Status.CLOSURE_REVIEW: (case_clocks.CLOSURE_DECISION,),
}
NO_CLOCK = {
    Status.EMERGENCY: _(
        "No time limit runs on the emergency itself: end it as soon as the child is safe. The "
        "plan is then due within 5 working days (Decree 56/2017 Art. 28)."
    ),
    Status.CLOSED: _("The case is closed: no deadline runs."),
}

TodoSource = Callable[[AuthenticatedHttpRequest, Case], list[TodoItem]]
_sources: list[TodoSource] = []


def register_todo(source: TodoSource) -> TodoSource:
    if source not in _sources:
        _sources.append(source)
    return source


def state_deadline(case: Case, open_clocks: list[Clock]) -> StateDeadline:
    kinds = STATE_CLOCKS.get(Status(case.status), ())
    clock = next((c for c in open_clocks if c.kind in kinds), None)
    if clock is not None:
        return StateDeadline(case_clocks.LABELS[clock.kind], clock.due_at)
    note = NO_CLOCK.get(Status(case.status), _("No deadline runs for this state now."))
    return StateDeadline(Status(case.status).label, None, note)


def todo_for(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    options: list[Option],
    open_clocks: list[Clock],
) -> Todo:
    items = [item for source in _sources for item in source(request, case)]
    # The most urgent first; work without a deadline after.
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    items.sort(key=lambda item: item.due_at or far)
    return Todo(
        steps=[o for o in options if o.allowed],
        blocked=[o for o in options if not o.allowed],
        deadline=state_deadline(case, open_clocks),
        items=items,
    )
