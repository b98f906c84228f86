"""The inspection's conclusion ("Kết luận thanh tra/kiểm tra") as an official document of the lead
agency: what was inspected and when, the findings, the sanctions, the recommendations with their
due dates, and the team's conclusion, signed by the head of the team. Findings name no child:
a finding tied to a case keeps the case on the inspection page, for those who may read it."""

from django.utils import timezone

from core.text import vnd
from documents.decisions import person
from documents.official import (
    Article,
    OfficialDocument,
    date_in_words,
    in_a_sentence,
    place_name,
)
from inspections.models import Inspection, Kind, Membership, Sanction


def day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def conclusion(inspection: Inspection) -> OfficialDocument:
    agency = inspection.lead_agency
    area = agency.jurisdiction.name
    what = "KIỂM TRA LIÊN NGÀNH" if inspection.kind == Kind.INTERAGENCY else "KIỂM TRA CHUYÊN ĐỀ"
    lead = next((m.user for m in inspection.team.all() if m.role == Membership.Role.LEAD), None)
    findings = list(inspection.findings.all())
    sanctions = [["TT", "Tổ chức, cá nhân", "Hình thức xử lý", "Số tiền phạt (đồng)"]]
    for number, finding in enumerate((f for f in findings if f.sanction != Sanction.NONE), start=1):
        fine = vnd(finding.fine_amount) if finding.fine_amount else "—"
        sanctions.append([str(number), finding.responsible, finding.get_sanction_display(), fine])
    recommendations = [["TT", "Nội dung kiến nghị", "Đơn vị thực hiện", "Thời hạn", "Trạng thái"]]
    for number, r in enumerate(inspection.recommendations.all(), start=1):
        recommendations.append(
            [str(number), r.action, r.responsible, day(r.due_date), r.get_status_display()]
        )
    subjects = ", ".join(s.name for s in inspection.subjects.all()) or "—"
    return OfficialDocument(
        form="Kết luận",
        number="      /KL",
        date=timezone.localdate(),
        parent_body=f"ỦY BAN NHÂN DÂN {area.upper()}",
        body=agency.name.upper(),
        place=place_name(area),
        kind=f"KẾT LUẬN {what}",
        subject=inspection.title,
        authority="",
        bases=[
            f"Căn cứ Quyết định số {inspection.decision_number} "
            f"{date_in_words(inspection.decision_date)} về việc {in_a_sentence(inspection.title)};",
            "Căn cứ kết quả làm việc của Đoàn và báo cáo của các tổ chức, cá nhân được kiểm tra,",
        ],
        decides="KẾT LUẬN NHƯ SAU:",
        articles=[
            Article(
                "1. Khái quát",
                [
                    f"Chủ đề: {inspection.get_topic_display()}.",
                    f"Đối tượng: {subjects}.",
                    f"Thời gian: từ {day(inspection.actual_start or inspection.planned_start)} "
                    f"đến {day(inspection.actual_end or inspection.planned_end)}.",
                ],
                own_line=True,
            ),
            Article(
                "2. Kết quả",
                [
                    f"{f.description} ({f.legal_basis}; trách nhiệm: {f.responsible})"
                    for f in findings
                ]
                or ["Không phát hiện vi phạm."],
                own_line=True,
            ),
            Article(
                "3. Xử lý vi phạm",
                [] if len(sanctions) > 1 else ["Không có."],
                sanctions if len(sanctions) > 1 else [],
                own_line=True,
            ),
            Article(
                "4. Kiến nghị",
                [] if len(recommendations) > 1 else ["Không có."],
                recommendations if len(recommendations) > 1 else [],
                own_line=True,
            ),
            Article("5. Kết luận", [inspection.conclusion or "—"], own_line=True),
        ],
        recipients=["Các tổ chức, cá nhân được kiểm tra;", "Lưu: VT, hồ sơ đoàn."],
        signer_position="TRƯỞNG ĐOÀN",
        signer_name=person(lead),
    )
