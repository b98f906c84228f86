"""The inspection's conclusion as an official document: findings, sanctions, recommendations,
for those who may see the inspection; audited; 404 outside and before it is concluded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from documents import official
from documents.inspection import conclusion
from inspections import services
from tests.documents.test_decisions import in_order, pdf_text
from tests.inspections.factories import advance, plan_inspection


def concluded(demo):
    inspection = advance(plan_inspection(demo), "reporting", demo)
    services.finding_record(
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        description="Chưa bố trí cán bộ chuyên trách bảo vệ trẻ em.",
        legal_basis="Điều 51 Nghị định 56/2017/NĐ-CP",
        responsible="UBND Xã Nho Quan",
        sanction="warning",
    )
    services.recommendation_add(
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        action="Bố trí cán bộ chuyên trách.",
        responsible="UBND Xã Nho Quan",
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    return advance(inspection, "concluded", demo)


def url(inspection, fmt="pdf"):
    return reverse("documents:inspection_conclusion", args=[inspection.pk, fmt])


def test_the_conclusion_lists_findings_sanctions_and_recommendations(client, demo):
    inspection = concluded(demo)
    client.force_login(demo["inspector"])

    response = client.get(url(inspection))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert in_order(
        text,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "KẾT LUẬN KIỂM TRA",
        f"Căn cứ Quyết định số {inspection.decision_number}",
        "2. Kết quả",
        "Chưa bố trí cán bộ chuyên trách bảo vệ trẻ em.",
        "3. Xử lý vi phạm",
        "Cảnh cáo",
        "4. Kiến nghị",
        "Bố trí cán bộ chuyên trách.",
        "TRƯỞNG ĐOÀN",
    ), text
    assert AuditEvent.objects.filter(
        action="inspection.document", object_id=str(inspection.pk)
    ).exists()
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert url(inspection) in page


def test_before_its_conclusion_and_outside_its_scope_there_is_no_document(client, demo):
    planned = plan_inspection(demo)
    client.force_login(demo["inspector"])
    assert client.get(url(planned)).status_code == 404

    inspection = concluded(demo)
    for username in ("officer_a", "police"):
        client.force_login(demo[username])
        assert client.get(url(inspection)).status_code == 404, username
    client.force_login(demo["inspector"])
    assert client.get(url(inspection, "odt")).status_code == 404


def test_the_decisions_title_keeps_the_capitals_of_its_names(demo):
    """Its title continues "… về việc": the first letter in lower case, the places as typed."""
    inspection = concluded(demo)
    inspection.title = "Kiểm tra phòng chống bạo lực học đường tại Nho Quan"

    basis = conclusion(inspection).bases[0]

    assert basis.endswith("về việc kiểm tra phòng chống bạo lực học đường tại Nho Quan;")


@pytest.mark.parametrize(
    ("title", "in_a_sentence"),
    [
        ("Kiểm tra liên ngành tại Xã Gia Viễn", "kiểm tra liên ngành tại Xã Gia Viễn"),
        ("UBND xã thực hiện Kế hoạch 114", "UBND xã thực hiện Kế hoạch 114"),
        ("Ninh Bình: trẻ em bị xâm hại", "Ninh Bình: trẻ em bị xâm hại"),
        ("thanh tra chuyên đề", "thanh tra chuyên đề"),
        ("", ""),
    ],
)
def test_a_title_continues_a_sentence(title, in_a_sentence):
    assert official.in_a_sentence(title) == in_a_sentence
