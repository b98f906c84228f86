"""The plan outcome report as the province's report document ("Báo cáo kết quả thực hiện Kế
hoạch"): each section and task of the plan with what each agency reported and the figures the
task names, suppressed as in every export (reports/plan_outcome.py builds the same report for
the page, the spreadsheet and the API)."""

from typing import Any

from django.utils import timezone

from documents.official import Article, OfficialDocument, place_name


def figure_table(figures: dict[str, Any]) -> list[list[str]]:
    rows = [[figures["title"], "Số lượng"]]
    rows += [[row["label"], row["display"]] for row in figures["rows"]]
    if figures.get("total_display"):
        rows.append(["Tổng số", figures["total_display"]])
    return rows


def plan_report(report: dict[str, Any]) -> OfficialDocument:
    province = (report.get("unit") or {}).get("name") or "Tỉnh Ninh Bình"
    articles = []
    for section in report["sections"]:
        articles.append(Article(f"{section['number']}. {section['title']}", [], own_line=True))
        for task in section["tasks"]:
            lines = [f"{task['number']}. {task['text']}"]
            lines += [f"{r['agency']}: {r['text']}" for r in task["results"]]
            if not task["results"]:
                lines.append("Chưa có cơ quan báo cáo.")
            articles.append(Article("", lines, own_line=False))
            for figures in task["figures"]:
                articles.append(Article("", [], figure_table(figures)))
    return OfficialDocument(
        form="Báo cáo",
        number="      /BC-UBND",
        date=timezone.localdate(),
        parent_body="ỦY BAN NHÂN DÂN",
        body=province.upper(),
        place=place_name(province),
        kind="BÁO CÁO",
        subject=f"Kết quả thực hiện {report['plan']['title']} năm {report['year']}",
        authority="",
        bases=[],
        decides="",
        articles=articles,
        recipients=["Bộ Y tế;", "Lưu: VT."],
        signer_position="TM. ỦY BAN NHÂN DÂN",
        signer_name="",
    )
