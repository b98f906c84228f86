"""The police take on a crime report and record their decision; the commune sees it."""

from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import Referral
from tests.referrals.helpers import refer, sexual_abuse_case


def test_the_police_accept_a_referral_and_record_a_prosecution_decision(world, sign_in, browser_as):
    case = sexual_abuse_case(world)
    referral = refer(world, case, "police_report")

    police = sign_in("police")
    police.goto("/referrals/")
    pending = police.locator("#pending")
    expect(pending).to_contain_text(case.code)
    expect(pending).not_to_contain_text("Đinh Thị Hoa")  # no name before accepting
    pending.get_by_role("link", name=case.code).click()

    police.click("#accept")
    expect(police.locator("#referral-status")).to_have_attribute("data-status", "accepted")
    # The confirmation says what happened to which referral, not "done".
    expect(police.locator(".messages")).to_contain_text(
        f"{case.code} (Tin báo, tố giác tội phạm tới cơ quan công an): Đã tiếp nhận"
    )
    expect(police.locator("#permitted-case")).to_contain_text("Đinh Thị Hoa")

    # A decision with legal weight starts unanswered: nothing is chosen for the police.
    expect(police.locator("#id_outcome-police_decision")).to_have_value("")
    expect(police.locator("#id_outcome-child_friendly_room")).to_have_value("")
    # The receipt of the crime report is prefilled with the acceptance (Art. 147 counts from it).
    police.select_option("#id_outcome-police_decision", "prosecuted")
    police.fill("#id_outcome-decision_date", f"{timezone.localdate():%d/%m/%Y}")
    police.select_option("#id_outcome-child_friendly_room", "yes")
    police.click("#complete")
    expect(police.locator("#referral-status")).to_have_attribute("data-status", "completed")
    expect(police.locator("#police-decision")).to_be_visible()
    # The decision on prosecution was asked about before it was sent (only that step asked).
    assert len(police.confirmations) == 1
    assert police.confirmations[0].startswith(f"{case.code} (Tin báo, tố giác tội phạm")
    referral.refresh_from_db()
    assert referral.outcome.police_decision == "prosecuted"

    officer = browser_as("officer_a")
    officer.goto(f"/cases/{case.pk}/")
    row = officer.locator("#referral-list tr[data-service=police_report]")
    expect(row).to_have_attribute("data-status", "completed")
    # The decision's label, in the officer's language (Vietnamese).
    from django.utils import translation

    with translation.override("vi"):
        label = str(Referral.objects.get(pk=referral.pk).outcome.get_police_decision_display())
    expect(row).to_contain_text(label)


def test_the_province_follows_its_communes_referrals_from_the_menu(world, sign_in):
    case = sexual_abuse_case(world)
    refer(world, case, "police_report")

    province = sign_in("province")
    province.goto("/")
    province.get_by_role("navigation").get_by_role("link", name="Chuyển gửi dịch vụ").click()
    outgoing = province.locator("#outgoing")
    expect(outgoing).to_contain_text("Do các xã, phường bạn giám sát chuyển gửi")
    expect(outgoing).to_contain_text(case.code)
    expect(province.locator("#pending")).to_have_count(0)
    outgoing.get_by_role("link", name=case.code).first.click()
    expect(province.locator("h1")).to_contain_text(case.code)
    province.screenshot(path="/tmp/checho-province-referrals.png", full_page=True)


def test_the_police_suspend_then_resume_a_settlement_and_see_its_month(world, sign_in):
    """Criminal Procedure Code Art. 148–149: suspended, then resumed by a decision, from which
    the police have one month; the page says when it ends."""
    from referrals import services

    case = sexual_abuse_case(world)
    referral = refer(world, case, "police_report")
    services.referral_accept(actor=world["police"], referral_id=referral.pk)
    today = f"{timezone.localdate():%d/%m/%Y}"

    police = sign_in("police")
    police.goto(f"/referrals/{referral.pk}/")
    police.locator("#suspension-form").locator("xpath=..").locator("summary").click()
    police.fill("#id_suspension-suspended_on", today)
    police.fill("#id_suspension-reason", "Chờ kết luận giám định.")
    police.locator("#suspension-form button[type=submit]").click()
    expect(police.locator("#suspended-on")).to_contain_text(today)

    police.locator("#resumption-form").locator("xpath=..").locator("summary").click()
    police.locator("#resumption-form button[type=submit]").click()  # nothing typed: refused
    expect(police.locator("#resumed-on")).to_have_count(0)
    police.fill("#id_resumption-resumed_on", today)
    police.fill("#id_resumption-reason", "Đã có kết luận giám định.")
    police.locator("#resumption-form button[type=submit]").click()
    expect(police.locator("#resumed-on")).to_contain_text(today)
    expect(police.locator("#resumed-due-at")).to_contain_text("24:00")
    # Each decision asked first: the suspension, then the resumption (the empty form was
    # stopped by the browser before it asked).
    assert len(police.confirmations) == 2
    assert all(case.code in question for question in police.confirmations)
    police.screenshot(path="/tmp/browser-police-resumed.png", full_page=True)
    referral.refresh_from_db()
    assert referral.resumed_on == timezone.localdate() and not referral.is_suspended
