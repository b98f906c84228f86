"""Time the province-year indicator report on a large generated data set, beside the same core
aggregate written as plain SQL. Everything generated is rolled back at the end."""

import datetime
import random
import time

from django.db import connection, transaction
from django.utils import timezone

from cases.models import Case, CaseAbuseForm, Child, InitialAssessment
from core.benchmarks import register_benchmark
from core.models import Unit, User
from reports.indicators import Period, cases_of, confirmed_abuse, first_per_child, indicator_report
from reports.tables import by

# Children whose abuse an assessment confirmed, in reports not dismissed, under 16: the generated
# children's ages are estimated on the report's day, so the age is the estimate.
PLAIN_SQL = """
SELECT child.sex, COUNT(DISTINCT child.id)
FROM cases_case AS c
JOIN cases_child AS child ON child.id = c.child_id
WHERE c.commune_id IN ({communes}) AND c.dismiss_reason = ''
  AND c.received_at >= %s AND c.received_at < %s
  AND child.estimated_age < 16
  AND EXISTS (
    SELECT 1 FROM cases_initialassessment AS a WHERE a.case_id = c.id AND a.confirmed = 'abuse'
  )
GROUP BY child.sex
"""


class Rollback(Exception):
    pass


def generate(count: int, communes: list[Unit], author: User) -> None:
    rng = random.Random(37)
    now = timezone.now()
    received = [now - datetime.timedelta(days=rng.randint(0, 200)) for _ in range(count)]
    children = Child.objects.bulk_create(
        [
            Child(
                full_name=f"Trẻ {n}",
                search_name=f"tre {n}",
                sex=rng.choice(["female", "male"]),
                estimated_age=(age := rng.randint(0, 15)),
                estimated_on=timezone.localdate(received[n]),
                birth_year=received[n].year - age,
                ethnicity=rng.choice(["01", "01", "03", "06"]),
                residence=rng.choice(communes),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    cases = Case.objects.bulk_create(
        [
            Case(
                code=f"BENCH-{n:07d}",
                child=child,
                commune=child.residence,
                unit_path=child.residence.path,
                received_at=received[n],
                channel="phone",
                source="family",
                description="…",
                situation=rng.choice(["abused", "at_risk"]),
                setting=rng.choice(["family", "school", "online"]),
                recorded_by=author,
            )
            for n, child in enumerate(children)
        ],
        batch_size=2000,
    )
    CaseAbuseForm.objects.bulk_create(
        [
            CaseAbuseForm(
                case=case, form=rng.choice(["physical_violence", "neglect", "sexual_abuse"])
            )
            for case in cases
        ],
        batch_size=2000,
    )
    # Two in three reports are assessed; one in two of those confirms the abuse.
    InitialAssessment.objects.bulk_create(
        [
            InitialAssessment(
                case=case,
                author=author,
                harm_level="medium",
                immediate_danger=False,
                confirmed=rng.choice(["abuse", "risk"]),
                findings="…",
            )
            for case in cases
            if rng.random() < 2 / 3
        ],
        batch_size=2000,
    )


def timed(call, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - started)
    return best, result


@register_benchmark(
    "reports", "the province-year indicator report on generated cases, beside plain SQL"
)
def report_timing(*, count: int | None = None) -> list[str]:
    count = count or 20000
    province = Unit.objects.filter(structure="2025", code="37").first()
    if province is None:
        raise RuntimeError("Load the units first: manage.py load_units.")
    author = User.objects.filter(is_active=True).first()
    if author is None:
        raise RuntimeError("Create a user first (manage.py seed_demo).")
    lines: list[str] = []
    try:
        with transaction.atomic():
            communes = list(Unit.objects.under(province).filter(level="commune")[:129])
            generate(count, communes, author)
            year = timezone.localdate().year
            period = Period(year, province)
            full, _report = timed(lambda: indicator_report(period, now=timezone.now()))
            children = first_per_child(confirmed_abuse(cases_of(period)), period.split)
            orm, orm_counts = timed(
                lambda: by(children, "child__sex", distinct="pk", split=period.split)[province.pk]
            )
            commune = Period(year, communes[0], siblings=True)
            beside, _report = timed(lambda: indicator_report(commune, now=timezone.now()))
            start = timezone.make_aware(datetime.datetime(year, 1, 1))
            end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
            ids = ",".join(str(pk) for pk in period.communes)

            def plain():
                with connection.cursor() as cursor:
                    cursor.execute(PLAIN_SQL.format(communes=ids), [start, end])
                    return dict(cursor.fetchall())

            sql, sql_rows = timed(plain)
            lines = [
                f"database: {connection.vendor}; {count} cases in {len(communes)} communes",
                f"full indicator report (all tables and timeliness): {full * 1000:.0f} ms",
                f"a commune's report counted beside its {len(commune.split.units)} siblings "
                f"(suppressed): {beside * 1000:.0f} ms",
                f"children abused by sex, ORM: {orm * 1000:.1f} ms -> {orm_counts}",
                f"children abused by sex, plain SQL: {sql * 1000:.1f} ms -> {sql_rows}",
                "same result" if orm_counts == sql_rows else "RESULTS DIFFER",
            ]
            raise Rollback
    except Rollback:
        pass
    return lines
