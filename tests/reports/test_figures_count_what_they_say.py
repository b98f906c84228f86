"""Figures that count what their titles say, in small worlds built through the services and
counted by hand (found by a probe of the figures, 1 December 2026; each failed before its fix).
The expected number is derived in a comment."""

import datetime
import zoneinfo
from typing import Any

from django.utils import timezone

from cases import services as case_services
from core.models import Agency, RoleMembership, Unit, User
from inspections.models import Inspection
from referrals import services as referral_services
from reports.services import shown_indicators
from tests.referrals.helpers import refer, sexual_abuse_case
from tests.reports.builders import YEAR, child_case, report_for, suspended_crime_report, values

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def shown(demo, code: str = "14428") -> dict[str, dict[str, Any]]:
    """The commune's report as a manager or an export gets it (suppressed), by table key."""
    unit = Unit.objects.get(structure="2025", code=code)
    report = shown_indicators(
        actor=demo["officer_a"], year=YEAR, unit=unit, suppress=True, action="report.export"
    )
    return {t["key"]: t for t in report["tables"]}


def cell(table: dict[str, Any], key: str) -> dict[str, Any]:
    return next(row for row in table["rows"] if row["key"] == key)


# --- Referrals and crime reports --------------------------------------------------------------


def test_a_waived_crime_report_is_not_a_crime_report_sent_to_the_police(demo):
    # World: one sexual-abuse case; the pathway requires `police_report`; the commune chair
    # waives it (DOMAIN §6: "A required service may be `waived` by the commune chair") — no
    # referral ever reaches the police.
    # By hand: "Crime reports sent to the police" = 0 (nothing was sent).
    # Code: reports/indicators.py referrals() sums every status of police_report referrals,
    # `waived` included (referral_waive creates a Referral row with status=waived), so it is 1.
    case = sexual_abuse_case(demo)
    referral_services.referral_waive(
        actor=demo["chair_a"],
        case_id=case.pk,
        service="police_report",
        reason="Gia đình đã trình báo trực tiếp.",
    )
    crime, _total = values(report_for("14428"), "crime_reports")
    assert crime["reported"] == 0


def test_a_recorded_suspension_is_counted_among_the_polices_decisions(demo):
    # World: one crime report, accepted by the police, who then record a suspension of the
    # settlement (Criminal Procedure Code 2015 Art. 147(3)(c)/148; DOMAIN §2 lists "suspend" as
    # one of the three outcomes; the table has a row "Settlement suspended").
    # By hand: crime reports 1, of which settlement suspended 1.
    # Code: the decisions are read from ReferralOutcome.police_decision only, and
    # referrals/services.py check_outcome refuses `suspended` as an outcome (a suspension is
    # recorded on Referral.suspended_on instead), so the row can never be other than 0.
    received = timezone.now() - datetime.timedelta(days=5)
    suspended_crime_report(demo, received)
    crime, _total = values(report_for("14428"), "crime_reports")
    assert (crime["reported"], crime["suspended"]) == (1, 1)


# --- Inspections ---------------------------------------------------------------------------------


def test_an_inspection_only_planned_is_not_an_inspection_held(demo):
    # World: one inspection planned (decision taken, status `planned`), never started.
    # By hand: "Inspections held" = 0 — nothing was held (DOMAIN §8: planned → in_progress → …).
    # Code: reports/indicators.py inspections() excludes only `cancelled`, so a planned one
    # counts as held: 1.
    from tests.inspections.test_services_lifecycle import plan

    plan(demo)
    assert values(report_for("37"), "inspections")[1] == 0


def test_an_inspection_of_the_legacy_department_counts_in_the_two_tier_province(demo):
    # World: in March 2025 (before the 1 July 2025 reform) the then Sở LĐTBXH of Ninh Bình
    # (jurisdiction: the legacy province 2020:37) holds an inspection.
    # By hand: the 2025 report of Ninh Bình counts it once, whichever structure it is shown in
    # (DOMAIN §9: "Each report for a year and a unit … in the two-tier or the legacy structure";
    # the new province 37 contains the old 37) — 1 in both.
    # Before: inspections() matched `unit_path__startswith=period.unit.path` ("2025/37/") only,
    # which never matches "2020/37/": the two-tier report showed 0, the legacy one 1. It now
    # follows the successions to the units the province was made of, as cases do.
    from tests.inspections.test_services_lifecycle import plan, step

    legacy = Agency.objects.get(name="Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình")
    inspector = User.objects.create_user("inspector_ldtbxh", password="x")
    RoleMembership.objects.create(user=inspector, role="inspector", agency=legacy)
    users = {**demo, "inspector": inspector}
    inspection = plan(
        users,
        lead_agency=legacy,
        decision_date=datetime.date(2025, 2, 20),
        planned_start=datetime.date(2025, 3, 3),
        planned_end=datetime.date(2025, 3, 7),
    )
    step(users, inspection, "start")
    # Started on its planned day, as it was then (the step records today's date).
    Inspection.objects.filter(pk=inspection.pk).update(actual_start=datetime.date(2025, 3, 3))
    legacy_view = values(report_for("37", structure="2020", year=2025), "inspections")[1]
    two_tier = values(report_for("37", structure="2025", year=2025), "inspections")[1]
    assert (legacy_view, two_tier) == (1, 1)


# --- Cases ---------------------------------------------------------------------------------------


def test_reports_dismissed_count_every_reason(demo):
    # World: two reports dismissed — one `unfounded`, one `not_child_protection`.
    # The row was titled "Reports dismissed (unfounded or duplicates)" and counted both; it now
    # says "Reports dismissed" (DOMAIN §5: unfounded, duplicate, not_child_protection,
    # transferred_out). By hand: 2.
    unfounded = child_case(demo, confirmed=None)
    not_ours = child_case(demo, confirmed=None)
    case_services.case_dismiss(
        actor=demo["officer_a"],
        case_id=unfounded.pk,
        reason="unfounded",
        verification="Đã xác minh.",
    )
    case_services.case_dismiss(
        actor=demo["officer_a"], case_id=not_ours.pk, reason="not_child_protection"
    )
    report = report_for("14428")
    table = next(t for t in report.tables if t.key == "cases")
    row = next(r for r in table.rows if r.key == "dismissed")
    assert (str(row.label), row.value) == ("Reports dismissed", 2)


# --- Small-count suppression ------------------------------------------------------------------


def test_a_services_sent_row_does_not_give_away_its_hidden_status(demo):
    # World: six psychosocial referrals from commune A, one of them cancelled.
    # Table "Referrals for Psychosocial support": sent 6 = pending 5 + cancelled 1 (the status
    # rows partition "sent"). Cancelled (1) is hidden "<5"; by hand the table must hide a second
    # cell too (docs/reports.md: "Where cells add up to a shown total, a second cell is hidden
    # too"), else 6 − 5 = 1 gives the hidden cell away.
    # Code: reports/indicators.py one_service() builds the table with total=None and "sent" as
    # an ordinary row, so complete_table never runs: sent 6, pending 5 shown, cancelled "<5".
    cases = [child_case(demo, forms=("neglect",)) for _ in range(6)]
    referrals = [refer(demo, case, "psychosocial") for case in cases]
    referral_services.referral_cancel(
        actor=demo["officer_a"], referral_id=referrals[0].pk, reason="Gia đình chuyển đi."
    )
    table = shown(demo)["service_psychosocial"]
    statuses = [row for row in table["rows"] if row["key"] != "sent"]
    hidden = [row for row in statuses if row["value"] is None]
    # "Sent" was a row of its own; it is now the table's total.
    sent_shown = table["total"] is not None or any(
        row["key"] == "sent" and row["value"] is not None for row in table["rows"]
    )
    assert cell(table, "cancelled")["value"] is None  # the small cell is hidden …
    assert not (sent_shown and len(hidden) == 1)  # … and not given away by sent − the others


def test_a_cell_hidden_in_one_table_is_not_shown_in_another(demo):
    # World: three crime reports (police_report) and six psychosocial referrals, commune A.
    # "Referrals, by service": police 3 → "<5", so psychosocial 6 is hidden "x" beside the total
    # 9. But "Referrals for Psychosocial support" shows "Referrals sent" 6 — the same figure — so
    # police = 9 − 6 = 3 is recovered. By hand: the psychosocial count is hidden wherever shown.
    # Before: suppression decided each table alone; the figures repeated in two tables are now
    # linked (reports/indicators.py REPEATED_FIGURES).
    for _ in range(3):
        refer(demo, child_case(demo, forms=("sexual_abuse",)), "police_report")
    for _ in range(6):
        refer(demo, child_case(demo, forms=("neglect",)), "psychosocial")
    tables = shown(demo)
    by_service = tables["referrals_by_service"]
    assert cell(by_service, "police_report")["value"] is None
    assert cell(by_service, "psychosocial")["value"] is None  # hidden beside the total …
    assert tables["service_psychosocial"]["total"] is None  # … and where it is repeated
