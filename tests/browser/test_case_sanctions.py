"""The officer records an administrative sanction on a case in the browser: a fine without its
amount is refused on the form, nothing saved; with the amount it is listed on the case."""

from django.utils import timezone
from playwright.sync_api import expect

from cases.models import AdministrativeSanction
from tests.cases.factories import make_case


def test_the_officer_records_a_fine_and_is_told_what_is_missing(world, sign_in):
    case = make_case(world["officer_a"])
    page = sign_in("officer_a")
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("#no-sanctions")).to_be_visible()

    page.click("#add-sanction summary")
    form = page.locator("#sanction-form")
    form.locator("select[name=decided_by]").select_option("commune_chair")
    form.locator("input[name=decision_number]").fill("15/QĐ-XPHC")
    form.locator("input[name=decided_on]").fill(f"{timezone.localdate():%d/%m/%Y}")
    form.locator("select[name=violator]").select_option("person")
    form.locator("select[name=sanction]").select_option("fine")
    form.locator("button[type=submit]").click()
    expect(page.locator("#sanction-form")).to_contain_text("số tiền")  # the amount is missing
    assert not AdministrativeSanction.objects.exists()

    page.locator("#sanction-form input[name=fine_amount]").fill("7500000")
    page.locator("#sanction-form button[type=submit]").click()
    expect(page.locator("#sanctions [data-kind=fine]")).to_contain_text("7.500.000")
    decided_on = page.locator("#sanctions [data-kind=fine] .facts > div:nth-child(3) > dd")
    expect(decided_on).to_have_text(f"{timezone.localdate():%d/%m/%Y}")
    assert AdministrativeSanction.objects.get().fine_amount == 7_500_000
    page.screenshot(path="/tmp/checho-case-sanction.png", full_page=True)
