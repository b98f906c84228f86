"""Every route that shows a child's data records the read in the audit trail, and a read refused
because the case is out of scope is recorded too (Law on Children Art. 21; DOMAIN §10).

One table: each URL that can show a case's child, the user who reads it, and the audit row it
must leave. A route added without its audit makes this fail once it is listed here."""

from collections.abc import Callable

import pytest

from cases.models import Case
from core.models import AuditEvent
from tests.cases.factories import make_case
from tests.referrals.helpers import refer

NAME = "Đinh Thị Hoa"

# (reader, how the URL is built from the case and its referral, the audit action, the view).
WEB_READS: list[tuple[str, Callable[[Case, int], str], str, str]] = [
    ("officer_a", lambda c, r: f"/cases/{c.pk}/", "case.read", "page"),
    (
        "officer_a",
        lambda c, r: f"/cases/{c.pk}/transitions/assess_initial/",
        "case.read",
        "step:assess_initial",
    ),
    ("officer_a", lambda c, r: f"/cases/{c.pk}/correct/", "case.read", "correct"),
    ("chair_a", lambda c, r: f"/cases/{c.pk}/", "case.read", "page"),
    ("police", lambda c, r: f"/referrals/{r}/", "referral.read", ""),
]
API_READS: list[tuple[str, Callable[[Case, int], str], str, str]] = [
    ("officer_a", lambda c, r: f"/api/v1/cases/{c.pk}/", "case.read", "detail"),
    ("officer_a", lambda c, r: f"/api/v1/cases/{c.pk}/events/", "case.read", "events"),
    ("officer_a", lambda c, r: f"/api/v1/cases/{c.pk}/transitions/", "case.read", "transitions"),
    ("officer_a", lambda c, r: f"/api/v1/cases/{c.pk}/sanctions/", "case.read", "sanctions"),
    ("police", lambda c, r: f"/api/v1/referrals/{r}/", "referral.read", ""),
]


@pytest.fixture
def case(demo) -> Case:
    return make_case(demo["officer_a"], full_name=NAME)


@pytest.fixture
def referral_id(demo, case) -> int:
    return refer(demo, case, "police_report").pk


def audited(action: str, user, view: str = "") -> bool:
    rows = AuditEvent.objects.filter(action=action, actor=user)
    return any(not view or row.details.get("view") == view for row in rows)


@pytest.mark.parametrize(("reader", "url", "action", "view"), WEB_READS)
def test_every_page_that_shows_the_child_is_audited(
    demo, client, case, referral_id, reader, url, action, view
):
    client.force_login(demo[reader])
    assert client.get(url(case, referral_id)).status_code == 200
    assert audited(action, demo[reader], view)


@pytest.mark.parametrize(("reader", "url", "action", "view"), API_READS)
def test_every_api_read_of_the_child_is_audited(
    demo, api_as, case, referral_id, reader, url, action, view
):
    assert api_as(reader).get(url(case, referral_id)).status_code == 200
    assert audited(action, demo[reader], view)


def test_a_search_by_name_and_the_possible_duplicates_are_audited(demo, client, api_as, case):
    client.force_login(demo["officer_a"])
    assert client.get("/cases/", {"q": "dinh thi hoa"}).status_code == 200
    web = AuditEvent.objects.get(action="case.search", actor=demo["officer_a"])
    assert web.details == {"query": "dinh thi hoa", "results": 1}
    api = api_as("officer_b").get("/api/v1/cases/", {"q": "Hoa"})
    assert api.status_code == 200
    assert AuditEvent.objects.filter(action="case.search", actor=demo["officer_b"]).exists()
    duplicates = api_as("officer_a").get(
        "/api/v1/cases/duplicates/",
        {"full_name": NAME, "birth_year": case.child.birth_year, "commune": "14428"},
    )
    assert duplicates.status_code == 200 and duplicates.json()
    row = AuditEvent.objects.get(action="case.duplicates", actor=demo["officer_a"])
    assert row.details == {"children": [case.child_id]}


def test_a_read_refused_out_of_scope_is_audited_too(demo, client, api_as, case):
    client.force_login(demo["officer_b"])  # another commune's officer
    for url in (f"/cases/{case.pk}/", f"/cases/{case.pk}/transitions/assess_initial/"):
        assert client.get(url).status_code == 404
    assert api_as("officer_b").get(f"/api/v1/cases/{case.pk}/events/").status_code == 404
    denied = AuditEvent.objects.filter(action="case.read_denied", actor=demo["officer_b"])
    assert denied.count() == 3
    assert {row.details["case_id"] for row in denied} == {case.pk}
    assert not AuditEvent.objects.filter(action="case.read", actor=demo["officer_b"]).exists()
