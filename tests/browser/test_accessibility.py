"""axe-core over the key pages, as the roles that use them: no critical or serious violation.

axe runs from the vendored release file (tests/browser/vendor/, see its README), so no network.
Before each check every <details> is opened, so the forms folded inside are checked too.
"""

from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import Page

from cases.models import Case
from core.demo import AGENCIES, USERS
from core.models import Role, RoleMembership
from inspections.models import Inspection
from referrals.models import Referral

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
IMPACTS = {"critical", "serious"}
# The demo agency staff by their agency's name.
AGENCY_NAMES = {agency.key: agency.name for agency in AGENCIES}
STAFF = {
    AGENCY_NAMES[user.agency]: user.username
    for user in USERS
    if user.agency is not None and user.role == Role.AGENCY_STAFF
}


def violations(page: Page) -> list[str]:
    """The critical and serious violations on the page, one line per rule with its targets."""
    page.wait_for_load_state("load")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's CSP (script-src 'self') forbids
        # an inline <script>, so add_script_tag cannot inject it.
        page.evaluate(AXE_SOURCE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} — "
        + "; ".join(f"{' '.join(node['target'])} ({why(node)})" for node in v["nodes"])
        for v in result["violations"]
        if v["impact"] in IMPACTS
    ]


def why(node: dict) -> str:
    """The first failed check's message, e.g. the contrast ratio found."""
    checks = node["any"] or node["all"] or node["none"]
    return checks[0]["message"] if checks else node.get("failureSummary", "")


def check(page: Page, path: str, found: list[str]) -> None:
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    found.extend(violations(page))


def report(found: list[str]) -> str:
    return "axe found critical or serious violations:\n" + "\n".join(found)


def test_the_login_page_in_vietnamese_and_english(page, live_server):
    found: list[str] = []
    check(page, "/accounts/login/", found)
    page.click(".lang button[value=en]")
    page.wait_for_url("**/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    found.extend(violations(page))
    assert not found, report(found)


def test_the_key_pages_of_each_role(world, browser_as):
    call_command("load_plan", verbosity=0)
    found: list[str] = []
    scope_a = Case.objects.filter(unit_path__endswith="/14428/")
    # A case with referrals under way, as its officer; one waiting for the chair's decision.
    worked = scope_a.filter(status="intervention").order_by("id").first() or scope_a.first()
    deciding = scope_a.filter(status="review").order_by("id").first() or worked
    assert worked is not None and deciding is not None

    officer = browser_as("officer_a")
    for path in ["/", "/cases/", f"/cases/{worked.pk}/", "/cases/new/", "/notifications/"]:
        check(officer, path, found)

    chair = browser_as("chair_a")
    for path in ["/", "/cases/queue/", f"/cases/{deciding.pk}/"]:
        check(chair, path, found)

    # An accepted referral, with its outcome form, as staff of the agency that took it on.
    referral = Referral.objects.filter(status="accepted").order_by("id").first()
    assert referral is not None
    staff = browser_as(STAFF[referral.agency.name])
    for path in ["/", "/referrals/", f"/referrals/{referral.pk}/", "/reports/plan/"]:
        check(staff, path, found)

    inspector = browser_as("inspector")
    inspection = Inspection.objects.filter(status="in_progress").first()
    assert inspection is not None
    for path in ["/", "/inspections/", f"/inspections/{inspection.pk}/", "/inspections/new/"]:
        check(inspector, path, found)

    manager = browser_as("manager")
    for path in ["/", "/reports/", "/reports/?print=1"]:
        check(manager, path, found)

    province = browser_as("province")
    for path in ["/", "/reports/", "/reports/plan/"]:
        check(province, path, found)

    # The lead agency's staff consolidate the report: its form besides their own sections.
    lead = RoleMembership.objects.get(user=world["inspector"], role=Role.INSPECTOR).agency
    RoleMembership.objects.create(user=world["inspector"], role=Role.AGENCY_STAFF, agency=lead)
    inspector.goto("/reports/plan/")
    assert inspector.locator("#consolidation").count() == 1
    found.extend(violations(inspector))

    assert not found, report(found)
