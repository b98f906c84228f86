"""The agency's inbox and referral page, through the web interface."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.models import RoleMembership, User
from referrals import services
from referrals.models import Referral
from tests.referrals.helpers import outcome, refer, sexual_abuse_case


@pytest.fixture
def case(demo):
    return sexual_abuse_case(demo)


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_inbox_shows_a_pending_referral_without_the_childs_name(client, demo, case):
    refer(demo, case, "police_report")
    page = signed_in(client, demo["police"]).get("/referrals/")
    assert page.status_code == 200
    html = page.content.decode()
    assert case.code in html
    assert "Hoa" not in html


def test_another_agency_gets_404_on_the_referral_page(client, demo, case):
    referral = refer(demo, case, "police_report")
    assert signed_in(client, demo["hospital"]).get(f"/referrals/{referral.pk}/").status_code == 404


def test_the_pending_referral_page_shows_no_case_content(client, demo, case):
    referral = refer(demo, case, "police_report")
    html = signed_in(client, demo["police"]).get(f"/referrals/{referral.pk}/").content.decode()
    assert case.description not in html and "Đinh Thị Hoa" not in html
    assert 'id="accept"' in html


def test_after_accepting_the_police_read_the_report_but_not_the_medical_state(client, demo, case):
    referral = refer(demo, case, "police_report")
    client = signed_in(client, demo["police"])
    response = client.post(f"/referrals/{referral.pk}/accept/")
    assert response.status_code == 302
    html = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Đinh Thị Hoa" in html and case.description in html
    assert case.child_condition not in html  # the medical section is not the police's


def test_legal_aid_reads_no_medical_details(client, demo, case):
    referral = refer(demo, case, "legal_aid")
    services.referral_accept(actor=demo["legalaid"], referral_id=referral.pk)
    html = signed_in(client, demo["legalaid"]).get(f"/referrals/{referral.pk}/").content.decode()
    assert case.description in html
    assert case.child_condition not in html


def test_completing_with_a_prosecution_decision_through_the_form(client, demo, case):
    referral = refer(demo, case, "police_report")
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    response = signed_in(client, demo["police"]).post(
        f"/referrals/{referral.pk}/complete/",
        {
            "outcome-report_received_at": "",  # kept as the police entered it on accepting
            "outcome-police_decision": "prosecuted",
            "outcome-decision_date": timezone.localdate().isoformat(),
            "outcome-child_friendly_room": "yes",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "completed"
    assert referral.outcome.police_decision == "prosecuted"
    assert referral.outcome.report_received_at == referral.report_received_at
    assert referral.outcome.child_friendly_room is True


def test_an_incomplete_outcome_form_changes_nothing(client, demo, case):
    referral = refer(demo, case, "police_report")
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    response = signed_in(client, demo["police"]).post(
        f"/referrals/{referral.pk}/complete/", {"outcome-police_decision": "prosecuted"}
    )
    assert response.status_code == 200  # the form again, with what was typed and its errors
    assert {"decision_date", "child_friendly_room"} <= set(response.context["form"].errors)
    assert 'value="prosecuted" selected' in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert not Referral.objects.filter(pk=referral.pk, outcome__isnull=False).exists()


def test_the_commune_refers_from_the_case_page_form(client, demo, case):
    from tests.referrals.helpers import agency

    response = signed_in(client, demo["officer_a"]).post(
        f"/referrals/case/{case.pk}/refer/",
        {
            "refer-service": "medical_care",
            "refer-agency": agency("medical_care").pk,
            "refer-urgency": "emergency",
            "refer-reason": "Cần khám ngay",
            "refer-consent_basis": "emergency",
        },
    )
    assert response.status_code == 302
    assert case.referrals.get().service == "medical_care"


def test_a_wrong_state_step_shows_a_message_and_changes_nothing(client, demo, case):
    referral = refer(demo, case, "police_report")
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    services.referral_complete(
        actor=demo["police"], referral_id=referral.pk, outcome=outcome("police_report")
    )
    response = signed_in(client, demo["police"]).post(
        f"/referrals/{referral.pk}/accept/", follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    referral.refresh_from_db()
    assert referral.status == "completed"


def test_the_sender_may_not_accept_through_the_web(client, demo, case):
    referral = refer(demo, case, "police_report")
    response = signed_in(client, demo["officer_a"]).post(f"/referrals/{referral.pk}/accept/")
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_accepting_tells_the_user_what_happened_to_which_referral(client, demo, case):
    referral = refer(demo, case, "police_report")
    response = signed_in(client, demo["police"]).post(
        f"/referrals/{referral.pk}/accept/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"{case.code} (Crime report to the police): The referral is accepted."
    ]
    assert response.context["steps"]["complete"].allowed


def test_the_agency_head_assigns_the_referral_from_its_page(client, demo, case):
    referral = refer(demo, case, "police_report")
    head = User.objects.create_user("police_head", password="x", first_name="Thủ trưởng")
    RoleMembership.objects.create(user=head, role="agency_head", agency=referral.agency)
    client = signed_in(client, head)
    assert 'id="assign-form"' in client.get(f"/referrals/{referral.pk}/").content.decode()
    assert (
        'id="assign-form"'
        not in signed_in(client, demo["police"]).get(f"/referrals/{referral.pk}/").content.decode()
    )

    client = signed_in(client, head)
    response = client.post(
        f"/referrals/{referral.pk}/assign/", {"assign-assigned_to": demo["police"].pk}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.assigned_to == demo["police"]
    assert 'id="assigned-to"' in client.get(f"/referrals/{referral.pk}/").content.decode()


def pending_codes(html: str, section: str) -> set[str]:
    """The case codes listed in one section of the inbox."""
    part = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return {code for code in re.findall(r"\d{2}-\d{4}-\d{6}", part)}


def test_each_section_of_the_inbox_is_paged_in_the_same_queries_however_long(
    client, demo, monkeypatch
):
    monkeypatch.setattr("referrals.views.INBOX_PAGE", 2)
    police = signed_in(client, demo["police"])

    def inbox(query: str = "") -> tuple[str, int]:
        with CaptureQueriesContext(connection) as queries:
            page = police.get(f"/referrals/{query}")
        assert page.status_code == 200
        return page.content.decode(), len(queries)

    cases = [sexual_abuse_case(demo) for _ in range(3)]
    for case in cases:
        refer(demo, case, "police_report")
    first, few = inbox()
    second, _ = inbox("?pending=2")
    assert len(pending_codes(first, "pending")) == 2 and len(pending_codes(second, "pending")) == 1
    assert pending_codes(first, "pending") | pending_codes(second, "pending") == {
        case.code for case in cases
    }
    assert "Trang 1/2" in first or "Page 1 of 2" in first

    for case in [sexual_abuse_case(demo) for _ in range(4)]:
        refer(demo, case, "police_report")
    _, many = inbox("?pending=3")
    assert many == few


def test_the_chair_is_offered_to_waive_only_the_required_services_not_yet_referred(
    client, demo, case
):
    refer(demo, case, "police_report")
    page = signed_in(client, demo["chair_a"]).get(f"/cases/{case.pk}/").content.decode()
    select = re.search(r'name="waive-service".*?</select>', page, re.DOTALL)
    assert select is not None
    offered = re.findall(r'<option value="(\w+)"', select.group())
    # The sexual abuse pathway's required services but the police's, which has it already.
    assert sorted(offered) == ["forensic_exam", "legal_aid", "medical_care", "social_support"]


def test_the_case_page_reads_the_pathway_once_for_its_section_and_its_todo(client, demo):
    """The referrals section and the to-do both show what the pathway still needs: one read."""
    case = sexual_abuse_case(demo)
    refer(demo, case, "police_report")
    officer = signed_in(client, demo["officer_a"])
    with CaptureQueriesContext(connection) as statements:
        page = officer.get(f"/cases/{case.pk}/").content.decode()

    pathway_reads = [s for s in statements.captured_queries if "referrals_pathwaystep" in s["sql"]]
    assert len(pathway_reads) == 1
    assert 'id="refer-all"' in page and 'href="#refer-all"' in page  # the section, the to-do


def test_the_province_follows_what_its_communes_sent(client, demo, case):
    """The page read the referrals a province's communes wait on and showed none of them."""
    police_report = refer(demo, case, "police_report")
    legal_aid = refer(demo, case, "legal_aid")
    page = signed_in(client, demo["province"]).get("/referrals/")
    html = page.content.decode()

    assert page.status_code == 200
    assert 'id="outgoing"' in html and 'id="pending"' not in html
    with translation.override("vi"):
        assert gettext("Sent by the communes you supervise, not yet finished") in html
    section = html.split('id="outgoing"', 1)[1]
    assert section.count(case.code) == 2
    assert police_report.get_service_display() in section
    assert legal_aid.get_service_display() in section


def test_an_agency_reads_its_own_sections_and_a_commune_its_own(client, demo, case):
    refer(demo, case, "police_report")
    police = signed_in(client, demo["police"]).get("/referrals/").content.decode()
    assert 'id="pending"' in police and 'id="outgoing"' not in police
    client.logout()
    officer = signed_in(client, demo["officer_a"]).get("/referrals/").content.decode()
    assert 'id="outgoing"' in officer and 'id="pending"' not in officer
    assert case.code in officer


def test_a_user_with_no_referrals_to_follow_is_told_so(client, demo):
    page = signed_in(client, demo["manager"]).get("/referrals/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="outgoing"' not in html and 'id="pending"' not in html
    assert 'class="muted"' in html


def test_the_referral_page_names_what_the_agency_reads_and_sends_the_commune_to_the_case(
    client, demo, case
):
    referral = refer(demo, case, "police_report")
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    police = signed_in(client, demo["police"]).get(f"/referrals/{referral.pk}/").content.decode()
    client.logout()
    officer = signed_in(client, demo["officer_a"]).get(f"/referrals/{referral.pk}/")
    with translation.override("vi"):
        agency_heading = gettext("What your service may read of the case")
    assert agency_heading in police
    assert agency_heading not in officer.content.decode()
    assert f'href="/cases/{case.pk}/"' in officer.content.decode()


def test_a_user_of_both_the_agency_and_the_commune_reads_the_case_as_the_commune(
    client, demo, case
):
    """Found in review: the agency's heading hid the case link from its own commune officer."""
    referral = refer(demo, case, "police_report")
    services.referral_accept(actor=demo["police"], referral_id=referral.pk)
    police = RoleMembership.objects.filter(user=demo["police"]).first()
    assert police is not None and police.agency_id == referral.agency_id
    RoleMembership.objects.create(user=demo["officer_a"], role="agency_staff", agency=police.agency)
    html = signed_in(client, demo["officer_a"]).get(f"/referrals/{referral.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/"' in html


def test_an_officer_who_also_supervises_the_province_reads_the_supervisors_heading(
    client, demo, case
):
    refer(demo, case, "police_report")
    province = RoleMembership.objects.get(user=demo["province"])
    RoleMembership.objects.create(
        user=demo["officer_a"], role="provincial_officer", unit=province.unit
    )
    html = signed_in(client, demo["officer_a"]).get("/referrals/").content.decode()
    with translation.override("vi"):
        assert gettext("Sent by the communes you supervise, not yet finished") in html


def test_the_case_page_says_why_an_agency_declined(client, demo, case):
    """The officer reads the reason beside the declined referral, to refer elsewhere."""
    referral = refer(demo, case, "legal_aid")
    services.referral_decline(
        actor=demo["legalaid"], referral_id=referral.pk, reason="Quá tải, đề nghị chuyển nơi khác."
    )
    client.force_login(demo["officer_a"])

    page = client.get(f"/cases/{case.pk}/").content.decode()

    row = page[page.index('id="referral-list"') :].split("</table>")[0]
    assert 'data-status="declined"' in row
    assert "Quá tải, đề nghị chuyển nơi khác." in row


def test_an_urgent_referral_stands_out_and_the_form_says_what_urgency_does(client, demo, case):
    routine = refer(demo, case, "police_report")
    emergency = refer(demo, case, "medical_care", urgency="emergency")
    police = signed_in(client, demo["police"]).get("/referrals/").content.decode()
    hospital = signed_in(client, demo["hospital"]).get("/referrals/").content.decode()
    page = signed_in(client, demo["hospital"]).get(f"/referrals/{emergency.pk}/").content.decode()

    assert routine.urgency == "routine" and 'class="badge urgency-' not in police
    assert 'data-urgency="emergency"><span class="badge urgency-emergency">' in hospital
    assert 'class="badge urgency-emergency"' in page
    # Where the commune chooses it: the deadline to accept is the service's, not the urgency's.
    case_page = signed_in(client, demo["officer_a"]).get(f"/cases/{case.pk}/").content.decode()
    with translation.override("vi"):
        said = gettext(
            "Marked in the receiving agency's inbox. The time the agency has to accept is the "
            "service's, whatever the urgency."
        )
    assert said in case_page.replace("&#x27;", "'")
