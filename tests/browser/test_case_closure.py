"""A case from its intervention to its closure, in the browser: the officer records a periodic
review and proposes the closure (Form 06); the chair decides on the work still open and closes."""

from playwright.sync_api import expect

from cases.models import Case
from tests.cases.factories import advance, make_case


def test_the_officer_reviews_and_proposes_and_the_chair_closes(world, sign_in, browser_as):
    officer_user, chair_user = world["officer_a"], world["chair_a"]
    case = make_case(officer_user, abuse_forms=("other",))  # no service the pathway requires
    advance(
        case,
        "assess_initial",
        "submit_plan",
        "approve_plan",
        officer=officer_user,
        chair=chair_user,
    )
    case_url = f"/cases/{case.pk}/"

    page = sign_in("officer_a")
    page.goto(case_url)

    # The periodic review (Decree 56/2017 Art. 30): notes and the progress of the one measure.
    page.click("[data-transition=record_review]")
    page.fill("#id_notes", "Trẻ ổn định, đi học đều.")
    page.locator("textarea[name^=progress_]").fill("Đã tư vấn 4 buổi.")
    page.click("#run-transition")
    expect(page.locator("#case-head")).to_have_attribute("data-status", "intervention")
    expect(page.locator("body")).to_contain_text("Đã tư vấn 4 buổi.")

    # Review, then the proposal to close (Form 06).
    page.click("[data-transition=start_review]")
    page.click("#run-transition")
    expect(page.locator("#case-head")).to_have_attribute("data-status", "review")
    page.click("[data-transition=propose_closure]")
    for field in ("remaining_harm", "perpetrator_access", "care_obstacles"):
        page.select_option(f"#id_{field}", "low")
    page.select_option("#id_resilience", "high")
    page.select_option("#id_reason", "goals_met")
    page.click("#run-transition")
    expect(page.locator("#case-head")).to_have_attribute("data-status", "closure_review")

    # The chair must decide on the measure no agency reports on before closing.
    chair = browser_as("chair_a")
    chair.goto(case_url)
    chair.click("[data-transition=close]")
    chair.click("#run-transition")  # no decision yet: refused on the form, nothing changes
    expect(chair.locator("#transition-form")).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == "closure_review"
    chair.select_option("#id_work_0", "completed")
    chair.fill("#id_decision_number", "20/QĐ-UBND")
    chair.click("#run-transition")
    expect(chair.locator("#case-head")).to_have_attribute("data-status", "closed")

    page.goto(case_url)
    expect(page.locator("#case-head")).to_have_attribute("data-status", "closed")
