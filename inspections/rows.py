"""A page of the inspections list as plain rows, read with the page's own query (as
cases/rows.py does for the case list): an inspection built as a model instance with its lead
agency, and its kind, topic and state named by `get_FOO_display`, cost more than the query."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from core.labels import ChoiceLabels
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


def inspection_rows(page: QuerySet[Inspection]) -> list[InspectionRow]:
    """The rows of a page (a sliced, ordered queryset), in its order."""
    return [InspectionRow(*row) for row in page.values_list(*COLUMNS)]
