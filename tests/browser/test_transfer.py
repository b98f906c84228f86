"""The officer offers a case to the commune the child moved to, in Chromium: from the case page
to the transfer page, a refused form, then the offer; the other commune's officer sees it."""

import re

from playwright.sync_api import expect

from cases.models import Case
from core.models import Unit


def test_the_officer_offers_a_case_to_another_commune(sign_in, browser_as, world):
    case = Case.objects.filter(commune__code="14428").exclude(status="closed").first()
    assert case is not None, "the demo has an open case in Xã Nho Quan"
    page = sign_in("officer_a")
    page.goto(f"/cases/{case.pk}/")
    page.click("#transfer a")
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/transfer/$"))

    page.click("#offer-transfer")
    expect(page.locator(".form-errors")).to_be_visible()  # nothing chosen: said, nothing done
    gia_vien = Unit.objects.get(structure="2025", code="14329")
    page.select_option("#id_to_commune", str(gia_vien.pk))
    page.fill("#id_reason", "Gia đình chuyển đến xã Gia Viễn.")
    page.click("#offer-transfer")

    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator("body")).to_contain_text("Đã gửi đề nghị chuyển hồ sơ.")
    expect(page.locator("#transfer")).to_have_count(0)  # offered: no second offer
    other = browser_as("officer_b")
    other.goto("/cases/")
    expect(other.locator("body")).to_contain_text(case.code)
    page.screenshot(path="/tmp/checho-transfer.png", full_page=True)
