"""The officer's forms — 01, 02, 03, 04, 06 — filled in from the case's records, each part only
for readers of its section (Form 01's reporter is the commune's alone)."""

import pytest
from django.urls import reverse

from cases import sections as S
from cases import services as case_services
from cases.models import ClosureAssessment, InitialAssessment, Plan
from referrals import services as referral_services
from tests.access.test_grants import grant
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
        likely_harm="Bị đánh tiếp.",
        actions_taken="Đưa trẻ sang nhà bà.",
        child=case_services.ChildData(
            full_name="Nguyễn Thị Lan",
            sex="female",
            estimated_age=9,
            carers=({"name": "Nguyễn Văn Bình", "relation": "Cha", "age": 38},),
            family_circumstances="Cha mẹ ly thân.",
        ),
    )


def test_form_01_follows_the_decrees_report_and_gives_the_informant_to_the_commune(client, demo):
    case = reported(demo)

    text = pdf_text(get(client, demo["officer_a"], case, "form01", case.pk).content)

    # Decree 56/2017, Appendix, Form 01 "Báo cáo tiếp nhận thông tin trẻ em", in its order.
    assert in_order(
        text,
        "Mẫu số 01",
        "ỦY BAN NHÂN DÂN",
        "/BC-UBND",
        "BÁO CÁO",
        "TIẾP NHẬN THÔNG TIN TRẺ EM BỊ XÂM HẠI",
        "A. Thông tin chung",
        "1. Nguồn nhận thông tin",
        "Thông qua (điện thoại/gặp trực tiếp/người khác báo): Điện thoại",
        "Thời gian:",
        "2. Thông tin về trẻ em",
        "Họ và tên trẻ em: Nguyễn Thị Lan.",
        "Ước lượng tuổi: 9 tuổi.",
        "Giới tính: Nữ.",
        "Địa điểm xảy ra vụ việc: Tại nhà.",
        "Tình trạng hiện tại của trẻ em: Có vết bầm ở tay.",
        "Phỏng đoán hậu quả",
        "Bị đánh tiếp.",
        "Họ và tên cha: Nguyễn Văn Bình, 38 tuổi",
        "Hoàn cảnh gia đình: Cha mẹ ly thân.",
        "Những hành động hỗ trợ, can thiệp đã thực hiện",
        "Đưa trẻ sang nhà bà.",
        "3. Thông tin người cung cấp thông tin",
        "Họ và tên: Trần Văn Hàng",
        "Số điện thoại: 0912 345 678",
        "Địa chỉ: Thôn Đông",
        "Ghi thêm",
        "Trẻ bị đánh.",
        "CÁN BỘ TIẾP NHẬN THÔNG TIN",
    ), text


def test_form_01_names_the_group_of_a_child_at_risk(client, demo):
    case = make_case(demo["officer_a"], situation="at_risk")

    text = pdf_text(get(client, demo["officer_a"], case, "form01", case.pk).content)

    assert "TIẾP NHẬN THÔNG TIN TRẺ EM CÓ NGUY CƠ BỊ BẠO LỰC, BÓC LỘT, BỎ RƠI" in text, text


def test_form_01_for_the_police_has_no_reporter_and_no_medical_state(client, demo):
    case = reported(demo)
    police = refer(demo, case, "police_report")
    referral_services.referral_accept(actor=demo["police"], referral_id=police.pk)

    text = pdf_text(get(client, demo["police"], case, "form01", case.pk).content)

    assert "Trẻ bị đánh." in text
    assert "Họ và tên cha: Nguyễn Văn Bình" in text  # the police read the family
    for hidden in (
        "Trần Văn Hàng",
        "0912 345 678",
        "người cung cấp thông tin",
        "Có vết bầm ở tay.",
    ):
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
    # Decree 56/2017, Appendix, Form 06, in its order; then the proposal and the chair's answer.
    assert in_order(
        form06,
        "Mẫu số 06",
        "RÀ SOÁT, ĐÁNH GIÁ TÌNH TRẠNG CỦA TRẺ EM",
        "SAU KHI THỰC HIỆN KẾ HOẠCH HỖ TRỢ, CAN THIỆP",
        "Họ và tên trẻ em: Nguyễn Thị Lan.",
        "Họ và tên cán bộ thực hiện:",
        "Ngày, tháng, năm thực hiện:",
        "1. Đánh giá nguy cơ tại giai đoạn kết thúc",
        "a) Đánh giá mức độ tổn hại của trẻ em",
        "Mức độ tổn hại của trẻ em có còn nghiêm trọng không",
        "Thấp",
        "Khả năng tiếp cận trẻ em của đối tượng xâm hại",
        "Thấp",
        "Những trở ngại trong môi trường chăm sóc",
        "Trung bình",
        "Tổng số",
        "Cao: 0, Trung bình: 1, Thấp: 2",
        "b) Đánh giá khả năng tự bảo vệ, phục hồi của trẻ em",
        "Cao",
        "2. Đề nghị",
        "Lý do:",
        "CÁN BỘ THỰC HIỆN",
    ), form06


@pytest.mark.parametrize("key", ["form02", "form03", "form04", "form06"])
def test_a_form_of_another_case_is_404(client, demo, key):
    case = advance(
        reported(demo), "assess_initial", officer=demo["officer_a"], chair=demo["chair_a"]
    )
    other = reported(demo)
    assessment = InitialAssessment.objects.get(case=case)

    # The record exists, but not on this case.
    assert get(client, demo["officer_a"], other, key, assessment.pk).status_code == 404


def test_a_grantee_of_the_report_alone_gets_no_form_and_without_the_concern_no_group(client, demo):
    """A form names the child: it is for readers of the child's section too. The group in Form
    01's title (abused, at risk) is the concern's: named for its readers only."""
    case = reported(demo)
    grant(demo, case, sections=[S.REPORT])
    assert get(client, demo["school"], case, "form01", case.pk).status_code == 404

    grant(demo, case, sections=[S.CHILD, S.REPORT])
    text = pdf_text(get(client, demo["school"], case, "form01", case.pk).content)
    assert in_order(text, "BÁO CÁO", "TIẾP NHẬN THÔNG TIN TRẺ EM", "A. Thông tin chung"), text
    assert "XÂM HẠI" not in text and "NGUY CƠ" not in text

    grant(demo, case, sections=[S.CHILD, S.REPORT, S.CONCERN])
    text = pdf_text(get(client, demo["school"], case, "form01", case.pk).content)
    assert "TIẾP NHẬN THÔNG TIN TRẺ EM BỊ XÂM HẠI" in text
