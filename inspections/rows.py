"""A page of the inspections list as plain rows, read for the page's ids with one query (as
cases/rows.py does for the case list): an inspection built as a model instance with its lead
agency, and its kind, topic and state named by `get_FOO_display`, cost more than the query."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from core.labels import ChoiceLabels
from core.pagination import in_order
from inspections.models import Inspection, Kind, Status, Topic

KIND_LABELS = ChoiceLabels(Kind)
TOPIC_LABELS = ChoiceLabels(Topic)
STATUS_LABELS = ChoiceLabels(Status)


@dataclass(frozen=True, slots=True)
class InspectionRow:
    pk: int
    title: str
    kind: str
    topic: str
    status: str
    lead_agency_name: str
    planned_start: datetime.date
    planned_end: datetime.date

    @property
    def kind_label(self) -> str:
        return KIND_LABELS(self.kind)

    @property
    def topic_label(self) -> str:
        return TOPIC_LABELS(self.topic)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS(self.status)


COLUMNS = (
    "pk",
    "title",
    "kind",
    "topic",
    "status",
    "lead_agency__name",
    "planned_start",
    "planned_end",
)


def inspection_rows(ids: Sequence[int]) -> list[InspectionRow]:
    """The rows of these inspections, in the order of `ids`; an id that names none is left out."""
    rows = Inspection.objects.filter(pk__in=ids).values_list(*COLUMNS)
    return in_order(ids, {row[0]: InspectionRow(*row) for row in rows})
