"""An inspector plans an inspection, runs it, records a fine and concludes it in the browser."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from inspections.models import Finding, InspectedSubject, Inspection
from tests.inspections.factories import plan_inspection

TITLE = "Kiểm tra chuyên đề an toàn trẻ em tại cơ sở lưu trú"


def test_an_inspector_plans_runs_and_concludes_an_inspection(world, sign_in):
    today = timezone.localdate()
    subject = InspectedSubject.objects.get(name="Homestay Tràng An Xanh")

    page = sign_in("inspector")
    page.goto("/inspections/")
    page.click("#plan-inspection")
    page.select_option("#id_kind", "thematic")
    page.select_option("#id_topic", "tourism_related_abuse")
    page.fill("#id_title", TITLE)
    page.fill("#id_decision_number", "15/QĐ-SYT")
    # Dates are typed day first, dd/mm/yyyy, whatever the browser's locale.
    decided, end = today - datetime.timedelta(days=2), today + datetime.timedelta(days=3)
    expect(page.locator("#id_decision_date")).to_have_attribute("type", "text")
    page.fill("#id_decision_date", f"{decided:%d/%m/%Y}")
    page.fill("#id_planned_start", f"{today:%d/%m/%Y}")
    page.fill("#id_planned_end", f"{end:%d/%m/%Y}")
    page.check(f"#id_subjects input[value='{subject.pk}']")
    page.click("#plan-submit")

    status = page.locator("#inspection-status")
    expect(status).to_have_attribute("data-status", "planned")
    inspection = Inspection.objects.get(title=TITLE)
    assert (inspection.decision_date, inspection.planned_start, inspection.planned_end) == (
        decided,
        today,
        end,
    )
    # …and shown the same way.
    expect(page.locator("#facts")).to_contain_text(f"15/QĐ-SYT · {decided:%d/%m/%Y}")
    expect(page.locator("#facts")).to_contain_text(f"{today:%d/%m/%Y} – {end:%d/%m/%Y}")
    expect(page.locator(f"#subjects [data-subject='{subject.pk}']")).to_be_visible()

    page.click("button[data-transition=start]")
    expect(status).to_have_attribute("data-status", "in_progress")

    page.click("#add-finding summary")
    page.fill("#id_finding-description", "Cơ sở không kiểm tra giấy tờ khi trẻ em nhận phòng.")
    page.fill("#id_finding-legal_basis", "Nghị định 130/2021/NĐ-CP, Điều 22")
    page.fill("#id_finding-responsible", "Chủ cơ sở lưu trú")
    page.select_option("#id_finding-subject", str(subject.pk))
    page.select_option("#id_finding-sanction", "fine")
    page.fill("#id_finding-fine_amount", "12500000")
    page.check("#id_finding-head_held_accountable")
    page.click("#record-finding")
    expect(page.locator("#findings [data-sanction=fine] .fine")).to_have_attribute(
        "data-fine", "12500000"
    )
    expect(page.locator("#findings .fine")).to_contain_text("12.500.000")

    page.click("button[data-transition=begin_reporting]")
    expect(status).to_have_attribute("data-status", "reporting")

    page.fill("#id_conclude-conclusion", "Cơ sở vi phạm quy định về phòng, chống xâm hại trẻ em.")
    page.click("button[data-transition=conclude]")
    expect(status).to_have_attribute("data-status", "concluded")
    expect(page.locator("#timeline li[data-action=conclude]")).to_be_visible()

    inspection.refresh_from_db()
    assert inspection.status == "concluded"
    finding = Finding.objects.get(inspection=inspection)
    assert (finding.fine_amount, finding.subject, finding.head_held_accountable) == (
        12_500_000,
        subject,
        True,
    )


def test_the_head_of_the_team_names_subjects_after_the_plan(world, sign_in):
    inspection = plan_inspection(world)
    homestay = InspectedSubject.objects.get(name="Homestay Tràng An Xanh")
    page = sign_in("inspector")
    page.goto(f"/inspections/{inspection.pk}/")
    expect(page.locator("#subjects")).to_contain_text("Chưa nêu đối tượng được kiểm tra.")

    page.click("#name-subject summary")
    page.select_option("#id_subject-subject", str(homestay.pk))
    page.click("#name-subject-submit")
    expect(page.locator(f"#subjects [data-subject='{homestay.pk}']")).to_be_visible()

    # A new organisation: nothing typed is refused, the form stays open with its errors.
    page.click("#name-subject summary")
    page.click("#new-subject-submit")
    expect(page.locator("#new-subject-form .errorlist").first).to_be_visible()
    page.select_option("#id_new-subject-kind", "school")
    page.select_option("#id_new-subject-unit", label="Xã Nho Quan")
    page.fill("#id_new-subject-name", "Trường Trung học cơ sở Nho Quan")
    page.click("#new-subject-submit")
    expect(page.locator("#subjects")).to_contain_text("Trường Trung học cơ sở Nho Quan")
    expect(page.locator("#timeline li[data-action=subject]")).to_have_count(2)
    assert sorted(inspection.subjects.values_list("name", flat=True)) == [
        "Homestay Tràng An Xanh",
        "Trường Trung học cơ sở Nho Quan",
    ]
