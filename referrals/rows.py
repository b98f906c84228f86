"""A page of an inbox's section as plain rows: what the table shows of each referral, read for
the page's ids with one query (as cases/rows.py does for the case list, and for the same
reason: building the referral, its case, child, commune, agency and outcome as model instances
cost several times the query). The ids come from the section's scoped query."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from cases.choices import Service, Sex
from cases.rows import age_columns, age_of
from core.deadlines import overdue_flag, with_next_deadline
from core.labels import ChoiceLabels
from core.pagination import in_order
from referrals.models import Referral, Status, Urgency

SERVICE_LABELS = ChoiceLabels(Service)
URGENCY_LABELS = ChoiceLabels(Urgency)
STATUS_LABELS = ChoiceLabels(Status)
SEX_LABELS = ChoiceLabels(Sex)


@dataclass(frozen=True, slots=True)
class ReferralListRow:
    pk: int
    case_code: str
    service: str
    urgency: str
    status: str
    sent_at: datetime.datetime | None
    next_due_at: datetime.datetime | None
    is_overdue: bool | None  # None without an open deadline
    commune_name: str
    child_sex: str
    child_age: int | None

    @property
    def service_label(self) -> str:
        return SERVICE_LABELS(self.service)

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS(self.urgency)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS(self.status)

    @property
    def child_sex_label(self) -> str:
        return SEX_LABELS(self.child_sex)


COLUMNS = (
    "pk",
    "case__code",
    "service",
    "urgency",
    "status",
    "sent_at",
    "next_due_at",
    "is_overdue",
    "case__commune__name",
    "case__child__sex",
    *age_columns("case__child__"),
)


def referral_rows(ids: Sequence[int]) -> list[ReferralListRow]:
    """The rows of these referrals, in the order of `ids`; an id that names none is left out."""
    today = timezone.localdate()
    found: dict[int, ReferralListRow] = {}
    for row in with_next_deadline(Referral.objects.filter(pk__in=ids)).values_list(
        *COLUMNS, named=True
    ):
        found[row.pk] = ReferralListRow(
            pk=row.pk,
            case_code=row.case__code,
            service=row.service,
            urgency=row.urgency,
            status=row.status,
            sent_at=row.sent_at,
            next_due_at=row.next_due_at,
            is_overdue=overdue_flag(row.is_overdue),
            commune_name=row.case__commune__name,
            child_sex=row.case__child__sex,
            child_age=age_of(row, "case__child__", today),
        )
    return in_order(ids, found)
