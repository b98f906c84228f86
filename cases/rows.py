"""A page of a case list as plain rows: what a list shows of each case, read for the page's ids
with one query (and one more for their forms of abuse, when the list shows them).

Model instances are not built for a list: for fifty cases, their children and communes, Django
spent longer building them than PostgreSQL spent finding them (docs/performance.md). The ids
come from the list's scoped and filtered query (core/pagination.py), so the rows are read by id
alone.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cases.choices import Status
from cases.models import Case, CaseAbuseForm, age_on
from core.deadlines import overdue_flag, with_next_deadline
from core.labels import ChoiceLabels
from core.pagination import in_order

STATUS_LABELS = ChoiceLabels(Status)

# The child's columns its age is read from (cases.models.age_on), under a row's prefix.
AGE_FIELDS = ("date_of_birth", "estimated_age", "estimated_on")


def age_columns(prefix: str) -> tuple[str, ...]:
    """ "child__date_of_birth", …: the columns `age_of` reads, for a `values_list`."""
    return tuple(prefix + field for field in AGE_FIELDS)


def age_of(row: Any, prefix: str, today: datetime.date) -> int | None:
    """The child's age on `today` from a row read with `age_columns(prefix)`."""
    return age_on(today, **{field: getattr(row, prefix + field) for field in AGE_FIELDS})


@dataclass(frozen=True, slots=True)
class CaseRow:
    pk: int
    code: str
    status: str
    situation: str
    received_at: datetime.datetime
    next_due_at: datetime.datetime | None
    is_overdue: bool | None  # None without an open deadline
    child_name: str
    child_sex: str
    child_age: int | None
    commune_code: str
    commune_name: str
    abuse_forms: tuple[str, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS(self.status)


COLUMNS = (
    "pk",
    "code",
    "status",
    "situation",
    "received_at",
    "next_due_at",
    "is_overdue",
    "child__full_name",
    "child__sex",
    *age_columns("child__"),
    "commune__code",
    "commune__name",
)


def case_rows(ids: Sequence[int], *, abuse_forms: bool = False) -> list[CaseRow]:
    """The rows of these cases, in the order of `ids`; an id that names no case is left out."""
    forms = forms_of(ids) if abuse_forms else {}
    today = timezone.localdate()
    found: dict[int, CaseRow] = {}
    for row in with_next_deadline(Case.objects.filter(pk__in=ids)).values_list(
        *COLUMNS, named=True
    ):
        found[row.pk] = CaseRow(
            pk=row.pk,
            code=row.code,
            status=row.status,
            situation=row.situation,
            received_at=row.received_at,
            next_due_at=row.next_due_at,
            is_overdue=overdue_flag(row.is_overdue),
            child_name=row.child__full_name,
            child_sex=row.child__sex,
            child_age=age_of(row, "child__", today),
            commune_code=row.commune__code,
            commune_name=row.commune__name,
            abuse_forms=tuple(sorted(forms.get(row.pk, ()))),
        )
    return in_order(ids, found)


def forms_of(ids: Sequence[int]) -> dict[int, list[str]]:
    forms: dict[int, list[str]] = {}
    rows = CaseAbuseForm.objects.filter(case_id__in=ids).values_list("case_id", "form")
    for case_id, form in rows:
        forms.setdefault(case_id, []).append(form)
    return forms
