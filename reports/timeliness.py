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
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
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
from core.models import Clock
from core.typing import StrOrPromise
from referrals import clocks as referral_clocks
from referrals.models import Referral, ReferralExtension
from reports.tables import totals
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


def median_duration(clocks: QuerySet[Clock]) -> datetime.timedelta | None:
    """The median of met - started, found by the database: a count, then the middle row(s)."""
    met = clocks.filter(met_at__isnull=False).annotate(
        took=ExpressionWrapper(F("met_at") - F("started_at"), output_field=DurationField())
    )
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


def unit_of(kind: str) -> str:
    return HOURS if span_of(kind).hours else DAYS


CASE_COMMUNE = "case__commune_id"
REFERRAL_COMMUNE = "referral__case__commune_id"


def timeliness(
    cases: QuerySet[Case], split: Split, now: datetime.datetime
) -> dict[int, list[Deadline]]:
    case_type = ContentType.objects.get_for_model(Case)
    referral_type = ContentType.objects.get_for_model(Referral)
    of_cases = Clock.objects.filter(subject_type=case_type, subject_id__in=cases.values("pk"))
    of_referrals = Clock.objects.filter(
        subject_type=referral_type,
        subject_id__in=Referral.objects.filter(case__in=cases).values("pk"),
    )
    rows = [
        deadline(
            "initial_assessment",
            _("Initial assessment within 12 hours"),
            of_cases.filter(kind=case_clocks.INITIAL_ASSESSMENT),
            now,
            split,
            commune=CASE_COMMUNE,
            unit=HOURS,
        ),
        deadline(
            "plan",
            _("Plan within 5 working days"),
            of_cases.filter(kind=case_clocks.PLAN_SUBMISSION),
            now,
            split,
            commune=CASE_COMMUNE,
            unit=DAYS,
        ),
    ]
    for code, label in Service.choices:
        kind = referral_clocks.accept_kind(code)
        rows.append(
            deadline(
                f"accept_{code}",
                _("Referral accepted in time: %(service)s") % {"service": label},
                of_referrals.filter(kind=kind),
                now,
                split,
                commune=REFERRAL_COMMUNE,
                unit=unit_of(kind),
            )
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
