"""The case summary ("Tóm tắt hồ sơ"): everything for the commune, and for an agency only the
sections its service may read — the same need-to-know rules as the case page."""

import pytest
from django.urls import reverse

from referrals import services as referral_services
from tests.documents.test_decisions import approved_plan, in_order, pdf_text
from tests.referrals.helpers import refer


def summary(client, user, case, fmt="pdf"):
    client.force_login(user)
    return client.get(reverse("documents:case_document", args=[case.pk, "summary", case.pk, fmt]))


def test_the_commune_reads_every_part_in_order(client, demo):
    case, _decision = approved_plan(demo)
    refer(demo, case, "police_report")

    response = summary(client, demo["officer_a"], case)

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert in_order(
        text,
        "TÓM TẮT HỒ SƠ TRẺ EM",
        f"Hồ sơ {case.code}",
        "I. Trẻ em",
        "Em Đinh Thị Hoa",
        "II. Thông báo, tố giác",
        "Cô giáo phát hiện trẻ có dấu hiệu bị xâm hại tình dục.",
        "III. Đánh giá",
        "IV. Kế hoạch",
        "Tư vấn tâm lý hằng tuần",
        "V. Chuyển gửi",
        "Tin báo, tố giác tội phạm",
        "VI. Diễn biến hồ sơ",
        "NGƯỜI LẬP",
        "Nguyễn Thị Lan",
    ), text


def test_an_agency_reads_only_what_its_service_may_see(client, demo):
    case, _decision = approved_plan(demo)
    refer(demo, case, "police_report")
    forensic = refer(demo, case, "forensic_exam")
    referral_services.referral_accept(actor=demo["forensic"], referral_id=forensic.pk)

    text = pdf_text(summary(client, demo["forensic"], case).content)

    assert "I. Trẻ em" in text and "Em Đinh Thị Hoa" in text
    assert "Giám định pháp y" in text  # its own referral
    for hidden in (
        "II. Thông báo",
        "Cô giáo phát hiện",  # the report
        "III. Đánh giá",
        "IV. Kế hoạch",
        "Tư vấn tâm lý hằng tuần",  # the plan
        "VI. Diễn biến",
        "Tin báo, tố giác tội phạm",  # another agency's referral
    ):
        assert hidden not in text, hidden


@pytest.mark.parametrize("username", ["officer_b", "police", "manager"])
def test_outside_the_case_the_summary_is_404(client, demo, username):
    case, _decision = approved_plan(demo)

    assert summary(client, demo[username], case).status_code == 404


def test_the_summary_as_docx(client, demo):
    import io

    import docx

    case, _decision = approved_plan(demo)
    response = summary(client, demo["officer_a"], case, "docx")

    text = " ".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "TÓM TẮT HỒ SƠ TRẺ EM" in text and "I. Trẻ em" in text
