"""Who can see this case and why (issue 16), held to the code that enforces access: for every
demo user and every case of a world with referrals, a transfer, the hotline, a grant and an
emergency access, the panel lists a user exactly when the selectors let them open the case, with
exactly the sections they are shown; and the per-user review lists exactly the cases they see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from access import services
from cases import sections as S
from cases import services as case_services
from cases.models import Case
from cases.selectors import cases_visible_to
from cases.visibility import reach_of, sections_for, who_can_see
from core.models import Unit, User
from referrals import services as referral_services
from tests.cases.factories import make_case
from tests.referrals.helpers import refer, sexual_abuse_case

pytestmark = pytest.mark.django_db


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

    services.grant_access(
        actor=demo["officer_a"],
        case_id=case.pk,
        user_id=demo["school"].pk,
        sections=[S.CHILD],
        may_add_notes=False,
        days=5,
        explanation="…",
    )
    one = queries()
    for user in ("social", "legalaid", "officer_b"):
        services.grant_access(
            actor=demo["officer_a"],
            case_id=case.pk,
            user_id=demo[user].pk,
            sections=[S.CHILD],
            may_add_notes=False,
            days=5,
            explanation="…",
        )
    assert queries() == one
