"""The indicators of DOMAIN §9 (Circular 13/2021/TT-BLĐTBXH) for a year and a unit, counted in
the database.

Every figure is one aggregate query (a COUNT grouped by one dimension); no case row is loaded into
Python. Labels are resolved after the query, on the handful of grouped rows.

"Children abused" (indicator 0101) are children, counted once each, whose abuse was confirmed —
by an initial assessment (Form 02, Decree 56 Art. 26), including one recorded after the case was
reopened — in a report of the year that was not dismissed, and who were children (under 16, Law on
Children Art. 1) on the report's day. A child reported twice is described by the first such
report of the year: its age group and setting.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import (
    Case as When_,
)
from django.db.models import (
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, ExtractMonth
from django.utils.translation import gettext_lazy as _

from cases.ages import child_age_limit
from cases.choices import (
    AbuseForm,
    AdministrativeSanctionKind,
    Confirmation,
    SanctionAuthority,
    Service,
    Setting,
    Sex,
    SpecialCircumstance,
)
from cases.ethnicities import ETHNICITIES
from cases.models import (
    AdministrativeSanction,
    Case,
    CaseAbuseForm,
    EmergencyDeclaration,
    InitialAssessment,
    Plan,
)
from core.deadlines import key_among
from core.models import Unit, UnitSuccession
from core.parallel import parallel_reads
from core.scope import under_paths
from inspections.models import Finding, Inspection, Kind, Sanction
from referrals.models import PoliceDecision, ReferralOutcome
from referrals.models import Status as ReferralStatus
from reports.ages import age_on_report
from reports.tables import TOTAL, UNIT, Counted, PerUnit, Row, Table, by, labelled, table, totals
from reports.timeliness import Deadline, referrals_of, timeliness
from reports.units import Split, display_commune

ABUSED = "0101"  # Circular 13/2021, Annex IV, I: "Số trẻ em bị xâm hại"
AGE_GROUPS = [("0-5", 0, 5), ("6-10", 6, 10), ("11-15", 11, 15)]


@dataclass
class Period:
    year: int
    unit: Unit
    # Count the unit's siblings too, each apart: what suppression needs to hold up against them.
    siblings: bool = False

    @cached_property
    def split(self) -> Split:
        return Split.of(self.unit, siblings=self.siblings)

    @property
    def communes(self) -> list[int]:
        return self.split.own_communes


def cases_of(period: Period) -> QuerySet[Case]:
    """The reports received in the year in the communes counted (the unit's, and its siblings'
    when they are counted too), of either structure."""
    return Case.objects.filter(commune_id__in=period.split.communes, received_at__year=period.year)


def not_dismissed(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(dismiss_reason="")


def of_children(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Only the reports about a person under the age limit on the report's day."""
    return cases.alias(age=age_on_report()).filter(age__lt=child_age_limit())


def confirmed_abuse(cases: QuerySet[Case]) -> QuerySet[Case]:
    confirmed = InitialAssessment.objects.filter(case=OuterRef("pk"), confirmed=Confirmation.ABUSE)
    return of_children(not_dismissed(cases)).filter(Exists(confirmed))


def first_per_child(cases: QuerySet[Case], split: Split) -> QuerySet[Case]:
    """Of `cases`, each child's first report (by time, then id) in each unit counted: one row per
    child and unit."""
    cases = cases.alias(**{UNIT: split.unit_expression("commune_id")})
    earlier = cases.filter(child=OuterRef("child"), **{UNIT: OuterRef(UNIT)}).filter(
        Q(received_at__lt=OuterRef("received_at"))
        | Q(received_at=OuterRef("received_at"), pk__lt=OuterRef("pk"))
    )
    return cases.filter(~Exists(earlier))


def age_group() -> When_:
    return When_(
        *[When(Q(age__gte=low, age__lte=high), then=Value(key)) for key, low, high in AGE_GROUPS],
        default=Value(""),
        output_field=CharField(),
    )


def children_abused(cases: QuerySet[Case], split: Split) -> PerUnit:
    abused = confirmed_abuse(cases)
    # Sex, ethnicity and disability are the child's: a distinct count needs no choice of report.
    # The age group and the setting are the report's: the child's first report of the year.
    first = first_per_child(abused, split)
    total = totals(abused, {"n": Count("child", distinct=True)}, split=split)
    sexes = by(abused, "child__sex", distinct="child", split=split)
    ages = by(
        first.annotate(age=age_on_report(), group=age_group()), "group", distinct="pk", split=split
    )
    ethnicities = by(abused, "child__ethnicity", distinct="child", split=split)
    forms = by(
        CaseAbuseForm.objects.filter(case__in=abused),
        "form",
        distinct="case__child",
        split=split,
        commune="case__commune_id",
    )
    settings = by(first, "setting", distinct="pk", split=split)
    disability = by(abused, "child__disability", distinct="child", split=split)

    def tables(unit: int) -> list[Table]:
        def abused_table(key: str, title, pairs: list, *, summed: bool = True) -> Table:
            return table(key, title, pairs, total=total[unit]["n"] if summed else None, code=ABUSED)

        return [
            abused_table(
                "abused_by_sex",
                _("Children abused, by sex"),
                labelled(sexes[unit], Sex.choices),
            ),
            abused_table(
                "abused_by_age",
                _("Children abused, by age on the report's day"),
                [(key, key, ages[unit].get(key, 0)) for key, _low, _high in AGE_GROUPS],
            ),
            abused_table(
                "abused_by_ethnicity",
                _("Children abused, by ethnicity"),
                [row for row in labelled(ethnicities[unit], ETHNICITIES) if row[2]],
            ),
            abused_table(
                "abused_by_form",
                _("Children abused, by form of abuse (a child may suffer several)"),
                labelled(forms[unit], AbuseForm.choices),
                summed=False,
            ),
            abused_table(
                "abused_by_setting",
                _("Children abused, by setting"),
                labelled(settings[unit], Setting.choices),
            ),
            abused_table(
                "abused_by_disability",
                _("Children abused, by disability"),
                [
                    ("yes", _("With a disability"), disability[unit].get(True, 0)),
                    ("no", _("Without a disability"), disability[unit].get(False, 0)),
                ],
            ),
        ]

    return {unit: tables(unit) for unit in split.units}


def in_group(code: str) -> Q:
    """The child's Art. 10 groups (a JSON list of codes) include `code`. The list is matched as
    text, quotes included, so that "d" never matches "dd"; it works alike on every database."""
    return Q(circumstances__contains=f'"{code}"')


def special_circumstances(cases: QuerySet[Case], split: Split) -> PerUnit:
    """Children in special circumstances, per group of the Law on Children Art. 10(1) — a child
    with a disability is in group d — and of them, those helped (a plan approved)."""
    approved = Plan.objects.filter(case=OuterRef("pk"), outcome=Plan.Outcome.APPROVED)
    reports = of_children(not_dismissed(cases)).annotate(
        circumstances=Cast("child__special_circumstances", TextField()),
        helped=Exists(approved),
    )
    in_any = ~Q(circumstances__in=["[]", ""])
    counts = totals(
        reports,
        {
            "any": Count("child", distinct=True, filter=in_any),
            "any_helped": Count("child", distinct=True, filter=in_any & Q(helped=True)),
            **{
                f"{code}": Count("child", distinct=True, filter=in_group(code))
                for code in SpecialCircumstance.values
            },
            **{
                f"{code}_helped": Count(
                    "child", distinct=True, filter=in_group(code) & Q(helped=True)
                )
                for code in SpecialCircumstance.values
            },
        },
        split=split,
    )

    def tables(unit: int) -> list[Table]:
        def by_group(suffix: str) -> list[tuple[str, Any, int]]:
            return [
                (code, label, counts[unit][f"{code}{suffix}"])
                for code, label in SpecialCircumstance.choices
            ]

        return [
            table(
                "special_circumstances_by_group",
                _("Children in special circumstances, by group (Law on Children, Art. 10)"),
                [("any", _("In at least one group"), counts[unit]["any"]), *by_group("")],
                total=None,
            ),
            table(
                "special_circumstances_helped",
                _("Children in special circumstances helped (a plan approved), by group"),
                [
                    ("any", _("In at least one group"), counts[unit]["any_helped"]),
                    *by_group("_helped"),
                ],
                total=None,
            ),
        ]

    return {unit: tables(unit) for unit in split.units}


def support(cases: QuerySet[Case], split: Split) -> PerUnit:
    approved = Plan.objects.filter(case=OuterRef("pk"), outcome=Plan.Outcome.APPROVED)
    emergency = EmergencyDeclaration.objects.filter(case=OuterRef("pk"))
    counts = totals(
        cases,
        {
            "total": Count("pk"),
            "dismissed": Count("pk", filter=~Q(dismiss_reason="")),
            "supported": Count("pk", filter=Q(Exists(approved))),
            "emergencies": Count("pk", filter=Q(Exists(emergency))),
        },
        split=split,
    )
    months = by(
        cases.annotate(month=ExtractMonth("received_at")), "month", distinct="pk", split=split
    )

    def tables(unit: int) -> list[Table]:
        return [
            table(
                "cases_by_month",
                _("Reports received, by month"),
                [(str(m), f"{m:02d}", months[unit].get(m, 0)) for m in range(1, 13)],
                total=counts[unit]["total"],
                counts=Counted.CASES,
            ),
            table(
                "cases",
                _("Cases"),
                [
                    ("received", _("Reports received"), counts[unit]["total"]),
                    (
                        "dismissed",
                        _("Reports dismissed"),
                        counts[unit]["dismissed"],
                    ),
                    (
                        "supported",
                        _("Cases given support or intervention (plan approved)"),
                        counts[unit]["supported"],
                    ),
                    ("emergencies", _("Cases with an emergency"), counts[unit]["emergencies"]),
                ],
                total=None,
                counts=Counted.CASES,
            ),
        ]

    return {unit: tables(unit) for unit in split.units}


# The figures the report shows twice, hidden in both tables as soon as in one (suppression): a
# service's referrals in "by service" and as its own table's total; the crime reports in "by
# service" and as the police's first row.
REPEATED_FIGURES = [
    *(
        (("referrals_by_service", code), (f"service_{code}", TOTAL))
        for code in Service.values
        if code != Service.POLICE_REPORT
    ),
    (("referrals_by_service", Service.POLICE_REPORT), ("crime_reports", "reported")),
]

# Where a referral sent stands: a waiver is the chair's, and no referral was sent.
SENT_STATUSES = [(c, label) for c, label in ReferralStatus.choices if c != ReferralStatus.WAIVED]


def referrals(cases: QuerySet[Case], split: Split) -> PerUnit:
    # A required service the chair waived is kept as a referral row, but nothing was sent.
    sent = (
        referrals_of(cases)
        .exclude(status=ReferralStatus.WAIVED)
        .annotate(service_status=Concat("service", Value(":"), "status", output_field=CharField()))
    )
    grouped = by(sent, "service_status", distinct="pk", split=split, commune="case__commune_id")
    police_tables = police(cases, split)

    def tables(unit: int) -> list[Table]:
        by_service: dict[str, dict[str, int]] = {}
        for service_status, n in grouped[unit].items():
            service, _sep, status = service_status.partition(":")
            by_service.setdefault(service, {})[status] = n
        total = sum(grouped[unit].values())
        by_status: dict[str, int] = {}
        for statuses in by_service.values():
            for status, n in statuses.items():
                by_status[status] = by_status.get(status, 0) + n
        reported = sum(by_service.get(Service.POLICE_REPORT, {}).values())
        return [
            table(
                "referrals_by_service",
                _("Referrals, by service"),
                [
                    (code, label, sum(by_service.get(code, {}).values()))
                    for code, label in Service.choices
                ],
                total=total,
                counts=Counted.CASES,
            ),
            table(
                "referrals_by_outcome",
                _("Referrals, by outcome"),
                labelled(by_status, SENT_STATUSES),
                total=total,
                counts=Counted.CASES,
            ),
            *[
                one_service(code, label, by_service.get(code, {}))
                for code, label in Service.choices
                if code != Service.POLICE_REPORT
            ],
            *police_tables(unit, reported),
        ]

    return {unit: tables(unit) for unit in split.units}


def one_service(code: str, label, statuses: dict[str, int]) -> Table:
    """One service's referrals: where they stand, and all those sent as the table's total (so
    that a hidden small cell is not given away by the total less the cells shown)."""
    return table(
        f"service_{code}",
        _("Referrals for %(service)s") % {"service": label},
        labelled(statuses, SENT_STATUSES),
        total=sum(statuses.values()),
        counts=Counted.CASES,
    )


def police(cases: QuerySet[Case], split: Split):
    """The police's tables for a unit, given the crime reports sent in it."""
    outcomes = ReferralOutcome.objects.filter(
        key_among("referral_id", referrals_of(cases).values("pk")),
        referral__service=Service.POLICE_REPORT,
    )
    commune = "referral__case__commune_id"
    decisions = by(
        outcomes.exclude(police_decision=""),
        "police_decision",
        distinct="pk",
        split=split,
        commune=commune,
    )
    rooms = by(outcomes, "child_friendly_room", distinct="pk", split=split, commune=commune)
    # A suspension is not an outcome (the referral stays accepted, Art. 148): it is read from
    # the referrals suspended and not yet decided.
    suspended = by(
        referrals_of(cases).filter(
            service=Service.POLICE_REPORT,
            status=ReferralStatus.ACCEPTED,
            suspended_on__isnull=False,
        ),
        "service",
        distinct="pk",
        split=split,
        commune="case__commune_id",
    )

    def tables(unit: int, reported: int) -> list[Table]:
        decided = decisions[unit] | {
            PoliceDecision.SUSPENDED: suspended[unit].get(Service.POLICE_REPORT, 0)
        }
        return [
            table(
                "crime_reports",
                _("Crime reports and the police's decisions"),
                [
                    ("reported", _("Crime reports sent to the police"), reported),
                    *labelled(decided, PoliceDecision.choices),
                ],
                total=None,
                counts=Counted.CASES,
            ),
            table(
                "child_friendly_room",
                _("Police interviews of the child in a child-friendly room"),
                [
                    ("yes", _("In a child-friendly room"), rooms[unit].get(True, 0)),
                    ("no", _("Elsewhere"), rooms[unit].get(False, 0)),
                    ("unknown", _("Not recorded"), rooms[unit].get(None, 0)),
                ],
                total=sum(rooms[unit].values()),
                counts=Counted.CASES,
            ),
        ]

    return tables


def unit_and_predecessor_paths(unit: Unit) -> list[str]:
    """The unit's path and those of the units it was made of (the 2025 province and the legacy
    provinces merged into it): an inspection led by a department of the time counts in it, as a
    case of a legacy commune does (reports/units.py)."""
    before = UnitSuccession.objects.filter(successor=unit).values("predecessor")
    return [unit.path, *Unit.objects.filter(pk__in=before).values_list("path", flat=True)]


def inspections(period: Period) -> list[Table]:
    """Inspections and the sanctions they recorded: about organisations, counted exactly."""
    led_here = under_paths("unit_path", unit_and_predecessor_paths(period.unit))
    held = (
        Inspection.objects.filter(
            led_here | Q(subjects__unit_id__in=period.communes),
            # Held: started in the year (a planned or cancelled one was not held).
            actual_start__year=period.year,
        )
        .exclude(status__in=["planned", "cancelled"])
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
    exact = Counted.ORGANISATIONS
    return [
        table(
            "inspections",
            _("Inspections held"),
            labelled(kinds, Kind.choices),
            total=sum(kinds.values()),
            counts=exact,
        ),
        table(
            "violations",
            _("Violations found, by sanction"),
            [
                *labelled(sanctions, Sanction.choices),
                # Part of the violations above, whatever their sanction: not one more kind.
                (
                    "heads",
                    _("Of which: the head of the institution held to account"),
                    money["heads"],
                ),
            ],
            total=None,
            counts=exact,
        ),
        Table(
            "fines",
            _("Fines"),
            [
                Row("count", _("Fines imposed"), money["fines"]),
                Row("amount", _("Amount (VND)"), money["amount"] or 0),
            ],
            counts=exact,
        ),
    ]


def administrative_sanctions(period: Period) -> PerUnit:
    """Administrative sanctions decided in the year for the abuse of a child in a case, by the
    commune's chair, the police or another authority (recorded on the case). Each is about one
    child's case, so, unlike the inspections' findings, they are suppressed like cases; the
    amounts of their fines are not reported, as one fine's amount would point at its case."""
    split = period.split
    decided = AdministrativeSanction.objects.filter(
        case__commune_id__in=split.communes, decided_on__year=period.year
    )
    commune = "case__commune_id"
    kinds = by(decided, "sanction", distinct="pk", split=split, commune=commune)
    authorities = by(decided, "decided_by", distinct="pk", split=split, commune=commune)

    def tables(unit: int) -> list[Table]:
        total = sum(kinds[unit].values())
        return [
            table(
                "case_sanctions",
                _("Administrative sanctions for abusing a child, by sanction"),
                labelled(kinds[unit], AdministrativeSanctionKind.choices),
                total=total,
                counts=Counted.CASES,
            ),
            table(
                "case_sanctions_by_authority",
                _("Administrative sanctions for abusing a child, by who decided them"),
                labelled(authorities[unit], SanctionAuthority.choices),
                total=total,
                counts=Counted.CASES,
            ),
        ]

    return {unit: tables(unit) for unit in split.units}


def child_marriages(period: Period, cases: QuerySet[Case]) -> PerUnit:
    """Child marriages by commune (the communes of the report's structure) and by ethnicity."""
    split = period.split
    marriages = of_children(not_dismissed(cases)).filter(abuse_form_rows__form="child_marriage")
    total = totals(marriages, {"n": Count("child", distinct=True)}, split=split)
    ethnic = by(marriages, "child__ethnicity", distinct="child", split=split)
    per_commune = by(marriages, "commune_id", distinct="child", split=split)
    shown = display_commune(period.unit, split.communes)

    def tables(unit: int) -> list[Table]:
        counts: dict[Unit, int] = defaultdict(int)
        for commune_id, n in per_commune[unit].items():
            if commune_id in shown:
                counts[shown[commune_id]] += n
        return [
            table(
                "child_marriage_by_commune",
                _("Child marriages, by commune"),
                [(u.code, u.name, n) for u, n in sorted(counts.items(), key=lambda i: i[0].name)],
                total=total[unit]["n"],
            ),
            table(
                "child_marriage_by_ethnicity",
                _("Child marriages, by ethnicity"),
                [row for row in labelled(ethnic[unit], ETHNICITIES) if row[2]],
                total=total[unit]["n"],
            ),
        ]

    return {unit: tables(unit) for unit in split.units}


@dataclass
class Report:
    unit: int
    # Every unit's tables (the report's own, and its siblings' when counted), in the same order.
    tables_of: dict[int, list[Table]]
    timeliness_of: dict[int, list[Deadline]]

    @property
    def tables(self) -> list[Table]:
        return self.tables_of[self.unit]

    @property
    def timeliness(self) -> list[Deadline]:
        return self.timeliness_of[self.unit]


@parallel_reads()
def indicator_report(period: Period, *, now: datetime.datetime) -> Report:
    """The report of `period`'s unit, and, when the period asks for them, its siblings' too."""
    cases = cases_of(period)
    split = period.split
    parts: list[PerUnit] = [
        children_abused(cases, split),
        special_circumstances(cases, split),
        support(cases, split),
        referrals(cases, split),
        # About organisations and never suppressed: counted for the report's own unit only.
        {split.unit.pk: inspections(period)},
        administrative_sanctions(period),
        child_marriages(period, cases),
    ]
    tables_of = {
        unit: [table for part in parts for table in part.get(unit, [])] for unit in split.units
    }
    return Report(split.unit.pk, tables_of, timeliness(cases, split, now))
