"""Inspections, the agencies' steps on referrals and the plan-outcome report hold to their
province and record once what is sent twice (found by a probe of the agencies' work, 1 December
2026; each test failed on the code as probed)."""

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cases.models import Case, CaseEvent
from core.models import Agency, AgencyKind, Role, RoleMembership, Unit, User
from inspections.models import Finding, Inspection, Recommendation
from referrals import services as referral_services
from referrals.models import Referral, ReferralOutcome
from reports.models import Consolidation, Plan, PlanTask, TaskResult
from tests.inspections.factories import LEAD_AGENCY, advance, plan_inspection
from tests.referrals.helpers import refer, sexual_abuse_case

TODAY = timezone.localdate()
YEAR = TODAY.year

FINDING: dict[str, Any] = {
    "description": "Không bố trí người làm công tác bảo vệ trẻ em.",
    "legal_basis": "Nghị định 56/2017/NĐ-CP, Điều 9",
    "responsible": "Hiệu trưởng",
    "sanction": "warning",
}
CHILD: dict[str, Any] = {
    "commune": "14428",
    "full_name": "Lê Văn Tùng",
    "sex": "male",
    "estimated_age": 12,
    "situation": "at_risk",
    "abuse_forms": ["exploitation"],
    "description": "Trẻ làm việc đêm tại cơ sở lưu trú.",
}
RECOMMENDATION: dict[str, Any] = {
    "action": "Bố trí người làm công tác bảo vệ trẻ em",
    "responsible": "Trường Tiểu học Nho Quan",
    "due_date": str(TODAY + datetime.timedelta(days=14)),
}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def plan_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "interagency",
        "topic": "online_privacy",
        "title": "Kiểm tra liên ngành",
        "lead_agency": Agency.objects.get(name=LEAD_AGENCY).pk,
        "decision_number": "01/QĐ-SYT",
        "decision_date": str(TODAY),
        "planned_start": str(TODAY),
        "planned_end": str(TODAY + datetime.timedelta(days=3)),
    } | overrides


# --- Inspections: the team reaches into another province ---------------------------------------


def test_api_plan_refuses_an_inspector_of_another_province_on_the_team(
    demo, api_as, api_for, hanoi
):
    """A Ninh Bình inspector names the Hà Nội inspector's id: the plan is accepted, and the Hà Nội
    inspector then reads the inspection and opens a case for a Ninh Bình child."""
    response = api_as("inspector").post(
        "/api/v1/inspections/", plan_payload(members=[hanoi.inspector.pk]), format="json"
    )

    assert response.status_code == 400
    assert "members" in response.json()
    assert not Inspection.objects.exists()


def test_api_plan_refuses_a_member_agency_of_another_province(demo, api_as, hanoi):
    response = api_as("inspector").post(
        "/api/v1/inspections/", plan_payload(member_agencies=[hanoi.police.pk]), format="json"
    )

    assert response.status_code == 400
    assert "member_agencies" in response.json()
    assert not Inspection.objects.exists()


def test_web_plan_refuses_an_inspector_of_another_province_on_the_team(demo, hanoi):
    client = signed_in(demo["inspector"])
    data = plan_payload(members=[hanoi.inspector.pk])

    response = client.post("/inspections/new/", data)

    assert response.status_code == 200
    assert "members" in response.context["form"].errors
    assert not Inspection.objects.exists()


# --- Inspections: the same finding or recommendation sent twice --------------------------------


@pytest.fixture
def inspecting(demo) -> Inspection:
    return advance(plan_inspection(demo), "in_progress", demo)


def test_api_the_same_child_at_risk_finding_sent_twice_opens_one_case(demo, api_as, inspecting):
    client = api_as("inspector")
    url = f"/api/v1/inspections/{inspecting.pk}/findings/"
    payload = FINDING | {"child_at_risk": CHILD}
    assert client.post(url, payload, format="json").status_code == 201

    again = client.post(url, payload, format="json")

    assert again.status_code == 400
    assert Finding.objects.filter(inspection=inspecting).count() == 1
    assert Case.objects.filter(child__full_name=CHILD["full_name"]).count() == 1


def test_api_a_child_at_risk_refused_is_named_as_sent(demo, api_as, inspecting):
    """The service names the finding's child "child"; the request sent `child_at_risk`."""
    url = f"/api/v1/inspections/{inspecting.pk}/findings/"
    too_old = CHILD | {"estimated_age": 17}

    response = api_as("inspector").post(url, FINDING | {"child_at_risk": too_old}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"child_at_risk"}, response.json()
    assert not Finding.objects.filter(inspection=inspecting).exists()


def test_another_child_in_the_same_words_is_another_finding(demo, api_as, inspecting):
    client = api_as("inspector")
    url = f"/api/v1/inspections/{inspecting.pk}/findings/"
    assert client.post(url, FINDING | {"child_at_risk": CHILD}, format="json").status_code == 201

    sister = CHILD | {"full_name": "Lê Thị Hoa", "sex": "female"}
    assert client.post(url, FINDING | {"child_at_risk": sister}, format="json").status_code == 201
    assert client.post(url, FINDING, format="json").status_code == 201  # and one with no child
    assert Finding.objects.filter(inspection=inspecting).count() == 3


def test_web_the_same_child_at_risk_finding_sent_twice_opens_one_case(demo, inspecting):
    client = signed_in(demo["inspector"])
    commune = Unit.objects.get(structure="2025", code="14428")
    form = {f"finding-{name}": value for name, value in FINDING.items()} | {
        "finding-child_found": "on",
        "finding-commune": str(commune.pk),
        "finding-child_name": CHILD["full_name"],
        "finding-child_sex": CHILD["sex"],
        "finding-child_age": str(CHILD["estimated_age"]),
        "finding-situation": CHILD["situation"],
        "finding-abuse_forms": CHILD["abuse_forms"],
        "finding-child_description": CHILD["description"],
    }
    url = f"/inspections/{inspecting.pk}/findings/"
    assert client.post(url, form).status_code == 302

    again = client.post(url, form)

    assert again.status_code == 200  # the form again, with the error
    assert Finding.objects.filter(inspection=inspecting).count() == 1
    assert Case.objects.filter(child__full_name=CHILD["full_name"]).count() == 1


def test_api_the_same_recommendation_sent_twice_is_recorded_once(demo, api_as, inspecting):
    reporting = advance(inspecting, "reporting", demo)
    client = api_as("inspector")
    url = f"/api/v1/inspections/{reporting.pk}/recommendations/"
    assert client.post(url, RECOMMENDATION, format="json").status_code == 201

    again = client.post(url, RECOMMENDATION, format="json")

    assert again.status_code == 400
    assert Recommendation.objects.filter(inspection=reporting).count() == 1


def test_web_the_same_recommendation_sent_twice_is_recorded_once(demo, inspecting):
    reporting = advance(inspecting, "reporting", demo)
    client = signed_in(demo["inspector"])
    form = {f"recommendation-{name}": value for name, value in RECOMMENDATION.items()}
    url = f"/inspections/{reporting.pk}/recommendations/"
    assert client.post(url, form).status_code == 302

    again = client.post(url, form)

    assert again.status_code == 200
    assert Recommendation.objects.filter(inspection=reporting).count() == 1


# --- Referrals: agency-side steps --------------------------------------------------------------


@pytest.fixture
def police_referral(demo) -> Referral:
    case = sexual_abuse_case(demo, received_at=timezone.now() - datetime.timedelta(days=15))
    return refer(demo, case, "police_report")


@pytest.fixture
def police_head(police_referral) -> User:
    head = User.objects.create_user("police_head", password="x")
    RoleMembership.objects.create(user=head, role="agency_head", agency=police_referral.agency)
    return head


def assign_events(referral: Referral) -> int:
    return CaseEvent.objects.filter(case=referral.case, action="referral_assigned").count()


def test_api_assigning_the_referral_to_its_assignee_again_records_nothing(
    demo, api_for, police_referral, police_head
):
    client = api_for(police_head)
    url = f"/api/v1/referrals/{police_referral.pk}/transitions/assign/"
    assert client.post(url, {"assigned_to": demo["police"].pk}, format="json").status_code == 200

    again = client.post(url, {"assigned_to": demo["police"].pk}, format="json")

    assert again.status_code == 400
    assert "assigned_to" in again.json()
    assert assign_events(police_referral) == 1


def test_web_assigning_the_referral_to_its_assignee_again_records_nothing(
    demo, police_referral, police_head
):
    client = signed_in(police_head)
    url = f"/referrals/{police_referral.pk}/assign/"
    assert client.post(url, {"assign-assigned_to": demo["police"].pk}).status_code == 302

    again = client.post(url, {"assign-assigned_to": demo["police"].pk})

    assert again.status_code == 200
    assert "assigned_to" in again.context["form"].errors
    assert assign_events(police_referral) == 1


def test_api_a_police_decision_dated_before_the_report_was_received_is_refused(
    demo, api_as, police_referral
):
    """Suspension and procuracy decisions must fall between the receipt and today; the final
    decision, dated years before the crime report reached the police, is accepted."""
    referral_services.referral_accept(actor=demo["police"], referral_id=police_referral.pk)
    response = api_as("police").post(
        f"/api/v1/referrals/{police_referral.pk}/transitions/complete/",
        {
            "police_decision": "prosecuted",
            "decision_date": "2001-01-01",
            "child_friendly_room": True,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "decision_date" in response.json()
    police_referral.refresh_from_db()
    assert police_referral.status == "accepted"
    assert not ReferralOutcome.objects.filter(referral=police_referral).exists()


def test_web_a_police_decision_dated_before_the_report_was_received_is_refused(
    demo, police_referral
):
    referral_services.referral_accept(actor=demo["police"], referral_id=police_referral.pk)
    response = signed_in(demo["police"]).post(
        f"/referrals/{police_referral.pk}/complete/",
        {
            "outcome-report_received_at": "",
            "outcome-police_decision": "prosecuted",
            "outcome-decision_date": "2001-01-01",
            "outcome-child_friendly_room": "yes",
        },
    )

    assert response.status_code == 200
    assert "decision_date" in response.context["form"].errors
    police_referral.refresh_from_db()
    assert police_referral.status == "accepted"


# --- The plan-outcome report --------------------------------------------------------------------


@pytest.fixture
def plan(demo) -> Plan:
    call_command("load_plan", verbosity=0)
    return Plan.objects.get(code="114/KH-UBND")


def police_task() -> PlanTask:
    return PlanTask.objects.get(section__number=9, number=2)


@pytest.mark.parametrize("year", [YEAR + 1, 2100])
def test_api_results_for_a_year_not_yet_come_are_refused(plan, api_as, year):
    """The report itself answers 400 for such a year (GET ?year=), and the page 404."""
    response = api_as("police").post(
        "/api/v1/reports/plan-outcome/",
        {"task": police_task().pk, "year": year, "text": "Đã thực hiện."},
        format="json",
    )

    assert response.status_code == 400
    assert "year" in response.json()
    assert not TaskResult.objects.exists()


def test_api_another_provinces_agency_cannot_read_the_plan_outcome_report(plan, api_for, hanoi):
    """The Hà Nội police are refused Ninh Bình's indicators (404), but read them, and every
    Ninh Bình agency's results, through the plan-outcome report."""
    response = api_for(hanoi.police_staff).get(f"/api/v1/reports/plan-outcome/?year={YEAR}")

    assert response.status_code == 404


def test_api_another_provinces_officer_cannot_read_the_plan_outcome_report(plan, api_for, hanoi):
    officer = User.objects.create_user("hanoi_province", password="x")
    RoleMembership.objects.create(
        user=officer, role=Role.PROVINCIAL_OFFICER, unit=hanoi.ward.parent
    )

    response = api_for(officer).get(f"/api/v1/reports/plan-outcome/?year={YEAR}")

    assert response.status_code == 404


def test_web_another_provinces_lead_agency_cannot_consolidate(plan, hanoi):
    lead = Agency.objects.create(name="Sở Y tế thành phố Hà Nội", jurisdiction=hanoi.ward.parent)
    lead.kinds.set([AgencyKind.objects.get(code=plan.consolidated_by)])
    staff = User.objects.create_user("hanoi_health", password="x")
    RoleMembership.objects.create(user=staff, role=Role.AGENCY_STAFF, agency=lead)

    response = signed_in(staff).post(
        f"/reports/plan/?year={YEAR}", {"consolidate": "1", "notes": "Tổng hợp."}
    )

    assert response.status_code == 404
    assert not Consolidation.objects.exists()
