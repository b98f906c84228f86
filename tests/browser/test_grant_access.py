"""The commune's officer lets the school's teacher read a case: from the case page to the grant
page, a refused form, then the grant; the teacher finds the case on their home page."""

import re

from playwright.sync_api import expect

from cases.models import Case


def test_the_officer_lets_the_teacher_in_and_the_teacher_finds_the_case(sign_in, browser_as, world):
    case = Case.objects.filter(commune__code="14428").exclude(status="closed").first()
    assert case is not None, "the demo has an open case in Xã Nho Quan"
    page = sign_in("officer_a")
    page.goto(f"/cases/{case.pk}/#access")
    expect(page.locator("#id_grant-user")).to_have_count(0)  # not on the case page
    page.click("#grant")

    page.click("#grant-form button[type=submit]")
    expect(page.locator(".form-errors")).to_be_visible()  # nothing chosen: said, nothing done
    school = world["school"]
    page.select_option("#id_grant-user", str(school.pk))
    page.check("input[name='grant-sections'][value='child']")
    page.fill("#id_grant-explanation", "Giáo viên chủ nhiệm theo dõi việc học.")
    page.click("#grant-form button[type=submit]")

    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/#access$"))
    expect(page.locator(f"#access-list tr[data-user='{school.username}']")).to_be_visible()
    teacher = browser_as("school")
    expect(teacher.locator("#opened-to-me")).to_contain_text(case.code)
