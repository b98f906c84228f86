"""The indicators of DOMAIN §9 (Circular 13/2021) for a year and a unit, counted in the database.

Every figure is one aggregate query (a COUNT or SUM grouped by one dimension); no case row is
loaded into Python. Labels are resolved after the query, on the handful of grouped rows.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case as When_,
)
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from cases import clocks as case_clocks
from cases.choices import AbuseForm, Service, Setting, Sex
from cases.ethnicities import ETHNICITIES
from cases.models import Case, CaseAbuseForm, Plan
from core.models import Clock, Unit
from core.typing import StrOrPromise
from inspections.models import Finding, Inspection, Kind, Sanction
from referrals import clocks as referral_clocks
from referrals.models import PoliceDecision, Referral, ReferralOutcome
from referrals.models import Status as ReferralStatus
from reports.units import communes_under, display_commune

AGE_GROUPS = [("0-5", 0, 5), ("6-10", 6, 10), ("11-15", 11, 15), ("16-17", 16, 17)]


@dataclass
class Row:
    key: str
    label: StrOrPromise
    value: int | float | None


@dataclass
class Table:
    key: str
    title: StrOrPromise
    rows: list[Row]
    total: int | None = None
    # Tables of people (children, cases) are suppressed for small counts; money is not counted
    # in people and stays as it is.
    counts_people: bool = True
    columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": str(self.title),
            "total": self.total,
            "rows": [{"key": r.key, "label": str(r.label), "value": r.value} for r in self.rows],
        }


def table(
    key: str, title: StrOrPromise, pairs: list[tuple[str, Any, int]], *, total: int | None
) -> Table:
    return Table(key, title, [Row(k, label, v) for k, label, v in pairs], total)


def by(queryset: QuerySet, dimension: str, *, distinct: str) -> dict[Any, int]:
    """One grouped COUNT(DISTINCT …): {value of the dimension: count}."""
    grouped = queryset.values(dimension).annotate(n=Count(distinct, distinct=True))
    return {row[dimension]: row["n"] for row in grouped}


def labelled(counts: dict, choices) -> list[tuple[str, Any, int]]:
    return [(str(code), label, counts.get(code, 0)) for code, label in choices]


@dataclass
class Period:
    year: int
    unit: Unit

    @cached_property
    def communes(self) -> list[int]:
        return communes_under(self.unit)


def cases_of(period: Period) -> QuerySet[Case]:
    return Case.objects.filter(commune_id__in=period.communes, received_at__year=period.year)


def children_abused(cases: QuerySet[Case]) -> list[Table]:
    abused = cases.filter(situation="abused")
    total = abused.aggregate(n=Count("child", distinct=True))["n"]
    age = ExtractYear("received_at") - F("child__birth_year")
    age_group = When_(
        *[When(Q(age__gte=low, age__lte=high), then=Value(key)) for key, low, high in AGE_GROUPS],
        default=Value("unknown"),
    )
    ages = by(abused.annotate(age=age, age_group=age_group), "age_group", distinct="child")
    forms = CaseAbuseForm.objects.filter(case__in=abused)
    disability = by(abused, "child__disability", distinct="child")
    return [
        table(
            "abused_by_sex",
            _("Children abused, by sex"),
            labelled(by(abused, "child__sex", distinct="child"), Sex.choices),
            total=total,
        ),
        table(
            "abused_by_age",
            _("Children abused, by age group"),
            [(key, key, ages.get(key, 0)) for key, _low, _high in AGE_GROUPS]
            + [("unknown", _("Age unknown"), ages.get("unknown", 0))],
            total=total,
        ),
        table(
            "abused_by_ethnicity",
            _("Children abused, by ethnicity"),
            [
                row
                for row in labelled(by(abused, "child__ethnicity", distinct="child"), ETHNICITIES)
                if row[2]
            ],
            total=total,
        ),
        table(
            "abused_by_form",
            _("Children abused, by form of abuse (a child may suffer several)"),
            labelled(by(forms, "form", distinct="case__child"), AbuseForm.choices),
            total=None,
        ),
        table(
            "abused_by_setting",
            _("Children abused, by setting"),
            labelled(by(abused, "setting", distinct="child"), Setting.choices),
            total=total,
        ),
        table(
            "abused_by_disability",
            _("Children abused, by disability"),
            [
                ("yes", _("With a disability"), disability.get(True, 0)),
                ("no", _("Without a disability"), disability.get(False, 0)),
            ],
            total=total,
        ),
    ]


def support(cases: QuerySet[Case]) -> list[Table]:
    approved = Plan.objects.filter(case=OuterRef("pk"), outcome=Plan.Outcome.APPROVED)
    special = cases.exclude(child__special_circumstances=[])
    counts = cases.aggregate(
        total=Count("pk"),
        supported=Count("pk", filter=Q(Exists(approved))),
        emergencies=Count("pk", filter=Q(emergencydeclarations__isnull=False), distinct=True),
    )
    special_counts = special.aggregate(
        children=Count("child", distinct=True),
        helped=Count("child", distinct=True, filter=Q(Exists(approved))),
    )
    months = {
        row["month"]: row["n"]
        for row in cases.annotate(month=ExtractMonth("received_at"))
        .values("month")
        .annotate(n=Count("pk"))
    }
    return [
        table(
            "cases_by_month",
            _("Reports received, by month"),
            [(str(m), f"{m:02d}", months.get(m, 0)) for m in range(1, 13)],
            total=counts["total"],
        ),
        table(
            "cases",
            _("Cases"),
            [
                ("received", _("Reports received"), counts["total"]),
                (
                    "supported",
                    _("Cases given support or intervention (plan approved)"),
                    counts["supported"],
                ),
                ("emergencies", _("Cases with an emergency"), counts["emergencies"]),
            ],
            total=None,
        ),
        table(
            "special_circumstances",
            _("Children in special circumstances"),
            [
                ("children", _("Children in special circumstances"), special_counts["children"]),
                ("helped", _("Of whom helped (plan approved)"), special_counts["helped"]),
            ],
            total=None,
        ),
    ]


def referrals(cases: QuerySet[Case]) -> list[Table]:
    sent = Referral.objects.filter(case__in=cases)
    grouped = sent.values("service", "status").annotate(n=Count("pk"))
    by_service: dict[str, dict[str, int]] = {}
    for row in grouped:
        by_service.setdefault(row["service"], {})[row["status"]] = row["n"]
    rows = []
    for code, label in Service.choices:
        statuses = by_service.get(code, {})
        rows.append(Row(code, label, sum(statuses.values())))
    service_table = Table("referrals_by_service", _("Referrals, by service"), rows, sent.count())
    status_counts = {
        row["status"]: row["n"] for row in sent.values("status").annotate(n=Count("pk"))
    }
    status_table = table(
        "referrals_by_outcome",
        _("Referrals, by outcome"),
        labelled(status_counts, ReferralStatus.choices),
        total=sent.count(),
    )
    reported = sent.filter(service=Service.POLICE_REPORT).count()
    police = ReferralOutcome.objects.filter(
        referral__case__in=cases, referral__service=Service.POLICE_REPORT
    )
    decisions = {
        r["police_decision"]: r["n"]
        for r in police.values("police_decision").annotate(n=Count("pk"))
    }
    crime = table(
        "crime_reports",
        _("Crime reports and the police's decisions"),
        [
            ("reported", _("Crime reports sent to the police"), reported),
            *labelled(decisions, PoliceDecision.choices),
        ],
        total=None,
    )
    return [service_table, status_table, crime]


def inspections(period: Period) -> list[Table]:
    held = (
        Inspection.objects.filter(
            Q(unit_path__startswith=period.unit.path) | Q(subjects__unit_id__in=period.communes),
            planned_start__year=period.year,
        )
        .exclude(status="cancelled")
        .distinct()
    )
    kinds = {r["kind"]: r["n"] for r in held.values("kind").annotate(n=Count("pk", distinct=True))}
    findings = Finding.objects.filter(inspection__in=held)
    sanctions = {r["sanction"]: r["n"] for r in findings.values("sanction").annotate(n=Count("pk"))}
    money = findings.aggregate(
        fines=Count("pk", filter=Q(sanction=Sanction.FINE)),
        amount=Sum("fine_amount"),
        heads=Count("pk", filter=Q(head_held_accountable=True)),
    )
    return [
        table(
            "inspections",
            _("Inspections held"),
            labelled(kinds, Kind.choices),
            total=sum(kinds.values()),
        ),
        table(
            "violations",
            _("Violations found, by sanction"),
            [
                *labelled(sanctions, Sanction.choices),
                ("heads", _("Heads of institutions held to account"), money["heads"]),
            ],
            total=findings.count(),
        ),
        Table(
            "fines",
            _("Fines"),
            [
                Row("count", _("Fines imposed"), money["fines"]),
                Row("amount", _("Amount (VND)"), money["amount"] or 0),
            ],
            counts_people=False,
        ),
    ]


def child_marriages(period: Period, cases: QuerySet[Case]) -> list[Table]:
    marriages = cases.filter(abuse_form_rows__form="child_marriage")
    per_commune = marriages.values("commune_id").annotate(n=Count("child", distinct=True))
    shown = display_commune(period.unit, [row["commune_id"] for row in per_commune])
    counts: dict[Unit, int] = {}
    for row in per_commune:
        commune = shown.get(row["commune_id"])
        if commune is not None:
            counts[commune] = counts.get(commune, 0) + row["n"]
    ethnic = by(marriages, "child__ethnicity", distinct="child")
    total = marriages.aggregate(n=Count("child", distinct=True))["n"]
    return [
        table(
            "child_marriage_by_commune",
            _("Child marriages, by commune"),
            [(u.code, u.name, n) for u, n in sorted(counts.items(), key=lambda item: item[0].name)],
            total=total,
        ),
        table(
            "child_marriage_by_ethnicity",
            _("Child marriages, by ethnicity"),
            [row for row in labelled(ethnic, ETHNICITIES) if row[2]],
            total=total,
        ),
    ]


# --- Timeliness ----------------------------------------------------------------------------------


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


def timeliness_row(
    key: str, label, clocks: QuerySet[Clock], now: datetime.datetime
) -> dict[str, Any]:
    decided = clocks.filter(Q(met_at__isnull=False) | Q(due_at__lte=now, stopped_at__isnull=True))
    counts = decided.aggregate(
        decided=Count("pk"),
        on_time=Count("pk", filter=Q(met_at__isnull=False, met_at__lte=F("due_at"))),
    )
    median = median_duration(clocks)
    return {
        "key": key,
        "label": str(label),
        "decided": counts["decided"],
        "on_time": counts["on_time"],
        "share": round(100 * counts["on_time"] / counts["decided"], 1)
        if counts["decided"]
        else None,
        "median_hours": round(median.total_seconds() / 3600, 1) if median is not None else None,
    }


def timeliness(cases: QuerySet[Case], now: datetime.datetime) -> list[dict[str, Any]]:
    case_type = ContentType.objects.get_for_model(Case)
    referral_type = ContentType.objects.get_for_model(Referral)
    case_clocks_qs = Clock.objects.filter(subject_type=case_type, subject_id__in=cases.values("pk"))
    referral_ids = Referral.objects.filter(case__in=cases).values("pk")
    referral_clocks_qs = Clock.objects.filter(
        subject_type=referral_type, subject_id__in=referral_ids
    )
    rows = [
        timeliness_row(
            "initial_assessment",
            _("Initial assessment within 12 hours"),
            case_clocks_qs.filter(kind=case_clocks.INITIAL_ASSESSMENT),
            now,
        ),
        timeliness_row(
            "plan",
            _("Plan within 5 working days"),
            case_clocks_qs.filter(kind=case_clocks.PLAN_SUBMISSION),
            now,
        ),
    ]
    for code, label in Service.choices:
        rows.append(
            timeliness_row(
                f"accept_{code}",
                _("Referral accepted in time: %(service)s") % {"service": label},
                referral_clocks_qs.filter(kind=referral_clocks.accept_kind(code)),
                now,
            )
        )
    rows.append(
        timeliness_row(
            "police_decision",
            _("Police decision within 20 days"),
            referral_clocks_qs.filter(kind=referral_clocks.complete_kind(Service.POLICE_REPORT)),
            now,
        )
    )
    return rows


def indicator_report(period: Period, *, now: datetime.datetime) -> dict[str, Any]:
    cases = cases_of(period)
    tables = [
        *children_abused(cases),
        *support(cases),
        *referrals(cases),
        *inspections(period),
        *child_marriages(period, cases),
    ]
    return {"tables": tables, "timeliness": timeliness(cases, now)}
