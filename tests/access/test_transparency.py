"""Who can see this case and why (issue 16), held to the code that enforces access: for every
demo user and every case of a world with referrals, a transfer, the hotline, a grant and an
emergency access, the panel lists a user exactly when the selectors let them open the case, with
exactly the sections they are shown; and the per-user review lists exactly the cases they see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from access import services
from access import views as access_views
from access.selectors import reach_rows
from cases import sections as S
from cases import services as case_services
from cases.models import Case
from cases.selectors import cases_visible_to
from cases.visibility import Reach, reach_of, sections_for, who_can_see
from core.models import Unit, User
from core.pagination import PageByIds
from referrals import services as referral_services
from referrals.access import ReferralRule
from referrals.models import Referral
from tests.cases.factories import make_case
from tests.referrals.helpers import refer, sexual_abuse_case

pytestmark = pytest.mark.django_db


def let_in(demo, case: Case, username: str) -> None:
    """The commune's officer lets `username` read the child's section of `case` for a few days."""
    services.grant_access(
        actor=demo["officer_a"],
        case_id=case.pk,
        user_id=demo[username].pk,
        sections=[S.CHILD],
        may_add_notes=False,
        days=5,
        explanation="…",
    )


@pytest.fixture
def world(demo) -> list[Case]:
    officer = demo["officer_a"]
    referred = sexual_abuse_case(demo)
    # Accepted: the forensic centre reads its sections; pending: legal aid reads nothing yet.
    accepted = refer(demo, referred, "forensic_exam")
    referral_services.referral_accept(actor=demo["forensic"], referral_id=accepted.pk)
    refer(demo, referred, "legal_aid")
    moving = make_case(officer)
    case_services.case_transfer_request(
        actor=officer,
        case_id=moving.pk,
        to_commune=Unit.objects.get(structure="2025", code="14329"),
        reason="Chuyển nhà.",
    )
    by_hotline = make_case(demo["hotline"])
    granted = make_case(officer)
    services.grant_access(
        actor=officer,
        case_id=granted.pk,
        user_id=demo["school"].pk,
        sections=[S.CHILD, S.PLAN],
        may_add_notes=True,
        days=10,
        explanation="Giáo viên chủ nhiệm theo dõi việc học.",
    )
    opened = make_case(demo["officer_b"], commune_code="14329")
    services.break_glass(
        actor=demo["hospital"],
        code=opened.code,
        reason="medical_emergency",
        explanation="…",
    )
    return [referred, moving, by_hotline, granted, opened]


def test_the_panel_lists_exactly_who_the_selectors_let_in_with_their_sections(demo, world):
    users = list(User.objects.filter(username__in=demo))
    for case in world:
        panel: dict[str, frozenset[str]] = {}
        for access in who_can_see(case):
            name = access.user.username
            panel[name] = panel.get(name, frozenset()) | access.sections
        for user in users:
            visible = cases_visible_to(user).filter(pk=case.pk).exists()
            where = f"{user.username} on {case.code}"
            assert (user.username in panel) == visible, where
            # Fetched again: the scope is kept on the user object for one request.
            assert panel.get(user.username, frozenset()) == sections_for(
                User.objects.get(pk=user.pk), case
            ), where


def test_the_review_of_a_user_lists_exactly_the_cases_they_see(demo, world):
    for user in User.objects.filter(username__in=demo):
        reached: set[int] = set()
        for reach in reach_of(user):
            reached |= set(reach.cases.values_list("pk", flat=True))
        assert reached == set(cases_visible_to(user).values_list("pk", flat=True)), user.username


def test_the_case_page_shows_the_panel_to_the_commune_only(demo, world, client):
    granted = world[3]
    client.force_login(demo["officer_a"])
    body = client.get(f"/cases/{granted.pk}/").content.decode()
    assert 'id="access-list"' in body and 'data-user="school"' in body
    for user in ("school", "province"):
        client.force_login(demo[user])
        assert 'id="access-list"' not in client.get(f"/cases/{granted.pk}/").content.decode()


def test_the_user_review_shows_codes_never_names(demo, world, client):
    client.force_login(demo["admin"])
    page = client.get(f"/access/users/{demo['school'].pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert world[3].code in body and "Nguyễn Thị Lan" not in body
    assert "Giáo viên chủ nhiệm" not in body  # the reason typed for the case: the province's
    client.force_login(demo["province"])
    assert (
        "Giáo viên chủ nhiệm" in client.get(f"/access/users/{demo['school'].pk}/").content.decode()
    )
    client.force_login(demo["officer_a"])
    assert client.get(f"/access/users/{demo['school'].pk}/").status_code == 403


def test_the_panel_costs_the_same_however_many_people_see_the_case(demo, client):
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_a"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/cases/{case.pk}/").status_code == 200
        return len(captured)

    let_in(demo, case, "school")
    one = queries()
    for user in ("social", "legalaid", "officer_b"):
        let_in(demo, case, user)
    assert queries() == one


def test_the_panel_reads_the_roles_held_over_the_case_once_for_every_rule_by_role(demo):
    case = make_case(demo["officer_a"])

    with CaptureQueriesContext(connection) as captured:
        holders = {access.user.username for access in who_can_see(case)}

    # The commune's officer and chair (one rule), the province's officer (another), one read.
    assert {"officer_a", "chair_a", "province"} <= holders
    membership_reads = [query for query in captured if 'FROM "core_rolemembership"' in query["sql"]]
    assert len(membership_reads) == 1


def accepted_exam(demo) -> Case:
    """A case the forensic centre reads: its examination accepted."""
    case = sexual_abuse_case(demo)
    referral = refer(demo, case, "forensic_exam")
    referral_services.referral_accept(actor=demo["forensic"], referral_id=referral.pk)
    return case


def test_the_review_of_an_agency_costs_the_same_however_many_cases_it_reads(demo, client):
    """An agency's staff reach one case per accepted referral (a province's police: thousands):
    their codes are read together, not one query per referral."""
    client.force_login(demo["province"])
    url = f"/access/users/{demo['forensic'].pk}/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    accepted_exam(demo)
    accepted_exam(demo)
    two = queries()
    for _ in range(4):
        accepted_exam(demo)

    assert queries() == two


def test_the_review_pages_the_cases_in_the_order_of_their_codes(demo, client, api_as, monkeypatch):
    codes = sorted(accepted_exam(demo).code for _ in range(5))
    monkeypatch.setattr(access_views, "REACH_PAGE", 3)
    client.force_login(demo["province"])
    url = f"/access/users/{demo['forensic'].pk}/"

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    beyond = client.get(url, {"page": "99"}).content.decode()
    api = api_as("province").get(f"/api/v1{url}").data

    assert [first.index(code) for code in codes[:3]] == sorted(first.index(c) for c in codes[:3])
    assert not any(code in first for code in codes[3:])
    assert all(code in second for code in codes[3:]) and codes[0] not in second
    assert "Trang 1/2 (5 lý do được xem hồ sơ)" in first
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page 1 of 2 (5 reasons to see a case)" in english
    assert codes[4] in beyond  # past the end: the last page
    assert api["count"] == 5
    assert [row["cases"] for row in api["results"]] == [[code] for code in codes]


def test_the_review_lists_only_the_cases_of_the_reviewers_province(demo, api_as):
    """A province reviews what an agency reads in its own province; the sysadmin, everywhere
    (by code). Told from each case's path, read with the referral."""
    home, moved = accepted_exam(demo), accepted_exam(demo)
    # As if the second case were another province's (the test's transaction undoes it).
    Case.objects.filter(pk=moved.pk).update(unit_path="2025/01/00001/")
    url = f"/api/v1/access/users/{demo['forensic'].pk}/"

    def listed(reviewer: str) -> list[str]:
        rows = api_as(reviewer).get(url).data["results"]
        return [code for row in rows for code in row["cases"]]

    assert listed("province") == [home.code]
    assert listed("admin") == sorted([home.code, moved.code])


def test_a_grant_or_an_offer_of_another_provinces_case_is_not_the_provinces_to_review(demo, api_as):
    """Every rule that reaches cases one at a time is held to the reviewer's province: a grant
    (the school's teacher) and a transfer offered (Xã Gia Viễn's officer)."""
    granted = make_case(demo["officer_a"])
    let_in(demo, granted, "school")
    offered = make_case(demo["officer_a"])
    case_services.case_transfer_request(
        actor=demo["officer_a"],
        case_id=offered.pk,
        to_commune=Unit.objects.get(structure="2025", code="14329"),
        reason="Chuyển nhà.",
    )

    def listed(reviewer: str, user: str) -> list[str]:
        url = f"/api/v1/access/users/{demo[user].pk}/"
        return [code for row in api_as(reviewer).get(url).data["results"] for code in row["cases"]]

    assert granted.code in listed("province", "school")
    assert offered.code in listed("province", "officer_b")
    # As if both cases were another province's (the test's transaction undoes it).
    Case.objects.filter(pk__in=[granted.pk, offered.pk]).update(unit_path="2025/01/00001/")
    assert granted.code not in listed("province", "school")
    assert offered.code not in listed("province", "officer_b")
    assert granted.code in listed("admin", "school")
    assert offered.code in listed("admin", "officer_b")


def test_the_review_reads_only_the_page_of_cases_it_shows(demo, client, api_as, monkeypatch):
    """The cases an agency reaches are counted and paged in SQL: a page reads its own referrals
    only, not the thousands of a province's police."""
    for _ in range(5):
        accepted_exam(demo)
    monkeypatch.setattr(access_views, "REACH_PAGE", 2)
    read: list[int] = []
    reach_by = ReferralRule.reach_by

    def counted(rule: ReferralRule, record: Referral) -> Reach:
        read.append(record.pk)
        return reach_by(rule, record)

    monkeypatch.setattr(ReferralRule, "reach_by", counted)
    client.force_login(demo["province"])
    url = f"/access/users/{demo['forensic'].pk}/"

    for page in (1, 2, 3):
        read.clear()
        assert client.get(url, {"page": page}).status_code == 200
        assert len(read) == (1 if page == 3 else 2)
    read.clear()
    monkeypatch.setattr(PageByIds, "page_size", 2)
    assert api_as("province").get(f"/api/v1{url}").data["count"] == 5
    assert len(read) == 2


def test_the_review_pages_a_case_reached_twice_side_by_side(demo, client, monkeypatch):
    """A case the forensic centre reads by its referral and by a grant: its two rows follow each
    other, and walking the review page by page reads what one long page does."""
    cases = [accepted_exam(demo) for _ in range(2)]
    cases.insert(1, sexual_abuse_case(demo))
    referral = refer(demo, cases[1], "forensic_exam")
    let_in(demo, cases[1], "forensic")  # before it is accepted: then it would see the case
    referral_services.referral_accept(actor=demo["forensic"], referral_id=referral.pk)
    client.force_login(demo["province"])
    url = f"/access/users/{demo['forensic'].pk}/"

    def codes(size: int) -> list[str]:
        monkeypatch.setattr(access_views, "REACH_PAGE", size)
        found = []
        for number in range(1, 5 // size + 2):
            page = client.get(url, {"page": number}).context["page"]
            found += [code for row in page.object_list for code in row.codes]
            if not page.has_next():
                return found
        raise AssertionError("more pages than rows")

    whole = codes(50)
    assert whole == sorted(whole) and len(whole) == 4
    assert whole.count(cases[1].code) == 2
    assert codes(1) == codes(2) == whole


def test_the_reviews_rows_are_a_sequence(demo):
    codes = sorted(accepted_exam(demo).code for _ in range(3))
    rows = reach_rows(demo["province"], demo["forensic"])

    assert len(rows) == 3
    assert [row.codes[0] for row in rows] == codes
    assert rows[-1].codes == [codes[-1]] and rows[0].codes == [codes[0]]
    with pytest.raises(IndexError):
        rows[3]
    with pytest.raises(IndexError):
        rows[-4]
    assert rows[5:9] == [] and len(rows[1:]) == 2
    with pytest.raises(ValueError):
        rows[::2]


def test_iterating_the_review_reads_it_a_page_at_a_time(demo, monkeypatch):
    codes = sorted(accepted_exam(demo).code for _ in range(5))
    monkeypatch.setattr("access.selectors.ITERATED", 2)
    rows = reach_rows(demo["province"], demo["forensic"])
    len(rows)  # counted once

    with CaptureQueriesContext(connection) as statements:
        assert [row.codes[0] for row in rows] == codes

    assert len(statements) == 6  # three pages of two, two statements each


def test_the_user_search_finds_by_name_and_is_bounded_as_a_username(demo, client):
    client.force_login(demo["admin"])
    page = client.get("/access/users/", {"q": "forensic"}).content.decode()

    assert 'maxlength="150"' in page  # a username's length: no URL too long for the server
    assert f"/access/users/{demo['forensic'].pk}/" in page
    assert f"/access/users/{demo['school'].pk}/" not in page
