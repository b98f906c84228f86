"""The case summary ("Tóm tắt hồ sơ") for handing a case to an agency or a court: the child, the
report, the assessments, the plan, the referrals and their outcomes, the timeline — each part
only if the reader may read that section of the case page (cases/sections.py), and the referrals
as the reader sees them (an agency: its own, with outcomes once it has accepted)."""

from django.utils import timezone

from cases import sections
from cases.labels import event_label
from cases.models import Case
from cases.selectors import case_events
from core.models import User
from documents.decisions import child_line, commune_heading, person
from documents.official import Article, OfficialDocument
from referrals.selectors import referral_list


def when(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}" if moment else "—"


def child_part(case: Case) -> Article:
    child = case.child
    line = child_line(child, timezone.localdate())
    lines = [line[0].upper() + line[1:] + "."]
    if child.get_ethnicity_display():
        lines.append(f"Dân tộc: {child.get_ethnicity_display()}.")
    if child.school:
        lines.append(f"Trường học: {child.school}.")
    return Article("I. Trẻ em", lines, own_line=True)


def report_part(case: Case, shown: frozenset[str]) -> Article:
    lines = [
        f"Tiếp nhận lúc {when(case.received_at)}, qua {case.get_channel_display().lower()}.",
        f"Nội dung thông báo: {case.description}",
    ]
    if sections.CONCERN in shown:
        lines.append(f"Tình trạng: {case.get_situation_display()}.")
    if sections.MEDICAL in shown and case.child_condition:
        lines.append(f"Tình trạng hiện tại của trẻ: {case.child_condition}")
    return Article("II. Thông báo, tố giác (Mẫu số 01)", lines, own_line=True)


def assessments_part(case: Case) -> Article:
    lines = []
    for a in case.initialassessments.all():
        lines.append(
            f"Đánh giá ban đầu ({when(a.created_at)}): mức độ tổn hại "
            f"{a.get_harm_level_display().lower()}; {a.findings}"
        )
    for e in case.emergencydeclarations.all():
        lines.append(f"Tình huống khẩn cấp ({when(e.created_at)}): {e.danger}")
    for s in case.separationdecisions.all():
        lines.append(f"Tạm thời cách ly: {s.get_outcome_display()}; {s.placement or '—'}.")
    return Article("III. Đánh giá, can thiệp khẩn cấp", lines or ["Chưa có."], own_line=True)


def plan_part(case: Case) -> Article:
    plan = case.plans.order_by("-id").first()
    if plan is None:
        return Article("IV. Kế hoạch hỗ trợ, can thiệp", ["Chưa có."], own_line=True)
    table = [["TT", "Biện pháp", "Dịch vụ", "Thời gian (ngày)"]]
    for number, m in enumerate(plan.measures.all(), start=1):
        service = m.get_service_display() if m.service else "Xã tự thực hiện"
        table.append([str(number), m.description, service, str(m.timeframe_days)])
    lines = [f"Kế hoạch ({plan.get_outcome_display().lower()}): {plan.goals}"]
    return Article("IV. Kế hoạch hỗ trợ, can thiệp (Mẫu số 03, 04)", lines, table, own_line=True)


def referrals_part(user: User, case: Case) -> Article:
    table = [["Dịch vụ", "Cơ quan", "Trạng thái", "Kết quả"]]
    for r in referral_list(user, case_id=case.pk).order_by("sent_at", "id"):
        outcome = getattr(r, "outcome", None) if r.details_shown else None
        result = ""
        if outcome is not None:
            result = (
                outcome.get_police_decision_display()
                if outcome.police_decision
                else (outcome.summary or outcome.services_given or outcome.report_reference)
            )
        table.append(
            [
                r.get_service_display(),
                r.agency.name if r.agency else "—",
                r.get_status_display(),
                result or "—",
            ]
        )
    if len(table) == 1:
        return Article("V. Chuyển gửi dịch vụ", ["Chưa có."], own_line=True)
    return Article("V. Chuyển gửi dịch vụ và kết quả", [], table, own_line=True)


def timeline_part(case: Case) -> Article:
    lines = [
        f"{when(e.at)}: {event_label(e.action)} ({person(e.actor)})" for e in case_events(case)
    ]
    return Article("VI. Diễn biến hồ sơ", lines or ["Chưa có."], own_line=True)


def case_summary(case: Case, reader: User, shown: frozenset[str]) -> OfficialDocument:
    parts = []
    if sections.CHILD in shown:
        parts.append(child_part(case))
    if sections.REPORT in shown:
        parts.append(report_part(case, shown))
    if sections.ASSESSMENTS in shown:
        parts.append(assessments_part(case))
    if sections.PLAN in shown:
        parts.append(plan_part(case))
    parts.append(referrals_part(reader, case))
    if sections.HISTORY in shown:
        parts.append(timeline_part(case))
    return OfficialDocument(
        form="Tóm tắt hồ sơ",
        number="",
        date=timezone.localdate(),
        kind="TÓM TẮT HỒ SƠ TRẺ EM",
        subject=f"Hồ sơ {case.code}",
        bases=[],
        articles=parts,
        recipients=["Cơ quan, tổ chức được chuyển gửi;", "Lưu: hồ sơ trẻ em."],
        signer_position="NGƯỜI LẬP",
        signer_name=person(reader),
        decides="",
        **{**commune_heading(case), "authority": ""},
    )
