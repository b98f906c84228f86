"""Reports as their readers click through them: a manager sees small counts hidden and downloads
the spreadsheet; a provincial officer downloads the official submission; an agency records its
results in the plan's outcome report."""

import re

from django.core.management import call_command
from playwright.sync_api import expect


def test_a_manager_reads_suppressed_indicators_and_downloads_them(sign_in):
    page = sign_in("manager")
    page.click("a[href='/reports/']")
    expect(page.locator("h1")).to_contain_text("Chỉ tiêu")
    expect(page.locator("#table-abused_by_sex")).to_contain_text("0101")
    values = page.locator("[data-counts=children] td.value, [data-counts=cases] td.value")
    shown = [text.strip() for text in values.all_inner_texts()]
    assert shown and not {"1", "2", "3", "4"} & set(shown)
    assert page.locator("#official").count() == 0  # exact figures are not a manager's
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert re.fullmatch(r"chi-tieu-bao-ve-tre-em-\d{4}-37\.xlsx", download.value.suggested_filename)
    page.screenshot(path="/tmp/checho-reports-manager.png", full_page=True)


def test_a_provincial_officer_downloads_the_official_submission(sign_in):
    page = sign_in("province")
    page.goto("/reports/")
    with page.expect_download() as download:
        page.click("#official")
    assert download.value.suggested_filename.startswith("bao-cao-thong-ke-chinh-thuc-")


def test_the_police_record_their_results_in_the_plans_report(sign_in):
    call_command("load_plan", verbosity=0)
    page = sign_in("police")
    page.goto("/reports/plan/")
    task = page.locator("#section-9 li").nth(1)
    task.locator("summary").click()
    task.locator("textarea[name=text]").fill("Tiếp nhận và giải quyết 12 tin báo về xâm hại.")
    task.locator("button[type=submit]").click()
    expect(page.locator("#section-9")).to_contain_text("Tiếp nhận và giải quyết 12 tin báo")
    expect(page.locator("#section-9 [data-reported=yes]")).to_contain_text("đã báo cáo")
    page.screenshot(path="/tmp/checho-plan-outcome-police.png", full_page=True)
