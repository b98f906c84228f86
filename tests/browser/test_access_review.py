"""The provincial officer reviews what the hospital's staff can see, in Chromium: the cases it
reaches by its accepted referrals, by code, a page at a time."""

import re

from playwright.sync_api import expect

from referrals import services as referral_services
from tests.referrals.helpers import refer, sexual_abuse_case


def test_the_province_pages_through_what_the_hospital_can_see(sign_in, world, monkeypatch):
    monkeypatch.setattr("access.views.REACH_PAGE", 2)
    for _ in range(3):
        referral = refer(world, sexual_abuse_case(world), "medical_care")
        referral_services.referral_accept(actor=world["hospital"], referral_id=referral.pk)
    page = sign_in("province")
    page.goto("/access/users/?q=hospital")
    page.click("table a:text-is('hospital')")
    expect(page.locator("h1")).to_contain_text("hospital")
    expect(page.locator("nav.pagination")).to_contain_text("Trang 1/2 (4 lý do được xem hồ sơ)")
    first = page.locator("#reach tbody tr td:nth-child(2)").all_inner_texts()

    page.click("nav.pagination a[rel=next]")
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.locator("nav.pagination")).to_contain_text("Trang 2/2")
    second = page.locator("#reach tbody tr td:nth-child(2)").all_inner_texts()
    codes = first + second
    assert len(codes) == 4 and codes == sorted(codes)
    expect(page.locator("#reach")).to_contain_text("Chăm sóc y tế ưu tiên")
    page.screenshot(path="/tmp/checho-access-review.png", full_page=True)
