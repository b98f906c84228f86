"""Timeliness (DOMAIN §9): of the deadlines decided in the period, how many were met in time, and
the median time taken — counted by the database.

A deadline is decided when it was met, or when it ran out unmet: still open past its due time,
or stopped (the case dismissed or closed, the referral cancelled) after its due time had passed.
Dropping the latter would let a dismissal erase a breach. A deadline stopped before it was due no
longer applied and is left out.
"""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cases import clocks as case_clocks
from cases.choices import Service
from cases.models import Case
from core.clocks import span_of
from core.deadlines import key_among
from core.models import Clock
from core.typing import StrOrPromise
from referrals import clocks as referral_clocks
from referrals.models import Referral, ReferralExtension
from reports.tables import UNIT, totals
from reports.units import Split

HOURS, DAYS = "hours", "days"


@dataclass
class Deadline:
    key: str
    label: StrOrPromise
    decided: int
    on_time: int
    # The unit of the median: the unit the law counts the deadline in.
    unit: str
    median: float | None

    @property
    def late(self) -> int:
        return self.decided - self.on_time


def decided(now: datetime.datetime, due: str = "due_at") -> Q:
    """Met, or run out unmet by `now` — including a clock stopped after its due time."""
    return (
        Q(met_at__isnull=False)
        | Q(stopped_at__isnull=True, **{f"{due}__lte": now})
        | Q(stopped_at__gt=F(due))
    )


TOOK = ExpressionWrapper(F("met_at") - F("started_at"), output_field=DurationField())


class Median(Aggregate):
    """PostgreSQL's median of a duration (the mean of the two middle values of an even count)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def medians_by_kind(clocks: QuerySet[Clock]) -> dict[str, datetime.timedelta | None]:
    """The median of met - started of each kind: one grouped query on PostgreSQL; elsewhere (the
    demo's SQLite, which has no percentile) a count and the middle rows per kind."""
    met = clocks.filter(met_at__isnull=False)
    if connection.vendor == "postgresql":
        return dict(met.values("kind").annotate(median=Median(TOOK)).values_list("kind", "median"))
    kinds = met.values_list("kind", flat=True).distinct().order_by()
    return {kind: median_duration(met.filter(kind=kind)) for kind in kinds}


def median_duration(clocks: QuerySet[Clock]) -> datetime.timedelta | None:
    """The median of met - started, found by the database: a count, then the middle row(s)."""
    if connection.vendor == "postgresql":
        return clocks.filter(met_at__isnull=False).aggregate(median=Median(TOOK))["median"]
    met = clocks.filter(met_at__isnull=False).annotate(took=TOOK)
    count = met.count()
    if not count:
        return None
    middle = list(
        met.order_by("took").values_list("took", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return sum(middle, datetime.timedelta()) / len(middle)


def in_unit(duration: datetime.timedelta | None, unit: str) -> float | None:
    if duration is None:
        return None
    return round(duration.total_seconds() / (3600 if unit == HOURS else 86400), 1)


def deadline(
    key: str,
    label: StrOrPromise,
    clocks: QuerySet[Clock],
    now: datetime.datetime,
    split: Split,
    *,
    commune: str,
    unit: str,
    due: str = "due_at",
) -> dict[int, Deadline]:
    """The deadline counted for each unit of the split; the median for the report's own only."""
    counts = totals(
        clocks.filter(decided(now, due)),
        {
            "decided": Count("pk"),
            "on_time": Count("pk", filter=Q(met_at__isnull=False, met_at__lte=F(due))),
        },
        split=split,
        commune=commune,
    )
    # Counted alone, every clock is the unit's own: no join to the commune for the median.
    own = (
        clocks if len(split.units) == 1 else clocks.filter(**{f"{commune}__in": split.own_communes})
    )
    median = in_unit(median_duration(own), unit)
    return {
        u: Deadline(
            key,
            label,
            counts[u]["decided"],
            counts[u]["on_time"],
            unit,
            median if u == split.unit.pk else None,
        )
        for u in split.units
    }


def deadlines_by_kind(
    named: list[tuple[str, str, StrOrPromise]],
    clocks: QuerySet[Clock],
    now: datetime.datetime,
    split: Split,
    *,
    commune: str,
) -> list[dict[int, Deadline]]:
    """Several deadlines (key, kind, label) of the same records counted together: one grouped
    query for every kind's counts, one for their medians, whatever the number of kinds."""
    clocks = clocks.filter(kind__in=[kind for _key, kind, _label in named])
    counts: dict[tuple[str, int], dict[str, int]] = {}
    grouped = (
        clocks.filter(decided(now))
        .annotate(**{UNIT: split.unit_expression(commune)})
        .values("kind", UNIT)
        .annotate(
            decided=Count("pk"),
            on_time=Count("pk", filter=Q(met_at__isnull=False, met_at__lte=F("due_at"))),
        )
        .order_by()
    )
    for row in grouped:
        counts[(row["kind"], row[UNIT])] = row
    own = (
        clocks if len(split.units) == 1 else clocks.filter(**{f"{commune}__in": split.own_communes})
    )
    medians = medians_by_kind(own)
    rows = []
    for key, kind, label in named:
        unit = unit_of(kind)
        median = in_unit(medians.get(kind), unit)
        rows.append(
            {
                u: Deadline(
                    key,
                    label,
                    counts.get((kind, u), {}).get("decided", 0),
                    counts.get((kind, u), {}).get("on_time", 0),
                    unit,
                    median if u == split.unit.pk else None,
                )
                for u in split.units
            }
        )
    return rows


def unit_of(kind: str) -> str:
    return HOURS if span_of(kind).hours else DAYS


CASE_COMMUNE = "case__commune_id"
REFERRAL_COMMUNE = "referral__case__commune_id"


def referrals_of(cases: QuerySet[Case]) -> QuerySet[Referral]:
    """The referrals of `cases`, found by the cases' keys (core.deadlines.key_among). As a
    semi-join, the planner misjudged how many of a province's cases a year holds (48,300 for
    12,252 at 1,000,000 cases), hashed all 3,000,000 referrals of the country to find theirs,
    and read each clock of a kind nationwide: 1.4 s for the police decisions' timeliness, 110 ms
    from the keys."""
    return Referral.objects.filter(key_among("case_id", cases.values("pk")))


def timeliness(
    cases: QuerySet[Case], split: Split, now: datetime.datetime
) -> dict[int, list[Deadline]]:
    case_type = ContentType.objects.get_for_model(Case)
    referral_type = ContentType.objects.get_for_model(Referral)
    of_cases = Clock.objects.filter(
        key_among("subject_id", cases.values("pk")), subject_type=case_type
    )
    # A case's plan is due once by law (Art. 28): a plan returned by the chair or revised runs a
    # clock of its own (PLAN_RESUBMISSION, not counted here; cases/migrations/0013 gave it to
    # the clocks such steps started before). Only each case's first plan deadline that applied
    # (decided) counts; one stopped unspent by an emergency did not apply, and the emergency's
    # end starts the one that does.
    earlier_plan = Clock.objects.filter(
        decided(now),
        subject_type=case_type,
        subject_id=OuterRef("subject_id"),
        kind=case_clocks.PLAN_SUBMISSION,
        started_at__lt=OuterRef("started_at"),
    )
    of_cases = of_cases.exclude(Q(kind=case_clocks.PLAN_SUBMISSION) & Exists(earlier_plan))
    of_referrals = Clock.objects.filter(
        key_among("subject_id", referrals_of(cases).values("pk")), subject_type=referral_type
    )
    rows = deadlines_by_kind(
        [
            (
                "initial_assessment",
                case_clocks.INITIAL_ASSESSMENT,
                _("Initial assessment within 12 hours"),
            ),
            ("plan", case_clocks.PLAN_SUBMISSION, _("Plan within 5 working days")),
        ],
        of_cases,
        now,
        split,
        commune=CASE_COMMUNE,
    )
    rows += deadlines_by_kind(
        [
            (
                f"accept_{code}",
                referral_clocks.accept_kind(code),
                _("Referral accepted in time: %(service)s") % {"service": label},
            )
            for code, label in Service.choices
        ],
        of_referrals,
        now,
        split,
        commune=REFERRAL_COMMUNE,
    )
    rows += police_decisions(of_referrals, now, split)
    return {unit: [row[unit] for row in rows] for unit in split.units}


def police_decisions(
    of_referrals: QuerySet[Clock], now: datetime.datetime, split: Split
) -> list[dict[int, Deadline]]:
    """Criminal Procedure Code 2015 Art. 147: the decision within 20 days of receipt, and, for
    the reports whose time was extended, within the extended limit — two figures, never one."""
    police = of_referrals.filter(kind=referral_clocks.complete_kind(Service.POLICE_REPORT))
    first_extension = ReferralExtension.objects.filter(
        referral_id=OuterRef("subject_id"), number=1
    ).values("previous_due_at")[:1]
    police = police.annotate(
        original_due=Coalesce(Subquery(first_extension), F("due_at"), output_field=DateTimeField())
    )
    extended = police.filter(subject_id__in=ReferralExtension.objects.values("referral_id"))
    return [
        deadline(
            "police_decision",
            _("Police decision within 20 days"),
            police,
            now,
            split,
            commune=REFERRAL_COMMUNE,
            unit=DAYS,
            due="original_due",
        ),
        deadline(
            "police_decision_extended",
            _("Police decision within the extended time limit"),
            extended,
            now,
            split,
            commune=REFERRAL_COMMUNE,
            unit=DAYS,
        ),
    ]
