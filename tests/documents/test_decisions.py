"""The commune's decisions as official documents: Form 05 (plan approved) and Form 07 (temporary
separation), as PDF and DOCX, in the layout of Decree 30/2020, read as the case is read."""

import datetime
import io
import re

import docx
import pypdfium2 as pdfium
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import services
from cases.models import Case, PlanDecision, SeparationDecision
from cases.sections import ALL_SECTIONS
from cases.selectors import case_with_records
from core.models import AuditEvent
from documents.catalogue import KINDS, issued, signable
from documents.official import date_in_words, decision_number, place_name
from referrals import services as referral_services
from tests.referrals.helpers import refer, sexual_abuse_case


def approved_plan(demo, number="12"):
    case = sexual_abuse_case(demo)
    officer, chair = demo["officer_a"], demo["chair_a"]
    services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="high",
        immediate_danger=False,
        confirmed="abuse",
        safety_measures="Trẻ ở với bà ngoại.",
        findings="Có dấu hiệu bị xâm hại.",
    )
    services.case_submit_plan(
        actor=officer,
        case_id=case.pk,
        assessment_summary="Trẻ cần được hỗ trợ y tế và tâm lý.",
        needs="Khám sức khỏe, tư vấn tâm lý.",
        meeting_held_at=case.received_at + datetime.timedelta(minutes=30),
        meeting_participants="Cán bộ xã, gia đình, nhà trường",
        meeting_minutes="Thống nhất kế hoạch.",
        goals="Trẻ an toàn và trở lại trường học.",
        measures=[
            services.MeasureData("psychosocial", "Tư vấn tâm lý hằng tuần", 42),
            services.MeasureData("", "Thăm gia đình hai tuần một lần", 90),
        ],
    )
    services.case_approve_plan(actor=chair, case_id=case.pk, decision_number=number, comments="")
    return case, PlanDecision.objects.get(case=case, approved=True)


def url(case, key, record, fmt):
    return reverse("documents:case_document", args=[case.pk, key, record.pk, fmt])


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def in_order(text: str, *parts: str) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def test_the_words_of_the_layout():
    assert date_in_words(datetime.date(2026, 1, 5)) == "ngày 05 tháng 01 năm 2026"
    assert date_in_words(datetime.date(2026, 11, 30)) == "ngày 30 tháng 11 năm 2026"
    assert date_in_words(datetime.date(2026, 3, 9)) == "ngày 09 tháng 3 năm 2026"
    assert place_name("Xã Nho Quan") == "Nho Quan"
    assert place_name("Phường Hoa Lư") == "Hoa Lư"
    assert decision_number("12") == "12/QĐ-UBND"
    assert decision_number("07/QĐ-UBND") == "07/QĐ-UBND"
    assert decision_number("").strip() == "/QĐ-UBND"


@pytest.mark.parametrize("username", ["officer_a", "chair_a", "province"])
def test_form_05_prints_the_plan_approval_in_order(client, demo, username):
    case, decision = approved_plan(demo)
    client.force_login(demo[username])

    response = client.get(url(case, "form05", decision, "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(f'{case.code}-mau-05-{decision.pk}.pdf"')
    text = pdf_text(response.content)
    assert in_order(
        text,
        "Mẫu số 05",
        "ỦY BAN NHÂN DÂN",
        "XÃ NHO QUAN",
        "Số: 12/QĐ-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Nho Quan, {date_in_words(timezone.localdate())}",
        "QUYẾT ĐỊNH",
        "Về việc phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ NHO QUAN",
        "Căn cứ Luật Trẻ em",
        "Điều 1.",
        "em Đinh Thị Hoa, nữ, khoảng 11 tuổi, trú tại Xã Nho Quan",
        "Trẻ an toàn và trở lại trường học.",
        "Tư vấn tâm lý hằng tuần",
        "Thăm gia đình hai tuần một lần",
        "Xã tự thực hiện",
        "Điều 3.",
        "Nơi nhận:",
        "CHỦ TỊCH",
        "Trần Văn Minh",
    ), text
    assert AuditEvent.objects.filter(
        action="case.read",
        object_id=str(case.pk),
        details__view=f"document:form05:{decision.pk}:pdf",
    ).exists()


def test_form_05_page_is_not_blank_when_rendered(client, demo):
    case, decision = approved_plan(demo)
    client.force_login(demo["officer_a"])
    content = client.get(url(case, "form05", decision, "pdf")).content

    pdf = pdfium.PdfDocument(content)
    try:
        image = pdf[0].render(scale=1).to_pil().convert("L")
    finally:
        pdf.close()

    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert image.size[0] > 500 and dark > 2000  # text on the page, not a white sheet


def test_form_05_as_docx_opens_in_times_new_roman_with_the_same_fields(client, demo):
    case, decision = approved_plan(demo)
    client.force_login(demo["chair_a"])

    response = client.get(url(case, "form05", decision, "docx"))

    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert document.styles["Normal"].font.name == "Times New Roman"
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    text = " ".join(texts)
    assert in_order(
        text,
        "QUYẾT ĐỊNH",
        "Về việc phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em",
        "Điều 1.",
        "em Đinh Thị Hoa",
        "Điều 3.",
    )
    assert "Số: 12/QĐ-UBND" in text and "Tư vấn tâm lý hằng tuần" in text
    assert "Trần Văn Minh" in text


def separation_proposed(demo) -> tuple[Case, SeparationDecision]:
    """An emergency declared with a separation proposed, waiting for the chair."""
    case = sexual_abuse_case(demo)
    services.case_declare_emergency(
        actor=demo["officer_a"],
        case_id=case.pk,
        danger="Người gây hại sống cùng nhà.",
        measures_taken="Đưa trẻ đến nhà bà ngoại.",
        separation_proposed=True,
        placement="Nhà bà ngoại, thôn Đông",
        harm_level="high",
        confirmed="abuse",
    )
    return case, SeparationDecision.objects.get(case=case)


def approve_separation(demo, decision: SeparationDecision) -> None:
    services.separation_decide(
        actor=demo["chair_a"],
        decision_id=decision.pk,
        approve=True,
        placement="Nhà bà ngoại, thôn Đông",
        period_days=10,
        decision_number="3/QĐ-UBND",
        comments="",
    )


def test_form_07_prints_the_separation_with_its_place_and_period(client, demo):
    case, decision = separation_proposed(demo)
    client.force_login(demo["chair_a"])
    # Not a document while it waits for the chair.
    assert client.get(url(case, "form07", decision, "pdf")).status_code == 404
    approve_separation(demo, decision)

    text = pdf_text(client.get(url(case, "form07", decision, "pdf")).content)

    assert in_order(
        text,
        "Mẫu số 07",
        "Số: 3/QĐ-UBND",
        # The decision's name and the commune's officer in the decree's own words (Art. 32).
        "Về việc tạm thời cách ly trẻ em khỏi cha, mẹ, người chăm sóc trẻ em",
        "Xét đề nghị của người làm công tác bảo vệ trẻ em cấp xã",
        "em Đinh Thị Hoa",
        "trong thời hạn 10 ngày",
        # 24:00 of the tenth day after the decision's (Civil Code 2015 Art. 148(1)).
        f"đến hết ngày {timezone.localdate() + datetime.timedelta(days=10):%d/%m/%Y}",
        "Nhà bà ngoại, thôn Đông",
        "Trần Văn Minh",
    ), text


def test_an_agency_and_another_commune_get_404_and_the_attempt_is_audited(client, demo):
    case, decision = approved_plan(demo)
    forensic = refer(demo, case, "forensic_exam")
    referral_services.referral_accept(actor=demo["forensic"], referral_id=forensic.pk)

    for username in ("forensic", "officer_b", "police"):
        client.force_login(demo[username])
        assert client.get(url(case, "form05", decision, "pdf")).status_code == 404, username
    assert AuditEvent.objects.filter(action="case.read_denied").exists()


@pytest.mark.parametrize(("key", "fmt"), [("form05", "odt"), ("form99", "pdf"), ("form07", "pdf")])
def test_unknown_documents_and_formats_answer_404(client, demo, key, fmt):
    case, decision = approved_plan(demo)
    client.force_login(demo["officer_a"])

    assert client.get(url(case, key, decision, fmt)).status_code == 404


def test_the_case_page_offers_the_documents(client, demo):
    case, decision = approved_plan(demo)
    client.force_login(demo["officer_a"])

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert 'id="documents"' in page
    assert url(case, "form05", decision, "pdf") in page
    assert url(case, "form05", decision, "docx") in page


def listing_by_queries(case) -> list[tuple[str, int]]:
    """What each kind's query finds: the documents a download can open."""
    return [
        (kind.key, record.pk)
        for kind in KINDS.values()
        for record in kind.records(case).order_by("pk")
    ]


def test_the_case_page_lists_what_the_downloads_open_from_its_prefetched_records(demo):
    """The page lists the documents from the records it loaded (no statement more), and lists
    exactly those a download opens: a separation only once the chair approved it."""
    case, decision = separation_proposed(demo)

    def listed() -> tuple[list[tuple[str, int]], list[str], int]:
        page_case = case_with_records(demo["officer_a"], case.pk)
        assert page_case is not None
        with CaptureQueriesContext(connection) as statements:
            documents = [(kind.key, record.pk) for kind, record in issued(page_case, ALL_SECTIONS)]
            signs = [key for key, _title in signable(page_case)]
        return documents, signs, len(statements)

    documents, signs, statements = listed()
    assert ("form07", decision.pk) not in documents and f"form07-{decision.pk}" not in signs
    assert documents == listing_by_queries(case) and statements == 0

    approve_separation(demo, decision)
    documents, signs, statements = listed()
    assert ("form07", decision.pk) in documents and f"form07-{decision.pk}" in signs
    assert documents == listing_by_queries(case) and statements == 0
    assert signs == [f"{key}-{pk}" for key, pk in documents if key != "summary"]
    # Each named as the officer knows it: the decision's number and when it was recorded, never
    # the record's id.
    page_case = case_with_records(demo["officer_a"], case.pk)
    assert page_case is not None
    titles = dict(signable(page_case))
    decision.refresh_from_db()
    form07 = titles[f"form07-{decision.pk}"]
    assert re.search(r" · \d\d/\d\d/\d{4} \d\d:\d\d$", form07), form07
    assert all(not title.endswith(f" · {key.split('-')[1]}") for key, title in titles.items())
