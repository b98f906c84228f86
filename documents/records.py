"""The officer's forms of Decree 56/2017 as official documents, filled in from the case's records:
Form 01 (the report received, Art. 25), Form 02 (the initial assessment, Art. 26), Form 03 (the
detailed assessment and the needs meeting, Art. 27), Form 04 (the support and intervention plan,
Art. 28) and Form 06 (the assessment proposing to close the case, Art. 30).

Their fields follow the forms as the product records them (cases/models.py), in the order of the
case page; the heading, title and signature blocks follow Decree 30/2020. Each part that holds a
section of the case page is written only for readers of that section: Form 01's reporter and
family, and the child's state.
"""

from django.utils import timezone

from cases import sections
from cases.models import Case, ClosureAssessment, InitialAssessment, Plan
from documents.decisions import child_line, commune_heading, local_day, measures_table, person
from documents.official import Article, OfficialDocument


def when(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M ngày %d/%m/%Y}" if moment else "—"


def officer_form(
    case: Case, *, form: str, title: str, parts: list[Article], signer: str, day
) -> OfficialDocument:
    """A form the commune's officer fills in: no number, the officer signs."""
    return OfficialDocument(
        form=form,
        number="",
        date=day,
        kind=title,
        subject=f"Hồ sơ {case.code}",
        bases=[],
        articles=parts,
        recipients=["Lưu: hồ sơ trẻ em."],
        signer_position="NGƯỜI LẬP",
        signer_name=signer,
        decides="",
        **{**commune_heading(case), "authority": ""},
    )


def section(heading: str, lines: list[str], table: list[list[str]] | None = None) -> Article:
    return Article(heading, [line for line in lines if line], table or [], own_line=True)


def report(case: Case, shown: frozenset[str]) -> OfficialDocument:
    """Form 01: the report of a child abused or at risk, as received."""
    parts = [
        section(
            "1. Tiếp nhận thông báo, tố giác",
            [
                f"Cơ quan tiếp nhận: {case.receiving_body}" if case.receiving_body else "",
                f"Số: {case.report_number}" if case.report_number else "",
                f"Thời điểm tiếp nhận: {when(case.received_at)}.",
                f"Hình thức: {case.get_channel_display()}. Nguồn: {case.get_source_display()}.",
            ],
        )
    ]
    if sections.REPORTER in shown:
        parts.append(
            section(
                "2. Người thông báo, tố giác",
                [
                    f"Họ và tên: {case.reporter_name or '—'}",
                    f"Liên hệ: {case.reporter_contact or '—'}",
                    f"Địa chỉ: {case.reporter_address or '—'}",
                ],
            )
        )
    child = case.child
    line = child_line(child, local_day(case.received_at))
    parts.append(section("3. Trẻ em", [line[0].upper() + line[1:] + "."]))
    if sections.CARERS in shown:
        carers = [
            ", ".join(
                str(value)
                for value in (
                    carer.get("name"),
                    carer.get("relation"),
                    f"{carer['age']} tuổi" if carer.get("age") not in (None, "") else "",
                    carer.get("occupation"),
                    carer.get("contact"),
                )
                if value
            )
            for carer in child.carers
        ]
        parts.append(
            section(
                "4. Cha, mẹ, người chăm sóc",
                [*carers, f"Hoàn cảnh gia đình: {child.family_circumstances}"]
                if child.family_circumstances
                else carers or ["Chưa ghi nhận."],
            )
        )
    parts.append(
        section(
            "5. Nội dung thông báo, tố giác",
            [
                case.description,
                f"Nơi xảy ra: {case.harm_location}" if case.harm_location else "",
                f"Nơi trẻ em đang ở: {case.child_location}" if case.child_location else "",
                f"Tình trạng của trẻ em: {case.child_condition}"
                if case.child_condition and sections.MEDICAL in shown
                else "",
                f"Nguy cơ nếu không can thiệp: {case.likely_harm}" if case.likely_harm else "",
                f"Việc đã làm: {case.actions_taken}" if case.actions_taken else "",
            ],
        )
    )
    return officer_form(
        case,
        form="Mẫu số 01",
        title="PHIẾU GHI NHẬN THÔNG BÁO, TỐ GIÁC VỀ TRẺ EM",
        parts=parts,
        signer=person(case.recorded_by),
        day=local_day(case.received_at),
    )


def initial_assessment(assessment: InitialAssessment) -> OfficialDocument:
    """Form 02: the initial assessment of the child's safety, within 12 hours of the report."""
    case = assessment.case
    return officer_form(
        case,
        form="Mẫu số 02",
        title="BIÊN BẢN ĐÁNH GIÁ BAN ĐẦU VỀ NGUY CƠ ĐỐI VỚI TRẺ EM",
        parts=[
            section("1. Trẻ em", [child_line(case.child, local_day(assessment.created_at)) + "."]),
            section(
                "2. Kết quả đánh giá",
                [
                    f"Thời điểm đánh giá: {when(assessment.created_at)}.",
                    f"Mức độ tổn hại: {assessment.get_harm_level_display()}.",
                    "Trẻ em đang gặp nguy hiểm tức thời."
                    if assessment.immediate_danger
                    else "Trẻ em không gặp nguy hiểm tức thời.",
                    f"Kết luận: {assessment.get_confirmed_display()}."
                    if assessment.confirmed
                    else "",
                    f"Nhận định: {assessment.findings}",
                ],
            ),
            section(
                "3. Biện pháp bảo đảm an toàn tạm thời đã thực hiện",
                [assessment.safety_measures or "—"],
            ),
        ],
        signer=person(assessment.author),
        day=local_day(assessment.created_at),
    )


def detailed_assessment(plan: Plan) -> OfficialDocument:
    """Form 03: the detailed assessment of the child's situation and needs, and the minutes of
    the needs meeting that prepared the plan."""
    case = plan.case
    return officer_form(
        case,
        form="Mẫu số 03",
        title="BÁO CÁO ĐÁNH GIÁ CHI TIẾT NHU CẦU CỦA TRẺ EM",
        parts=[
            section("1. Trẻ em", [child_line(case.child, local_day(plan.created_at)) + "."]),
            section("2. Đánh giá chi tiết", [plan.assessment_summary]),
            section("3. Nhu cầu của trẻ em", [plan.needs]),
            section(
                "4. Cuộc họp xác định nhu cầu",
                [
                    f"Thời gian: {when(plan.meeting_held_at)}.",
                    f"Thành phần: {plan.meeting_participants}",
                    f"Nội dung: {plan.meeting_minutes}",
                ],
            ),
        ],
        signer=person(plan.author),
        day=local_day(plan.created_at),
    )


def plan_document(plan: Plan) -> OfficialDocument:
    """Form 04: the support and intervention plan, with its measures."""
    case = plan.case
    return officer_form(
        case,
        form="Mẫu số 04",
        title="KẾ HOẠCH HỖ TRỢ, CAN THIỆP ĐỐI VỚI TRẺ EM",
        parts=[
            section("1. Trẻ em", [child_line(case.child, local_day(plan.created_at)) + "."]),
            section("2. Mục tiêu", [plan.goals]),
            section("3. Các biện pháp hỗ trợ, can thiệp", [], measures_table(plan)),
        ],
        signer=person(plan.author),
        day=local_day(plan.created_at),
    )


def closure_assessment(closure: ClosureAssessment) -> OfficialDocument:
    """Form 06: the assessment on which the officer proposes to close the case."""
    case = closure.case
    return officer_form(
        case,
        form="Mẫu số 06",
        title="BÁO CÁO ĐÁNH GIÁ ĐỀ NGHỊ ĐÓNG HỒ SƠ TRẺ EM",
        parts=[
            section("1. Trẻ em", [child_line(case.child, local_day(closure.created_at)) + "."]),
            section(
                "2. Đánh giá",
                [
                    f"Mức độ tổn hại còn lại: {closure.get_remaining_harm_display()}.",
                    f"Khả năng người gây hại tiếp cận trẻ em: "
                    f"{closure.get_perpetrator_access_display()}.",
                    f"Trở ngại trong môi trường chăm sóc: {closure.get_care_obstacles_display()}.",
                    f"Khả năng phục hồi của trẻ em: {closure.get_resilience_display()}.",
                ],
            ),
            section(
                "3. Đề nghị",
                [
                    f"Lý do đóng hồ sơ: {closure.get_reason_display()}.",
                    closure.notes,
                    f"Quyết định của Chủ tịch: {closure.get_outcome_display()}"
                    + (f", số {closure.decision_number}" if closure.decision_number else "")
                    + ".",
                ],
            ),
        ],
        signer=person(closure.author),
        day=local_day(closure.created_at),
    )
