"""The history and the deadlines of a case carry words of its other sections: a correction's old
and new values, the chair's comments, a referral's reasons, a separation's end. A reader of the
history or of the deadlines is told them only with the section they belong to, on the case page
and through the API alike (found by a need-to-know probe, 1 December 2026)."""

import pytest
from django.urls import reverse
from django.utils import translation

from access.services import grant_access
from cases import services
from cases.clocks import LABELS, SEPARATION_END
from cases.clocks import SECTIONS as CLOCK_SECTIONS
from cases.models import Case, SeparationDecision
from cases.sections import ASSESSMENTS, CARERS, CHILD, HISTORY, MEDICAL, PLAN
from cases.visibility import sections_for
from core.clocks import registered_kinds
from referrals import services as referral_services
from tests.cases.factories import advance, make_case
from tests.referrals.helpers import refer

CONDITION = "Gãy xương đòn trái, đang điều trị tại bệnh viện"
RETURN_COMMENTS = "Bổ sung biện pháp can thiệp với người cha nghiện rượu"
DECLINE_REASON = "Gia đình đã chuyển trẻ sang cơ sở khác"
PLACEMENT = "Nhà tạm lánh Hoa Sen"


def let_in(demo, case: Case, sections: list[str]) -> None:
    """The case's officer lets officer_b (another commune) read `sections` of the case."""
    grant_access(
        actor=demo["officer_a"],
        case_id=case.pk,
        user_id=demo["officer_b"].pk,
        sections=sections,
        may_add_notes=False,
        days=7,
        explanation="Trẻ chuyển đến học tại phường.",
    )


def events_text(client, case: Case) -> str:
    answer = client.get(f"/api/v1/cases/{case.pk}/events/")
    assert answer.status_code == 200
    return answer.content.decode()


# --- A correction's values -----------------------------------------------------------------------


@pytest.fixture
def corrected(demo) -> Case:
    """The child's current state (medical) corrected, read by a grantee of the child and the
    history only."""
    case = make_case(demo["officer_a"], child_condition="Chưa rõ.")
    let_in(demo, case, [CHILD, HISTORY])
    services.case_correct(
        actor=demo["officer_a"], case_id=case.pk, changes={"child_condition": CONDITION}
    )
    shown = sections_for(demo["officer_b"], case)
    assert HISTORY in shown and MEDICAL not in shown
    return case


def test_the_case_page_names_the_corrected_field_but_not_its_values(client, demo, corrected):
    client.force_login(demo["officer_b"])

    row = next(
        row
        for row in client.get(reverse("cases:detail", args=[corrected.pk])).context["events"]
        if row["event"].action == "correct"
    )

    assert len(row["corrections"]) == 1
    assert row["corrections"][0].endswith(": …")
    assert CONDITION not in row["corrections"][0]


def test_the_api_history_hides_the_corrected_values(demo, corrected, api_for):
    answer = api_for(demo["officer_b"]).get(f"/api/v1/cases/{corrected.pk}/events/")

    correction = next(e for e in answer.json()["results"] if e["action"] == "correct")
    assert correction["details"] == {"changed": {"child_condition": "…"}}


def test_the_communes_officer_still_reads_the_corrected_values(client, demo, corrected, api_for):
    assert CONDITION in events_text(api_for(demo["officer_a"]), corrected)
    client.force_login(demo["officer_a"])
    page = client.get(reverse("cases:detail", args=[corrected.pk]))
    assert CONDITION in page.content.decode()


def test_a_child_field_of_the_carers_section_is_hidden_too(demo, api_for):
    case = make_case(demo["officer_a"])
    let_in(demo, case, [CHILD, HISTORY])
    services.case_correct(
        actor=demo["officer_a"],
        case_id=case.pk,
        child_changes={"address": "Thôn Đông, xóm 3", "school": "Trường Tiểu học Nho Quan"},
    )

    correction = next(
        e
        for e in api_for(demo["officer_b"])
        .get(f"/api/v1/cases/{case.pk}/events/")
        .json()["results"]
        if e["action"] == "correct"
    )

    child = correction["details"]["changed"]["child"]
    assert child["address"] == "…"  # where the child lives: the carers' section
    assert child["school"][1] == "Trường Tiểu học Nho Quan"  # the child's section, granted


# --- The steps' own words ----------------------------------------------------------------------


@pytest.fixture
def plan_returned(demo) -> Case:
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = advance(
        make_case(officer), "assess_initial", "submit_plan", officer=officer, chair=chair
    )
    services.case_return_plan(actor=chair, case_id=case.pk, comments=RETURN_COMMENTS)
    return case


def test_the_chairs_comments_on_the_plan_are_the_plans(demo, plan_returned, api_for):
    let_in(demo, plan_returned, [CHILD, HISTORY])
    assert RETURN_COMMENTS not in events_text(api_for(demo["officer_b"]), plan_returned)


def test_a_grantee_of_the_plan_reads_them(demo, plan_returned, api_for):
    let_in(demo, plan_returned, [CHILD, HISTORY, PLAN])
    assert RETURN_COMMENTS in events_text(api_for(demo["officer_b"]), plan_returned)


def test_a_supervisor_reads_them(demo, plan_returned, api_for):
    assert RETURN_COMMENTS in events_text(api_for(demo["province"]), plan_returned)


def test_a_detail_no_section_claims_is_the_case_staffs_alone(demo, api_for):
    """A referral's reasons belong to no one section: the commune and its supervisors read
    them (as a grantee of every section but who reported would), a grantee of some does not."""
    case = make_case(demo["officer_a"])
    referral = refer(demo, case, "education_support")
    referral_services.referral_decline(
        actor=demo["school"], referral_id=referral.pk, reason=DECLINE_REASON
    )
    let_in(demo, case, [CHILD, CARERS, HISTORY, PLAN])

    grantee = api_for(demo["officer_b"]).get(f"/api/v1/cases/{case.pk}/events/").json()
    declined = next(e for e in grantee["results"] if e["action"] == "referral_declined")
    assert declined["details"] == {}
    assert DECLINE_REASON in events_text(api_for(demo["province"]), case)


# --- The deadlines --------------------------------------------------------------------------------


@pytest.fixture
def separated_child_at_school(demo) -> Case:
    """A child separated from the carer; the school, with an accepted referral for education
    support, reads the child and the plan, not the assessments nor the carers."""
    officer, school = demo["officer_a"], demo["school"]
    case = make_case(officer)
    services.case_declare_emergency(
        actor=officer,
        case_id=case.pk,
        danger="Cha đánh trẻ",
        measures_taken="Tạm lánh",
        harm_level="high",
        confirmed="abuse",
        separation_proposed=True,
        placement=PLACEMENT,
    )
    services.separation_decide(
        actor=demo["chair_a"],
        decision_id=SeparationDecision.objects.get(case=case).pk,
        approve=True,
        placement=PLACEMENT,
        period_days=7,
    )
    services.case_end_emergency(
        actor=officer, case_id=case.pk, measures_applied="Ở nhà tạm lánh", safe_location=PLACEMENT
    )
    referral = refer(demo, case, "education_support")
    referral_services.referral_accept(actor=school, referral_id=referral.pk)
    shown = sections_for(school, case)
    assert ASSESSMENTS not in shown and CARERS not in shown and CHILD in shown
    return case


def test_the_case_page_hides_a_separations_deadline_from_the_school(
    client, demo, separated_child_at_school
):
    with translation.override("vi"):
        end_of_separation = str(LABELS[SEPARATION_END])
    client.force_login(demo["school"])
    page = client.get(reverse("cases:detail", args=[separated_child_at_school.pk]))
    assert page.status_code == 200
    assert end_of_separation not in page.content.decode()

    client.force_login(demo["officer_a"])
    page = client.get(reverse("cases:detail", args=[separated_child_at_school.pk]))
    assert end_of_separation in page.content.decode()


def test_the_api_hides_a_separations_deadline_from_the_school(
    demo, separated_child_at_school, api_for
):
    def kinds(user) -> set[str]:
        answer = api_for(user).get(f"/api/v1/cases/{separated_child_at_school.pk}/")
        return {clock["kind"] for clock in answer.json()["open_clocks"]}

    assert SEPARATION_END not in kinds(demo["school"])
    assert SEPARATION_END in kinds(demo["officer_a"])


def test_every_deadline_of_a_case_belongs_to_a_section():
    case_kinds = {known.kind for known in registered_kinds() if known.model is Case}
    assert case_kinds == set(CLOCK_SECTIONS)


def test_the_hospital_knows_where_the_child_is_and_until_when(
    client, demo, separated_child_at_school, api_for
):
    """The child's whereabouts are the carers' section's: the hospital treating the child reads
    the placement and the separation's end, on the page as through the API."""
    case = separated_child_at_school
    referral = refer(demo, case, "medical_care")
    referral_services.referral_accept(actor=demo["hospital"], referral_id=referral.pk)
    shown = sections_for(demo["hospital"], case)
    assert CARERS in shown and ASSESSMENTS not in shown

    body = api_for(demo["hospital"]).get(f"/api/v1/cases/{case.pk}/").json()
    assert body["current_placement"]["placement"] == PLACEMENT
    assert SEPARATION_END in {clock["kind"] for clock in body["open_clocks"]}
    client.force_login(demo["hospital"])
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.context["summary"].placement == PLACEMENT
    with translation.override("vi"):
        assert str(LABELS[SEPARATION_END]) in page.content.decode()
