"""The sysadmin sends failed notifications again from the outbox in the browser: the rows' boxes
(written by core/admin_base.py rather than Django's form templates) select one row or, from the
header, every row, and the action queues the chosen rows again."""

from playwright.sync_api import expect

from notifications.models import Notification


def test_the_sysadmin_selects_failed_notices_and_sends_them_again(world, sign_in):
    failed = [
        Notification.objects.create(
            key=f"test:failed:{number}",
            recipient=world["officer_a"],
            channel="in_app",
            event="case_closed",
            params={},
            status=Notification.Status.FAILED,
            attempts=5,
        )
        for number in range(2)
    ]
    page = sign_in("admin")
    page.goto("/admin/notifications/notification/?status__exact=failed")
    boxes = page.locator("input.action-select")
    expect(boxes).to_have_count(2)

    boxes.first.check()
    expect(page.locator(".action-counter")).to_contain_text("1")
    page.check("#action-toggle")
    expect(page.locator("input.action-select:checked")).to_have_count(2)
    page.locator("select[name=action]").select_option("retry")
    page.click("button[name=index]")

    expect(page.locator(".messagelist")).to_contain_text("2")
    statuses = Notification.objects.filter(pk__in=[row.pk for row in failed])
    assert set(statuses.values_list("status", flat=True)) == {Notification.Status.SENT}
    page.screenshot(path="/tmp/checho-admin-outbox.png", full_page=True)
