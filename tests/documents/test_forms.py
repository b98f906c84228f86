"""The officer's forms — 01, 02, 03, 04, 06 — filled in from the case's records, each part only
for readers of its section (Form 01's reporter is the commune's alone)."""

import pytest
from django.urls import reverse

from cases.models import ClosureAssessment, InitialAssessment, Plan
from referrals import services as referral_services
from tests.cases.factories import advance, make_case
from tests.documents.test_decisions import in_order, pdf_text
from tests.referrals.helpers import refer


def get(client, user, case, key, record_id, fmt="pdf"):
    client.force_login(user)
    return client.get(reverse("documents:case_document", args=[case.pk, key, record_id, fmt]))


def reported(demo):
    return make_case(
        demo["officer_a"],
        child_condition="Có vết bầm ở tay.",
        harm_location="Tại nhà",
        reporter_address="Thôn Đông",
    )


def test_form_01_gives_the_report_and_its_reporter_to_the_commune(client, demo):
    case = reported(demo)

    text = pdf_text(get(client, demo["officer_a"], case, "form01", case.pk).content)

    assert in_order(
        text,
        "Mẫu số 01",
        "PHIẾU GHI NHẬN THÔNG BÁO, TỐ GIÁC VỀ TRẺ EM",
        "1. Tiếp nhận",
        "2. Người thông báo",
        "Trần Văn Hàng",
        "0912 345 678",
        "3. Trẻ em",
        "Em Nguyễn Thị Lan, nữ",
        "5. Nội dung thông báo",
        "Trẻ bị đánh.",
        "Có vết bầm ở tay.",
        "NGƯỜI LẬP",
    ), text


def test_form_01_for_the_police_has_no_reporter_and_no_medical_state(client, demo):
    case = reported(demo)
    police = refer(demo, case, "police_report")
    referral_services.referral_accept(actor=demo["police"], referral_id=police.pk)

    text = pdf_text(get(client, demo["police"], case, "form01", case.pk).content)

    assert "Trẻ bị đánh." in text
    for hidden in ("Trần Văn Hàng", "0912 345 678", "Người thông báo", "Có vết bầm ở tay."):
        assert hidden not in text, hidden


def test_form_01_is_not_for_the_forensic_centre(client, demo):
    case = reported(demo)
    forensic = refer(demo, case, "forensic_exam")
    referral_services.referral_accept(actor=demo["forensic"], referral_id=forensic.pk)

    assert get(client, demo["forensic"], case, "form01", case.pk).status_code == 404


def test_forms_02_03_04_06_follow_the_case(client, demo):
    case = reported(demo)
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = advance(
        case,
        "assess_initial",
        "submit_plan",
        "approve_plan",
        "start_review",
        officer=officer,
        chair=chair,
    )
    referral_services.referral_waive(
        actor=chair, case_id=case.pk, service="medical_care", reason="Trẻ đã được khám."
    )
    case = advance(case, "propose_closure", officer=officer, chair=chair)
    assessment = InitialAssessment.objects.get(case=case)
    plan = Plan.objects.get(case=case)
    closure = ClosureAssessment.objects.get(case=case)

    form02 = pdf_text(get(client, officer, case, "form02", assessment.pk).content)
    form03 = pdf_text(get(client, officer, case, "form03", plan.pk).content)
    form04 = pdf_text(get(client, chair, case, "form04", plan.pk).content)
    form06 = pdf_text(get(client, chair, case, "form06", closure.pk).content)

    assert in_order(form02, "Mẫu số 02", "Mức độ tổn hại", "Nhận định: Vết bầm.", "Ở nhà bà.")
    assert in_order(form03, "Mẫu số 03", "Đánh giá chi tiết.", "Y tế, tâm lý.", "Biên bản.")
    assert in_order(form04, "Mẫu số 04", "Trẻ an toàn.", "Tư vấn tâm lý", "Hỗ trợ tâm lý")
    assert in_order(form06, "Mẫu số 06", "Mức độ tổn hại còn lại", "Lý do đóng hồ sơ")


@pytest.mark.parametrize("key", ["form02", "form03", "form04", "form06"])
def test_a_form_of_another_case_is_404(client, demo, key):
    case = advance(
        reported(demo), "assess_initial", officer=demo["officer_a"], chair=demo["chair_a"]
    )
    other = reported(demo)
    assessment = InitialAssessment.objects.get(case=case)

    # The record exists, but not on this case.
    assert get(client, demo["officer_a"], other, key, assessment.pk).status_code == 404
