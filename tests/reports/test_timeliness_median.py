"""The median time taken, grouped by kind in one query on PostgreSQL (percentile_cont) and by the
middle rows elsewhere: the same figure both ways, even counts averaged (run on both databases)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from cases.models import Case
from core.models import Clock
from reports.timeliness import median_duration, medians_by_kind

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def met_clock(kind: str, took: datetime.timedelta) -> None:
    started = timezone.now() - datetime.timedelta(days=2)
    Clock.objects.create(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(Case),
        subject_id=1,
        started_at=started,
        due_at=started + 12 * HOUR,
        met_at=started + took,
    )


def test_the_median_of_each_kind_is_the_middle_or_the_mean_of_the_two_middles():
    for hours in (1, 2, 4, 10):
        met_clock("even", hours * HOUR)
    for hours in (3, 5, 30):
        met_clock("odd", hours * HOUR)
    Clock.objects.create(  # open: not counted
        kind="odd",
        subject_type=ContentType.objects.get_for_model(Case),
        subject_id=1,
        due_at=timezone.now(),
    )
    medians = medians_by_kind(Clock.objects.all())
    assert medians == {"even": 3 * HOUR, "odd": 5 * HOUR}
    assert median_duration(Clock.objects.filter(kind="even")) == 3 * HOUR
    assert median_duration(Clock.objects.filter(kind="none")) is None
