"""A hospital opens a child's case at night, in an emergency; the commune's officer sees it the
next morning: who opened it, why, until when (issue 16)."""

import datetime

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case


def test_a_hospital_breaks_the_glass_at_night_and_the_officer_sees_it_next_morning(
    sign_in, browser_as, world, fresh_search_counts
):
    case = Case.objects.filter(commune__code="14428").exclude(status="closed").first()
    assert case is not None, "the demo has an open case in Xã Nho Quan"
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    night = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(2, 10)))

    with time_machine.travel(night, tick=True):
        page = sign_in("hospital")
        page.goto(f"/cases/{case.pk}/")
        assert page.title() != case.code  # not yet: 404
        page.goto("/access/break-glass/")
        page.fill("#id_code", "37-0000-000000")
        page.select_option("#id_reason", "medical_emergency")
        page.fill("#id_explanation", "Trẻ nhập viện cấp cứu, cần biết tiền sử.")
        page.click("#break-glass-form button[type=submit]")
        expect(page.locator(".form-errors")).to_contain_text("Không có hồ sơ")
        page.fill("#id_code", case.code)
        page.click("#break-glass-form button[type=submit]")
        expect(page.locator("[data-banner]")).to_contain_text("Truy cập khẩn cấp")
        expect(page.locator("#child")).to_be_visible()
        expect(page.locator("#report")).to_have_count(0)  # not what a hospital needs

    with time_machine.travel(night + datetime.timedelta(hours=5, minutes=30), tick=True):
        officer = browser_as("officer_a")
        expect(officer.locator("#bell [data-unread]")).not_to_have_text("0")
        officer.goto(f"/cases/{case.pk}/#access")
        row = officer.locator("#access-list tr[data-user='hospital']")
        expect(row).to_contain_text("Truy cập khẩn cấp")
        expect(row).to_contain_text("Cấp cứu y tế")
        expect(officer.locator("[data-banner]")).to_have_count(0)
        officer.screenshot(path="/tmp/break-glass-officer.png", full_page=True)
