"""A referral goes only to an agency working where the case is (its commune, its province or the
whole country): the agencies the referral and plan forms offer. Through the API, naming another
commune's school or another province's police once sent the child's case there."""

import datetime

import pytest
from django.utils import timezone

from cases.forms import MeasureForm
from referrals.models import Referral
from referrals.providers import providers
from tests.cases.factories import advance, make_case
from tests.referrals.helpers import agency

pytestmark = pytest.mark.django_db


def refer(api, case, agency_pk, service="police_report"):
    body = {"case": case.pk, "service": service, "agency": agency_pk, "consent_basis": "emergency"}
    return api.post("/api/v1/referrals/", body, format="json")


def test_not_to_another_provinces_police_one_at_a_time_or_together(demo, api_as, api_for, hanoi):
    case = make_case(demo["officer_a"])
    officer = api_as("officer_a")

    one = refer(officer, case, hanoi.police.pk)
    together = officer.post(
        "/api/v1/referrals/batch/",
        {
            "case": case.pk,
            "consent_basis": "emergency",
            "referrals": [{"service": "police_report", "agency": hanoi.police.pk}],
        },
        format="json",
    )

    assert one.status_code == 400 and "agency" in one.data
    assert together.status_code == 400
    assert not Referral.objects.exists()
    assert api_for(hanoi.police_staff).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    # The province's own police takes it.
    assert refer(officer, case, agency("police_report").pk).status_code == 201


def test_not_to_the_school_of_another_commune(demo, api_as):
    case = make_case(demo["officer_b"], commune_code="14329")  # commune B
    school_of_a = agency("education_support")

    answer = refer(api_as("officer_b"), case, school_of_a.pk, service="education_support")

    assert answer.status_code == 400 and "agency" in answer.data
    assert api_as("school").get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_a_plan_names_only_agencies_working_where_the_case_is(demo, api_as, hanoi):
    case = make_case(demo["officer_a"])
    advance(case, "assess_initial", officer=demo["officer_a"], chair=demo["chair_a"])
    body = {
        "assessment_summary": "Trẻ bị đánh nhiều lần.",
        "needs": "An toàn, hỗ trợ tâm lý.",
        "meeting_held_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "meeting_participants": "Cán bộ xã, gia đình.",
        "meeting_minutes": "Thống nhất kế hoạch.",
        "goals": "Trẻ an toàn.",
        "consent_basis": "emergency",
        "measures": [
            {
                "service": "police_report",
                "description": "Báo công an.",
                "timeframe_days": 10,
                "responsible_agency": hanoi.police.pk,
            }
        ],
    }

    answer = api_as("officer_a").post(
        f"/api/v1/cases/{case.pk}/transitions/submit_plan/", body, format="json"
    )

    assert answer.status_code == 400 and "measures" in answer.data
    case.refresh_from_db()
    assert case.status == "assessment"
    # The plan form offers the agencies the referrals will go to, and only those: not another
    # province's, nor an agency providing no service (the commune's committee, a department).
    offered = MeasureForm(case=case).fields["responsible_agency"].queryset  # type: ignore[attr-defined]
    assert list(offered) == list(providers(case.unit_path))
    assert agency("police_report") in offered and hanoi.police not in offered
    assert not offered.filter(name__startswith="Ủy ban nhân dân").exists()
