"""Case work that guides and never loses work (issue 14), in Chromium, in Vietnamese."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.models import Case, CaseNote
from core.models import Unit
from referrals.models import Referral
from tests.referrals.helpers import agency


def new_case(users, *, abuse_forms=("sexual_abuse",), hours_ago=2, name="Đinh Thị Hoa") -> Case:
    return services.case_create(
        actor=users["officer_a"],
        commune=Unit.objects.get(structure="2025", code="14428"),
        received_at=timezone.now() - datetime.timedelta(hours=hours_ago),
        channel="hotline_111",
        source="school",
        description="Cô giáo phát hiện trẻ có dấu hiệu bị xâm hại.",
        situation="abused",
        abuse_forms=list(abuse_forms),
        setting="family",
        child=services.ChildData(full_name=name, sex="female", estimated_age=11),
    )


def test_a_refused_form_keeps_what_was_typed_and_shows_the_error(sign_in, world):
    case = new_case(world)
    page = sign_in("officer_a")
    page.goto(f"/cases/{case.pk}/transitions/declare_emergency/")
    page.fill("#id_danger", "Người gây hại sống cùng nhà.")
    page.fill("#id_measures_taken", "Đưa trẻ sang nhà hàng xóm.")
    page.check("#id_separation_proposed")
    page.select_option("#id_harm_level", "high")
    page.click("#run-transition")

    # Refused (no place of care): the same form, as typed, the error beside its field, in view.
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.locator("#id_danger")).to_have_value("Người gây hại sống cùng nhà.")
    expect(page.locator("#id_separation_proposed")).to_be_checked()
    error = page.locator("#id_placement_error, #id_placement + .errorlist, .errorlist").first
    expect(error).to_be_in_viewport()
    # The cursor is in the field to correct, not left on the banner over the form.
    expect(page.locator("#id_placement")).to_be_focused()
    case.refresh_from_db()
    assert case.status == "received"


def test_immediate_danger_in_the_assessment_carries_into_the_emergency(sign_in, world):
    case = new_case(world)
    page = sign_in("officer_a")
    page.goto(f"/cases/{case.pk}/")
    page.click("[data-transition=assess_initial]")
    page.select_option("#id_harm_level", "high")
    page.check("#id_immediate_danger")
    page.select_option("#id_confirmed", "abuse")
    page.fill("#id_safety_measures", "Trẻ ở tạm nhà bà nội.")
    page.fill("#id_findings", "Trẻ có nhiều vết bầm mới.")
    page.click("#run-transition")

    expect(page).to_have_url(re.compile(r"/transitions/declare_emergency/$"))
    # Said as a warning, not in the green of a step done.
    warning = page.locator(".messages li.warning[role=alert]")
    expect(warning).to_contain_text("Trẻ đang gặp nguy hiểm tức thời")
    success_green = "rgb(230, 244, 234)"  # .messages li in core/static/core/app.css
    assert warning.evaluate("li => getComputedStyle(li).backgroundColor") != success_green
    expect(page.locator("#id_findings")).to_have_value("Trẻ có nhiều vết bầm mới.")
    expect(page.locator("#id_measures_taken")).to_have_value("Trẻ ở tạm nhà bà nội.")
    expect(page.locator("#id_harm_level")).to_have_value("high")
    page.fill("#id_danger", "Người gây hại sống cùng nhà.")
    page.click("#run-transition")

    expect(page.locator("#case-head")).to_have_attribute("data-status", "emergency")
    assert page.confirmations and case.code in page.confirmations[0]
    expect(page.locator("#flag-emergency")).to_be_visible()


def test_every_required_referral_in_one_form(sign_in, world):
    case = new_case(world)
    services.case_declare_emergency(
        actor=world["officer_a"],
        case_id=case.pk,
        danger="Nguy hiểm.",
        measures_taken="Đưa trẻ đến nhà bà.",
        harm_level="high",
        confirmed="abuse",
    )
    page = sign_in("officer_a")
    page.goto(f"/cases/{case.pk}/")
    todo = page.locator("#todo [data-todo=refer]")
    expect(todo).to_contain_text("Giám định pháp y")
    todo.locator("a").click()

    form = page.locator("#refer-all-form")
    expect(form).to_be_visible()
    # The forensic exam is offered only what provides it here: no school.
    forensic = form.locator("select[name='all-forensic_exam-agency'] option")
    expect(forensic).to_contain_text([agency("forensic_exam").name])
    assert "Trường Tiểu học" not in " ".join(forensic.all_inner_texts())
    for service in (
        "police_report",
        "forensic_exam",
        "medical_care",
        "legal_aid",
        "social_support",
    ):
        form.locator(f"select[name='all-{service}-agency']").select_option(str(agency(service).pk))
    page.fill("#id_all-reason", "Trẻ bị xâm hại tình dục, cần can thiệp ngay.")
    page.select_option("#id_all-consent_basis", "consent")
    page.check("#id_all-consent_by_carer")
    page.click("#send-all")

    # Refused: a child of 11 must consent too. The form comes back as it was, the error shown.
    expect(page.locator("#refer-all-form .form-errors")).to_be_visible()
    expect(page.locator("#id_all-reason")).to_have_value(
        "Trẻ bị xâm hại tình dục, cần can thiệp ngay."
    )
    expect(page.locator("select[name='all-legal_aid-agency']")).to_have_value(
        str(agency("legal_aid").pk)
    )
    assert Referral.objects.filter(case=case).count() == 0
    page.check("#id_all-consent_by_child")
    page.click("#send-all")

    expect(page.locator(".messages")).to_contain_text(case.code)
    expect(page.locator("#referral-list tbody tr")).to_have_count(5)
    assert Referral.objects.filter(case=case).count() == 5
    expect(page.locator("#todo [data-todo=refer]")).to_have_count(0)


def test_a_returned_plan_opens_prefilled(sign_in, browser_as, world):
    case = new_case(world, abuse_forms=("other",))
    officer = world["officer_a"]
    services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="low",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="…",
    )
    services.case_submit_plan(
        actor=officer,
        case_id=case.pk,
        assessment_summary="Trẻ cần được theo dõi.",
        needs="Tâm lý.",
        meeting_held_at=timezone.now() - datetime.timedelta(hours=1),
        meeting_participants="Cán bộ xã, gia đình",
        meeting_minutes="Biên bản.",
        goals="Trẻ an toàn tại gia đình.",
        measures=[services.MeasureData("", "Thăm gia đình hằng tuần", 60)],
    )
    page = browser_as("chair_a")
    page.goto(f"/cases/{case.pk}/")
    page.click("[data-transition=return_plan]")
    page.fill("#id_comments", "Bổ sung hỗ trợ học tập cho trẻ.")
    page.click("#run-transition")
    expect(page.locator("#case-head")).to_have_attribute("data-status", "assessment")

    page = sign_in("officer_a")
    page.goto(f"/cases/{case.pk}/transitions/submit_plan/")
    expect(page.locator("#returned-plan")).to_contain_text("Bổ sung hỗ trợ học tập cho trẻ.")
    expect(page.locator("#id_goals")).to_have_value("Trẻ an toàn tại gia đình.")
    expect(page.locator("#id_measures-0-description")).to_have_value("Thăm gia đình hằng tuần")
    # Any number of measures: a new one, without a service, is added and sent.
    page.click("#add-measure")
    page.click("#add-measure")
    page.fill("#id_measures-3-description", "Hỗ trợ học tập.")
    page.fill("#id_measures-3-timeframe_days", "30")
    page.click("#run-transition")

    expect(page.locator("#case-head")).to_have_attribute("data-status", "plan_review")
    plan = case.plans.order_by("-id").first()
    assert plan is not None
    assert [m.description for m in plan.measures.all()] == [
        "Thăm gia đình hằng tuần",
        "Hỗ trợ học tập.",
    ]


def test_each_role_sees_its_queue_at_home(browser_as, world):
    late = new_case(world, hours_ago=20, name="Lê Thị Muộn")
    for username, queue in (
        ("officer_a", "#queue-overdue"),
        ("chair_a", "#queue-decisions"),
        ("police", "#queue-to-accept"),
        ("inspector", "#queue-inspections-next"),
        ("province", "#queue-overdue-by-commune"),
        ("manager", "#figures-panel"),
    ):
        page = browser_as(username)
        page.goto("/")
        expect(page.locator(queue)).to_be_visible()
    page = browser_as("officer_a")
    page.goto("/")
    # The most overdue first, in Vietnamese words: "quá hạn 3 tháng", never "3 months".
    overdue = page.locator("#queue-overdue").inner_text()
    assert re.search(r"quá hạn \d+\s(năm|tháng|tuần|ngày|giờ|phút)", overdue)
    assert not re.search(r"\b(years?|months?|weeks?|days?|hours?|minutes?)\b", overdue)
    page.goto("/cases/?overdue=yes")
    expect(page.locator("main")).to_contain_text(late.code)


def test_the_case_page_says_what_to_do_in_vietnamese(sign_in, world):
    case = new_case(world, hours_ago=1)
    page = sign_in("officer_a")
    page.goto(f"/cases/{case.pk}/")

    deadline = page.locator("#state-deadline")
    expect(deadline).to_contain_text("còn")
    expect(deadline).to_contain_text("giờ")
    assert re.search(r"còn \d+\sgiờ( \d+\sphút)?", deadline.inner_text())
    expect(page.locator("#case-summary")).to_contain_text("Nguyễn Thị Lan")


def test_a_form_that_records_is_sent_once(sign_in, world):
    """A double click, or an impatient second one, on a form that records something: the second
    submission is stopped in the page (core/static/core/app.js, sendOnce). Synthetic submit events
    run the page's handlers without sending the form; then the form is sent for real, once."""
    case = new_case(world)
    page = sign_in("officer_a")
    page.goto(f"/cases/{case.pk}/")
    note_form = page.locator(f"form[action='/cases/{case.pk}/notes/']")

    stopped = """form => [1, 2].map(() => {
        const event = new SubmitEvent("submit", {bubbles: true, cancelable: true});
        form.dispatchEvent(event);
        return event.defaultPrevented;
    })"""
    assert note_form.evaluate(stopped) == [False, True]
    page.goto("/cases/")
    # A search changes nothing: it is sent as often as asked.
    assert page.locator("#case-filters").evaluate(stopped) == [False, False]

    page.goto(f"/cases/{case.pk}/")
    page.fill("#id_text", "Đã gọi điện cho mẹ của trẻ.")
    note_form.locator("button[type=submit]").click()
    expect(page.get_by_text("Đã gọi điện cho mẹ của trẻ.")).to_be_visible()
    assert CaseNote.objects.filter(case=case).count() == 1


def test_a_long_word_typed_without_spaces_does_not_widen_the_case_page(sign_in, world):
    case = new_case(world)
    case.harm_location = "x" * 255
    case.description = "https://example.vn/" + "a" * 400
    case.save(update_fields=["harm_location", "description"])
    page = sign_in("officer_a")

    page.goto(f"/cases/{case.pk}/")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
