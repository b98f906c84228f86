"""Report scenarios built through the services, as the demo roles would record them."""

import datetime

from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from core.models import Unit
from referrals import services as referral_services
from reports.indicators import Period, Report, indicator_report
from tests.referrals.helpers import refer
from tests.referrals.helpers import staff_of as agency_staff

YEAR = timezone.localdate().year


def child_case(
    demo,
    *,
    commune="14428",
    sex="female",
    age: int | None = 9,
    date_of_birth: datetime.date | None = None,
    situation="abused",
    forms=("physical_violence",),
    ethnicity="01",
    disability=False,
    circumstances=(),
    actor="officer_a",
    received_at: datetime.datetime | None = None,
    confirmed: str | None = "abuse",
    existing_child=None,
) -> Case:
    """A report, and (unless `confirmed` is None) its initial assessment's conclusion."""
    case = case_services.case_create(
        actor=demo[actor],
        commune=Unit.objects.get(structure="2025", code=commune),
        received_at=received_at or timezone.now() - datetime.timedelta(hours=1),
        channel="phone",
        source="family",
        description="…",
        situation=situation,
        abuse_forms=list(forms),
        setting="family",
        child=None
        if existing_child
        else case_services.ChildData(
            full_name=f"Trẻ {sex} {age}",
            sex=sex,
            estimated_age=None if date_of_birth else age,
            date_of_birth=date_of_birth,
            ethnicity=ethnicity,
            disability=disability,
            special_circumstances=tuple(circumstances),
        ),
        existing_child=existing_child,
    )
    if confirmed:
        assess(demo, case, confirmed=confirmed, actor=actor)
    return case


def assess(demo, case: Case, *, confirmed: str, actor="officer_a") -> Case:
    return case_services.case_assess_initial(
        actor=demo[actor],
        case_id=case.pk,
        harm_level="medium",
        immediate_danger=False,
        confirmed=confirmed,
        safety_measures="Ở nhà bà.",
        findings="…",
    )


def suspended_crime_report(demo, received: datetime.datetime) -> Case:
    """A child's case whose crime report the police accepted as received then, and whose
    settlement they suspended today (Criminal Procedure Code 2015 Art. 148)."""
    case = child_case(demo, received_at=received, forms=("sexual_abuse",), confirmed=None)
    police = refer(demo, case, "police_report")
    officer = agency_staff(demo, "police_report")
    referral_services.referral_accept(
        actor=officer, referral_id=police.pk, report_received_at=received
    )
    referral_services.referral_record_suspension(
        actor=officer,
        referral_id=police.pk,
        suspended_on=timezone.localdate(),
        reason="Chờ kết luận giám định.",
    )
    return case


def report_for(code: str, structure: str = "2025", year: int = YEAR) -> Report:
    unit = Unit.objects.get(structure=structure, code=code)
    return indicator_report(Period(year, unit), now=timezone.now())


def values(report: Report, key: str) -> tuple[dict, int | None]:
    table = next(t for t in report.tables if t.key == key)
    return {row.key: row.value for row in table.rows}, table.total


def deadline(report: Report, key: str):
    return next(d for d in report.timeliness if d.key == key)
