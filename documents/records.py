"""The officer's forms of Decree 56/2017 as official documents, filled in from the case's records:
Form 01 (the report received, Art. 25), Form 02 (the initial assessment, Art. 26), Form 03 (the
detailed assessment and the needs meeting, Art. 27), Form 04 (the support and intervention plan,
Art. 28) and Form 06 (the assessment proposing to close the case, Art. 30).

Forms 01 and 06 follow the titles, parts and field order of the decree's appendix as published
(docs/documents.md says where from); Forms 02, 03 and 04, whose printed layout could not be read,
follow the fields the product records (cases/models.py) in the order of the case page. The heading
and signature blocks follow Decree 30/2020. A form is for readers of its section and of the
child's (documents/catalogue.py); each part that holds another section of the case page is
written only for readers of that section: Form 01's informant, family, the child's state and
the group named in its title (the concern).
"""

import datetime

from django.utils import timezone

from cases import sections
from cases.choices import Level, Sex, Situation
from cases.models import Case, Child, ClosureAssessment, InitialAssessment, Plan
from documents.decisions import (
    SEX,
    child_line,
    commune_heading,
    local_day,
    measures_table,
    person,
)
from documents.official import Article, OfficialDocument, date_in_words, decision_number


def when(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M ngày %d/%m/%Y}" if moment else "—"


def officer_form(
    case: Case,
    *,
    form: str,
    title: str,
    parts: list[Article],
    signer: str,
    day,
    subject: str = "",
    number: str = "",
    signer_position: str = "NGƯỜI LẬP",
) -> OfficialDocument:
    """A form the commune's officer fills in and signs; numbered only where the decree's form
    has a number (Form 01's report)."""
    return OfficialDocument(
        form=form,
        number=number,
        date=day,
        kind=title,
        subject=subject or f"Hồ sơ {case.code}",
        bases=[],
        articles=parts,
        recipients=["Lưu: hồ sơ trẻ em."],
        signer_position=signer_position,
        signer_name=signer,
        decides="",
        **{**commune_heading(case), "authority": ""},
    )


def section(heading: str, lines: list[str], table: list[list[str]] | None = None) -> Article:
    """A part of a form: its heading on a line of its own (none for the lines under the title)."""
    return Article(heading, [line for line in lines if line], table or [], own_line=bool(heading))


# Form 01's note (4): the title names the group the child belongs to (the case's situation).
REPORTED_GROUP = {
    Situation.ABUSED: "BỊ XÂM HẠI",
    Situation.AT_RISK: "CÓ NGUY CƠ BỊ BẠO LỰC, BÓC LỘT, BỎ RƠI",
}


def report(case: Case, shown: frozenset[str]) -> OfficialDocument:
    """Form 01, "Báo cáo tiếp nhận thông tin trẻ em": the report as received, in the form's
    order — A. the source, the child (with the family), the informant; then what the product
    records beyond the form ("Ghi thêm": what was reported). Each part that holds a section of
    the case page is written only for readers of that section."""
    child = case.child
    # Whether the child was abused or is at risk is the concern's: named for its readers only.
    group = REPORTED_GROUP[Situation(case.situation)] if sections.CONCERN in shown else ""
    on_day = local_day(case.received_at)
    received = timezone.localtime(case.received_at)
    source = [
        f"Thông qua (điện thoại/gặp trực tiếp/người khác báo): {case.get_channel_display()}"
        f" ({case.get_source_display().lower()}).",
        f"Thời gian: {received:%H:%M} {date_in_words(received.date())}.",
    ]
    first_received = ", ".join(
        filter(None, [case.receiving_body, case.report_number and f"số {case.report_number}"])
    )
    if first_received:
        source.append(f"Cơ quan tiếp nhận ban đầu: {first_received}.")
    about_child = [
        f"Họ và tên trẻ em: {child.full_name}.",
        birth_line(child, on_day),
        f"Giới tính: {(SEX[Sex(child.sex)] if child.sex in SEX else 'không biết').capitalize()}.",
        f"Địa điểm xảy ra vụ việc: {case.harm_location}."
        if case.harm_location
        else "Địa điểm xảy ra vụ việc: —",
        f"Nơi trẻ em đang ở: {case.child_location}." if case.child_location else "",
    ]
    if sections.MEDICAL in shown:
        about_child.append(f"Tình trạng hiện tại của trẻ em: {case.child_condition or '—'}")
    about_child.append(
        "Phỏng đoán hậu quả có thể sẽ xảy ra cho trẻ em nếu không có được hỗ trợ, can thiệp: "
        + (case.likely_harm or "—")
    )
    if sections.CARERS in shown:
        about_child += [carer_line(carer) for carer in child.carers]
        about_child.append(f"Hoàn cảnh gia đình: {child.family_circumstances or '—'}")
    about_child.append(
        "Những hành động hỗ trợ, can thiệp đã thực hiện đối với trẻ em trước khi nhận thông tin: "
        + (case.actions_taken or "—")
    )
    parts = [
        section("A. Thông tin chung", []),
        section("1. Nguồn nhận thông tin", source),
        section("2. Thông tin về trẻ em", about_child),
    ]
    if sections.REPORTER in shown:
        parts.append(
            section(
                "3. Thông tin người cung cấp thông tin (nếu đồng ý cung cấp)",
                [
                    f"Họ và tên: {case.reporter_name or '—'}",
                    f"Số điện thoại: {case.reporter_contact or '—'}",
                    f"Địa chỉ: {case.reporter_address or '—'}",
                ],
            )
        )
    parts.append(section("Ghi thêm", [case.description]))
    return officer_form(
        case,
        form="Mẫu số 01",
        title="BÁO CÁO",
        subject=f"TIẾP NHẬN THÔNG TIN TRẺ EM {group}".strip(),
        number=decision_number("", symbol="BC-UBND"),  # numbered by hand, as a report
        parts=parts,
        signer=person(case.recorded_by),
        signer_position="CÁN BỘ TIẾP NHẬN THÔNG TIN",
        day=on_day,
    )


def birth_line(child: Child, day: datetime.date) -> str:
    """The date of birth, or the age estimated at intake, as the form asks ("… hoặc ước lượng
    tuổi")."""
    if child.date_of_birth:
        return f"Ngày tháng năm sinh: {child.date_of_birth:%d/%m/%Y}."
    age = child.age_on(day)
    return f"Ước lượng tuổi: {age} tuổi." if age is not None else "Ngày tháng năm sinh: chưa biết."


def carer_line(carer: dict) -> str:
    """ "Họ và tên mẹ: Nguyễn Thị Hoa, 35 tuổi, nghề nghiệp: làm ruộng, liên hệ: 09…" (the form
    asks for the father's and the mother's; the product records each carer with the relation)."""
    relation = (carer.get("relation") or "người chăm sóc").strip().lower()
    details = [
        f"{carer['age']} tuổi" if carer.get("age") not in (None, "") else "",
        f"nghề nghiệp: {carer['occupation']}" if carer.get("occupation") else "",
        f"liên hệ: {carer['contact']}" if carer.get("contact") else "",
    ]
    return ", ".join([f"Họ và tên {relation}: {carer.get('name', '')}", *filter(None, details)])


def initial_assessment(assessment: InitialAssessment) -> OfficialDocument:
    """Form 02: the initial assessment of the child's safety, within 12 hours of the report."""
    case = assessment.case
    return officer_form(
        case,
        form="Mẫu số 02",
        title="ĐÁNH GIÁ NGUY CƠ BAN ĐẦU, MỨC ĐỘ TỔN HẠI CỦA TRẺ EM",  # Art. 26.2
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
        title="BÁO CÁO THU THẬP THÔNG TIN, ĐÁNH GIÁ NGUY CƠ CỤ THỂ",  # Art. 27.1, 28.2(b)
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


# Form 06's table a): the harm that remains, rated Cao / Trung bình / Thấp, with their total.
HARM_CRITERIA = (
    ("1. Mức độ tổn hại của trẻ em có còn nghiêm trọng không", "remaining_harm"),
    ("2. Khả năng tiếp cận trẻ em của đối tượng xâm hại", "perpetrator_access"),
    (
        "3. Những trở ngại trong môi trường chăm sóc trẻ em đối với việc bảo đảm an toàn cho "
        "trẻ em",
        "care_obstacles",
    ),
)
LEVEL_WORDS = {Level.HIGH: "Cao", Level.MEDIUM: "Trung bình", Level.LOW: "Thấp"}
LEVEL_HEADER = "Mức độ (Cao, Trung bình, Thấp)"


def closure_assessment(closure: ClosureAssessment) -> OfficialDocument:
    """Form 06, "Rà soát, đánh giá tình trạng của trẻ em sau khi thực hiện kế hoạch hỗ trợ, can
    thiệp" (Decree 56 Art. 30), in the form's order: the child, the officer, the day; 1. the
    risk at the end, a) the harm (three criteria and their total), b) the child's capacity to
    protect themself and recover; then the officer's proposal to close and the chair's answer,
    which the product records with it."""
    case = closure.case
    harm = [
        (criterion, LEVEL_WORDS[Level(getattr(closure, field))])
        for criterion, field in HARM_CRITERIA
    ]
    total = ", ".join(
        f"{word}: {sum(level == word for _, level in harm)}" for word in LEVEL_WORDS.values()
    )
    decision = f"Quyết định của Chủ tịch: {closure.get_outcome_display()}" + (
        f", số {closure.decision_number}" if closure.decision_number else ""
    )
    return officer_form(
        case,
        form="Mẫu số 06",
        title="RÀ SOÁT, ĐÁNH GIÁ TÌNH TRẠNG CỦA TRẺ EM",
        subject="SAU KHI THỰC HIỆN KẾ HOẠCH HỖ TRỢ, CAN THIỆP",
        parts=[
            section(
                "",
                [
                    f"Họ và tên trẻ em: {case.child.full_name}.",
                    f"Họ và tên cán bộ thực hiện: {person(closure.author)}.",
                    f"Ngày, tháng, năm thực hiện: {local_day(closure.created_at):%d/%m/%Y}.",
                ],
            ),
            section("1. Đánh giá nguy cơ tại giai đoạn kết thúc", []),
            section(
                "a) Đánh giá mức độ tổn hại của trẻ em",
                [],
                [
                    ["Đánh giá mức độ tổn hại của trẻ em", LEVEL_HEADER],
                    *[[criterion, level] for criterion, level in harm],
                    ["Tổng số", total],
                ],
            ),
            section(
                "b) Đánh giá khả năng tự bảo vệ, phục hồi của trẻ em",
                [],
                [
                    ["Đánh giá khả năng tự bảo vệ, phục hồi của trẻ em", LEVEL_HEADER],
                    [
                        "Khả năng tự bảo vệ, phục hồi của trẻ em",
                        LEVEL_WORDS[Level(closure.resilience)],
                    ],
                ],
            ),
            section(
                "2. Đề nghị",
                [
                    f"Đề nghị đóng hồ sơ. Lý do: {closure.get_reason_display()}.",
                    closure.notes,
                    decision + ".",
                ],
            ),
        ],
        signer=person(closure.author),
        signer_position="CÁN BỘ THỰC HIỆN",
        day=local_day(closure.created_at),
    )
