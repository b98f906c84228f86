"""The officer downloads an official decision from the case page (issue 15)."""

from playwright.sync_api import expect

from cases.models import PlanDecision


def test_the_officer_downloads_the_plan_approval_as_pdf_and_docx(sign_in, world):
    decision = PlanDecision.objects.filter(approved=True, case__commune__code="14428").first()
    assert decision is not None, "the demo has an approved plan in Xã Nho Quan"
    page = sign_in("officer_a")
    page.goto(f"/cases/{decision.case_id}/")
    row = page.locator(f"#documents [data-document='form05-{decision.pk}']")
    expect(row).to_be_visible()

    with page.expect_download() as pdf:
        row.locator("a").nth(0).click()
    with page.expect_download() as word:
        row.locator("a").nth(1).click()

    assert pdf.value.suggested_filename.endswith(".pdf")
    with open(pdf.value.path(), "rb") as content:
        assert content.read(5) == b"%PDF-"
    assert word.value.suggested_filename.endswith(".docx")
    with open(word.value.path(), "rb") as content:
        assert content.read(2) == b"PK"  # a DOCX is a zip archive
