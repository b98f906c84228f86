"""The commune's decisions on a case as official documents: the plan's approval (Form 05, Decree
56/2017 Art. 28, Law on Children Art. 52) and the temporary separation of the child from the
parents or carer (Form 07, Law on Children Art. 53, Decree 56/2017 Art. 32). Both are decisions
of the chair of the commune People's Committee, numbered `…/QĐ-UBND`.
"""

import datetime

from django.utils import timezone

from cases.choices import Sex
from cases.models import Case, Child, Plan, PlanDecision, SeparationDecision
from core.models import User
from documents.official import Article, OfficialDocument, decision_number, place_name

SEX = {Sex.FEMALE: "nữ", Sex.MALE: "nam"}
# Who proposes and follows the case in the commune, in the decree's words (Decree 56/2017
# Art. 26(2), 28(1), 30(1)): not a civil-service title.
OFFICER = "người làm công tác bảo vệ trẻ em cấp xã"
OFFICER_CAPITAL = OFFICER[0].upper() + OFFICER[1:]

LEGAL_BASES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương;",
    "Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016;",
    "Căn cứ Nghị định số 56/2017/NĐ-CP ngày 09 tháng 5 năm 2017 của Chính phủ quy định chi tiết "
    "một số điều của Luật Trẻ em;",
]
RECIPIENTS = ["Như Điều 3;", "Lưu: VT, hồ sơ trẻ em."]


def person(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


def child_line(child: Child, day: datetime.date) -> str:
    """ "em Đinh Thị Hoa, nữ, sinh ngày 12/03/2015, trú tại Xã Nho Quan" (an estimated age when
    the date of birth is not known)."""
    parts = [f"em {child.full_name}"]
    if child.sex in SEX:
        parts.append(SEX[Sex(child.sex)])
    if child.date_of_birth:
        parts.append(f"sinh ngày {child.date_of_birth:%d/%m/%Y}")
    elif (age := child.age_on(day)) is not None:
        parts.append(f"khoảng {age} tuổi")
    parts.append(f"trú tại {child.residence.name}")
    return ", ".join(parts)


def commune_heading(case: Case) -> dict[str, str]:
    name = case.commune.name
    return {
        "parent_body": "ỦY BAN NHÂN DÂN",
        "body": name.upper(),
        "place": place_name(name),
        "authority": f"CHỦ TỊCH ỦY BAN NHÂN DÂN {name.upper()}",
    }


def local_day(moment: datetime.datetime | None) -> datetime.date:
    return timezone.localtime(moment).date() if moment else timezone.localdate()


def measures_table(plan: Plan) -> list[list[str]]:
    """The plan's measures (Form 04), as Form 04 and the approving Form 05 both list them."""
    commune = f"UBND {plan.case.commune.name}"
    table = [["TT", "Biện pháp", "Dịch vụ", "Cơ quan thực hiện", "Thời gian (ngày)"]]
    for number, measure in enumerate(plan.measures.all(), start=1):
        agency = measure.responsible_agency
        table.append(
            [
                str(number),
                measure.description,
                measure.get_service_display() if measure.service else "Xã tự thực hiện",
                agency.name if agency else commune,
                str(measure.timeframe_days),
            ]
        )
    return table


def plan_approval(decision: PlanDecision) -> OfficialDocument:
    """Form 05: the chair approves the support and intervention plan, with its measures."""
    case, plan = decision.case, decision.plan
    day = local_day(decision.created_at)
    return OfficialDocument(
        form="Mẫu số 05",
        number=decision_number(decision.decision_number),
        date=day,
        kind="QUYẾT ĐỊNH",
        subject="Về việc phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em",
        bases=[
            *LEGAL_BASES,
            f"Xét đề nghị của {OFFICER} về kế hoạch hỗ trợ, can thiệp đối với hồ sơ {case.code}.",
        ],
        articles=[
            Article(
                "Điều 1.",
                [
                    f"Phê duyệt kế hoạch hỗ trợ, can thiệp đối với {child_line(case.child, day)} "
                    f"(hồ sơ {case.code}).",
                    f"Mục tiêu: {plan.goals}",
                    f"Nhu cầu của trẻ em: {plan.needs}",
                    "Các biện pháp hỗ trợ, can thiệp:",
                ],
                table=measures_table(plan),
            ),
            Article(
                "Điều 2.",
                [
                    f"{OFFICER_CAPITAL} chủ trì, phối hợp với các cơ quan, tổ "
                    "chức, cá nhân có liên quan tổ chức thực hiện kế hoạch; theo dõi, đánh giá "
                    "và báo cáo kết quả theo quy định tại Điều 30 Nghị định số 56/2017/NĐ-CP.",
                    *([f"Ý kiến của Chủ tịch: {decision.comments}"] if decision.comments else []),
                ],
            ),
            Article(
                "Điều 3.",
                [
                    f"Quyết định này có hiệu lực kể từ ngày ký. {OFFICER_CAPITAL}, "
                    "các cơ quan, tổ chức có tên tại Điều 1 và cha mẹ, người chăm sóc trẻ em "
                    "chịu trách nhiệm thi hành Quyết định này."
                ],
            ),
        ],
        recipients=RECIPIENTS,
        signer_position="CHỦ TỊCH",
        signer_name=person(decision.author),
        **commune_heading(case),
    )


def until(moment: datetime.datetime) -> str:
    """The end of a period as a decision writes it: "đến hết ngày 12/03/2026" for 24:00 of that
    day (which the clock holds as 00:00 of the next), else the hour and the day."""
    local = timezone.localtime(moment)
    if local.time() == datetime.time(0):
        return f"đến hết ngày {local.date() - datetime.timedelta(days=1):%d/%m/%Y}"
    return f"đến {local:%H:%M} ngày {local:%d/%m/%Y}"


def separation(decision: SeparationDecision) -> OfficialDocument:
    """Form 07: the chair decides to separate the child temporarily from the parents or carer,
    with the place of care and the period (at most 15 days in all with its extensions)."""
    case = decision.case
    day = local_day(decision.decided_at)
    period = f"{decision.period_days} ngày" if decision.period_days else "theo quyết định gia hạn"
    ends = f", {until(decision.ends_at)}" if decision.ends_at else ""
    grounds = decision.grounds or "trẻ em bị tổn hại hoặc có nguy cơ bị tổn hại nghiêm trọng."
    return OfficialDocument(
        form="Mẫu số 07",
        number=decision_number(decision.decision_number),
        date=day,
        kind="QUYẾT ĐỊNH",
        subject="Về việc tạm thời cách ly trẻ em khỏi cha, mẹ, người chăm sóc trẻ em",
        bases=[
            *LEGAL_BASES,
            f"Xét đề nghị của {OFFICER} tại hồ sơ {case.code}.",
        ],
        articles=[
            Article(
                "Điều 1.",
                [
                    f"Tạm thời cách ly {child_line(case.child, day)} khỏi cha, mẹ, người chăm "
                    f"sóc trẻ em trong thời hạn {period}{ends}.",
                    f"Lý do: {grounds}",
                    f"Nơi chăm sóc thay thế tạm thời: {decision.placement}.",
                ],
            ),
            Article(
                "Điều 2.",
                [
                    f"{OFFICER_CAPITAL} theo dõi việc chăm sóc trẻ em tại nơi "
                    "chăm sóc thay thế; đề xuất gia hạn hoặc chấm dứt việc cách ly khi cha, mẹ, "
                    "người chăm sóc bảo đảm được an toàn cho trẻ em.",
                    *([f"Ý kiến của Chủ tịch: {decision.comments}"] if decision.comments else []),
                ],
            ),
            Article(
                "Điều 3.",
                [
                    f"Quyết định này có hiệu lực kể từ ngày ký. {OFFICER_CAPITAL}, "
                    "cha, mẹ, người chăm sóc trẻ em và nơi chăm sóc thay thế chịu trách "
                    "nhiệm thi hành Quyết định này."
                ],
            ),
        ],
        recipients=RECIPIENTS,
        signer_position="CHỦ TỊCH",
        signer_name=person(decision.decided_by),
        **commune_heading(case),
    )
