"""A long list walked by its Next and Previous buttons, in Chromium: each press reads the page
after (or before) the rows on screen by their cursor, with the filters kept."""

import re

from playwright.sync_api import expect

from cases.models import Case


def shown_codes(page) -> list[str]:
    return page.locator("tbody [data-case]").evaluate_all(
        "rows => rows.map(row => row.dataset.case)"
    )


def test_the_officer_walks_the_case_list_forward_and_back(sign_in, world, monkeypatch):
    monkeypatch.setattr("cases.views.PAGE_SIZE", 2)
    officers = Case.objects.filter(
        unit_path__startswith=world["officer_a"].memberships.get().unit.path
    )
    newest_first = list(officers.order_by("-received_at", "-id").values_list("code", flat=True))
    assert len(newest_first) > 4, "the demo gives the officer's commune a few cases"
    page = sign_in("officer_a")
    page.goto("/cases/")
    expect(page.locator("nav.pagination")).to_contain_text("Trang 1/")
    assert shown_codes(page) == newest_first[:2]

    page.click("nav.pagination a[rel=next]")
    expect(page).to_have_url(re.compile(r"\?cursor="))
    expect(page.locator("nav.pagination")).to_contain_text("Trang 2/")
    assert shown_codes(page) == newest_first[2:4]

    page.click("nav.pagination a[rel=next]")
    assert shown_codes(page) == newest_first[4:6]
    page.click("nav.pagination a[rel=prev]")
    assert shown_codes(page) == newest_first[2:4]
    page.click("nav.pagination a[rel=prev]")
    expect(page.locator("nav.pagination")).to_contain_text("Trang 1/")
    assert shown_codes(page) == newest_first[:2]
    page.screenshot(path="/tmp/checho-case-list-pages.png", full_page=True)


def test_the_province_opens_a_communes_overdue_cases_from_its_home(sign_in, world):
    page = sign_in("province")
    page.goto("/")
    first = page.locator("#queue-overdue-by-commune li").first
    count = re.search(r"(\d+) hồ sơ quá hạn", first.inner_text())
    assert count is not None, first.inner_text()
    counted = int(count.group(1))
    assert 0 < counted <= 25, "the demo leaves a few of each commune's cases overdue"

    first.locator("a").click()
    expect(page).to_have_url(re.compile(r"commune=14428"))
    expect(page.locator("#id_commune")).to_have_value("14428")
    communes = page.locator("tbody [data-case] td:nth-child(3)")
    assert communes.all_inner_texts() == ["Xã Nho Quan"] * counted

    # The same filter, by hand: the other commune.
    page.select_option("#id_commune", "14329")
    page.click("#case-filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"commune=14329"))
    assert set(communes.all_inner_texts()) == {"Phường Hoa Lư"}
