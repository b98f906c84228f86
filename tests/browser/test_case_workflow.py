"""A report from intake to an approved plan, in the browser, as the commune's officer and chair."""

import re

from playwright.sync_api import expect

from cases.models import Case


def test_a_report_goes_from_intake_to_an_approved_plan(sign_in, browser_as):
    page = sign_in("officer_a")

    # Intake (Form 01); the officer's single commune is fixed.
    page.goto("/cases/new/")
    page.select_option("#id_channel", "phone")
    page.select_option("#id_source", "neighbour")
    page.fill("#id_reporter_name", "Bà Hoa")
    page.fill("#id_description", "Hàng xóm nghe tiếng trẻ khóc, thấy vết bầm trên tay.")
    page.select_option("#id_situation", "abused")
    page.check("input[name=abuse_forms][value=physical_violence]")
    page.select_option("#id_setting", "family")
    page.fill("#id_full_name", "Lò Thị Xuân")
    page.select_option("#id_sex", "female")
    page.fill("#id_estimated_age", "10")
    page.select_option("#id_ethnicity", "03")
    page.click("#record-case")

    expect(page.locator("#case-head")).to_have_attribute("data-status", "received")
    case = Case.objects.get(child__full_name="Lò Thị Xuân")
    expect(page.locator("h1")).to_contain_text(case.code)
    expect(page.locator("#reporter")).to_contain_text("Bà Hoa")
    case_url = f"/cases/{case.pk}/"

    # Initial assessment (Form 02).
    page.click("[data-transition=assess_initial]")
    page.select_option("#id_harm_level", "medium")
    page.select_option("#id_confirmed", "abuse")
    page.fill("#id_safety_measures", "Trẻ ở với bà ngoại trong lúc xác minh.")
    page.fill("#id_findings", "Có vết bầm, trẻ không ở trong nguy hiểm tức thời.")
    page.click("#run-transition")
    expect(page.locator("#case-head")).to_have_attribute("data-status", "assessment")

    # The plan (Forms 03 and 04) with one measure.
    page.click("[data-transition=submit_plan]")
    page.fill("#id_assessment_summary", "Trẻ bị bạo lực thể chất trong gia đình.")
    page.fill("#id_needs", "Hỗ trợ tâm lý.")
    page.fill("#id_meeting_participants", "Cán bộ xã, cha mẹ, giáo viên.")
    page.fill("#id_meeting_minutes", "Thống nhất kế hoạch.")
    page.fill("#id_goals", "Trẻ an toàn tại gia đình.")
    page.select_option("#id_measures-0-service", "psychosocial")
    page.fill("#id_measures-0-description", "Tư vấn tâm lý hằng tuần.")
    page.fill("#id_measures-0-timeframe_days", "30")
    page.click("#run-transition")
    expect(page.locator("#case-head")).to_have_attribute("data-status", "plan_review")

    # The chair approves it from the queue.
    chair = browser_as("chair_a")
    chair.goto("/cases/queue/")
    chair.click(f"#plans-waiting [data-case='{case.code}'] a")
    chair.click("[data-transition=approve_plan]")
    chair.fill("#id_decision_number", "15/QĐ-UBND")
    chair.click("#run-transition")
    expect(chair.locator("#case-head")).to_have_attribute("data-status", "intervention")
    expect(chair.locator("#plans [data-outcome=approved]")).to_be_visible()

    page.goto(case_url)
    expect(page.locator("#case-head")).to_have_attribute("data-status", "intervention")

    # Another commune's officer cannot open it.
    other = browser_as("officer_b")
    response = other.goto(case_url)
    assert response.status == 404


def test_the_case_list_fits_a_phone(sign_in, page):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("officer_a")
    page.goto("/cases/")

    expect(page.locator("#case-table")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375


def test_on_a_phone_the_top_bar_takes_two_rows_and_its_menu_scrolls(sign_in, page):
    """Found in a user's walk: on a phone the menu and the tools took four rows of the screen."""
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in("police")  # the longest name and menu of the demo's agencies
    page.goto("/referrals/")

    bar = page.locator("header.topbar")
    row = page.locator(".brand").bounding_box()["height"]
    assert bar.bounding_box()["height"] < 4 * row  # two rows and their padding, not four
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Every item of the menu is on its one line, reached by scrolling it sideways.
    nav = page.locator("header .nav")
    tops = {
        round(box["y"])
        for box in nav.locator("a").evaluate_all(
            "links => links.map(a => a.getBoundingClientRect().toJSON())"
        )
    }
    assert len(tops) == 1
    assert nav.evaluate("n => n.scrollWidth > n.clientWidth")
    last = nav.locator("a").last
    href = last.get_attribute("href")
    last.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
