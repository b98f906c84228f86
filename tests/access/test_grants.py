"""Grants of access to one case (issue 16): given by the commune's officer or chair to a named
user outside the case's scope, for the sections the grant names, for a while; ended by time, by
revocation or by the case closing; stored as django-guardian direct foreign-key rows."""

import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from access import services
from access.models import CaseAccess, CaseUserObjectPermission
from access.selectors import grant_candidates
from cases import sections as S
from cases import services as case_services
from cases.selectors import case_list, cases_visible_to
from cases.visibility import may_add_notes, sections_for
from core.errors import Forbidden, InvalidTransition, NotFound
from core.models import AuditEvent
from notifications.models import Notification
from tests.cases.factories import advance, make_case

pytestmark = pytest.mark.django_db

READ = [S.CHILD, S.PLAN]


def grant(demo, case, *, actor="officer_a", user="school", **overrides):
    values: dict[str, Any] = {
        "sections": READ,
        "may_add_notes": False,
        "days": 30,
        "explanation": "Giáo viên chủ nhiệm theo dõi việc học của trẻ.",
    }
    return services.grant_access(
        actor=demo[actor], case_id=case.pk, user_id=demo[user].pk, **(values | overrides)
    )


def sees(user, case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def test_the_grantee_sees_only_that_case_and_only_its_sections(demo):
    case, other = make_case(demo["officer_a"]), make_case(demo["officer_a"])
    school = demo["school"]
    assert not sees(school, case)
    access = grant(demo, case)
    assert sees(school, case) and not sees(school, other)
    assert sections_for(school, case) == frozenset(READ)
    # A grant opens the case from where it was given, not the grantee's lists.
    assert not case_list(school).filter(pk=case.pk).exists()
    # Stored as guardian's direct foreign-key row, with the access's end.
    row = CaseUserObjectPermission.objects.get(access=access)
    assert (row.user, row.content_object, row.permission.codename) == (school, case, "view_case")
    assert row.expires_at == access.ends_at
    assert school.has_perm("cases.view_case", case)  # guardian's own check agrees
    assert AuditEvent.objects.filter(action="access.grant", object_id=str(access.pk)).exists()
    assert case.events.filter(action="access_granted").exists()
    assert Notification.objects.filter(recipient=school, event="access_granted").exists()


def test_the_chair_grants_too_and_the_grantee_reads_the_case_page_without_the_rest(demo, client):
    case = make_case(demo["officer_a"])
    grant(demo, case, actor="chair_a", sections=[S.CHILD])
    client.force_login(demo["school"])
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="child"' in body and 'id="report"' not in body and 'id="timeline"' not in body


def test_the_grant_ends_by_itself(demo):
    case = make_case(demo["officer_a"])
    grant(demo, case, days=2)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2, minutes=1)):
        assert not sees(demo["school"], case)
        assert sections_for(demo["school"], case) == frozenset()
        assert services.delete_expired_permissions() == 1


def test_a_revoked_grant_ends_at_once_and_tells_the_grantee(demo):
    case = make_case(demo["officer_a"])
    access = grant(demo, case)
    services.revoke_access(actor=demo["chair_a"], access_id=access.pk)
    assert not sees(demo["school"], case)
    assert not CaseUserObjectPermission.objects.filter(access=access).exists()
    assert Notification.objects.filter(recipient=demo["school"], event="access_revoked").exists()
    with pytest.raises(InvalidTransition):
        services.revoke_access(actor=demo["officer_a"], access_id=access.pk)


def test_closing_the_case_ends_every_grant(demo):
    case = make_case(demo["officer_a"])
    access = grant(demo, case)
    case = advance(case, "dismiss", officer=demo["officer_a"], chair=demo["chair_a"])
    assert case.status == "closed"
    access.refresh_from_db()
    assert access.end_reason == "case_closed" and access.revoked_at is not None
    assert not sees(demo["school"], case)
    with pytest.raises(InvalidTransition):
        grant(demo, case, user="legalaid")


def test_notes_only_when_the_grant_says_so(demo):
    case = make_case(demo["officer_a"])
    grant(demo, case, user="school")
    grant(demo, case, user="social", may_add_notes=True)
    assert not may_add_notes(demo["school"], case)
    with pytest.raises(Forbidden):
        case_services.case_add_note(actor=demo["school"], case_id=case.pk, text="Ghi chú")
    note = case_services.case_add_note(actor=demo["social"], case_id=case.pk, text="Đã gặp trẻ")
    assert note.author == demo["social"]


def test_a_new_grant_replaces_the_one_held(demo):
    case = make_case(demo["officer_a"])
    first = grant(demo, case)
    second = grant(demo, case, sections=[S.CHILD, S.CONCERN])
    first.refresh_from_db()
    assert first.end_reason == "replaced"
    assert sections_for(demo["school"], case) == frozenset(second.sections)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sections": []}, "sections"),
        ({"sections": [S.REPORTER]}, "sections"),  # who reported stays the commune's
        ({"sections": ["bank_account"]}, "sections"),
        ({"days": 0}, "days"),
        ({"days": 91}, "days"),  # at most 90 by the policy
        ({"explanation": "  "}, "explanation"),
        ({"user": "officer_a"}, "user"),  # oneself
    ],
)
def test_bad_input_is_refused_and_changes_nothing(demo, overrides, field):
    case = make_case(demo["officer_a"])
    with pytest.raises(ValidationError) as refused:
        grant(demo, case, **overrides)
    assert field in refused.value.message_dict
    assert not CaseAccess.objects.exists() and not CaseUserObjectPermission.objects.exists()


def test_another_communes_officer_may_be_let_in(demo):
    case = make_case(demo["officer_a"])
    grant(demo, case, user="officer_b", sections=[S.CHILD, S.HISTORY])
    assert sections_for(demo["officer_b"], case) == {S.CHILD, S.HISTORY}


def test_no_grant_to_someone_working_in_another_province(demo, hanoi):
    case = make_case(demo["officer_a"])
    with pytest.raises(ValidationError) as refused:
        services.grant_access(
            actor=demo["officer_a"],
            case_id=case.pk,
            user_id=hanoi.officer.pk,
            sections=READ,
            may_add_notes=False,
            days=5,
            explanation="Trẻ chuyển đến Hà Nội.",
        )
    assert "province" in refused.value.message_dict["user"][0]
    assert not CaseAccess.objects.exists() and not sees(hanoi.officer, case)


def test_the_grant_page_offers_no_one_who_sees_the_case_already(demo):
    case = make_case(demo["officer_a"])
    offered = set(grant_candidates(case).values_list("username", flat=True))
    assert {"officer_b", "police", "school", "hotline"} <= offered
    assert not offered & {"officer_a", "chair_a", "province", "manager", "inspector", "admin"}


def test_no_grant_to_someone_who_sees_the_case_already_or_reads_no_children(demo):
    case = make_case(demo["officer_a"])
    for user in ("province", "manager", "inspector", "admin"):
        with pytest.raises(ValidationError) as refused:
            grant(demo, case, user=user)
        assert "user" in refused.value.message_dict, user
    assert not CaseAccess.objects.exists()


def test_only_the_communes_officer_or_chair_grants(demo):
    case = make_case(demo["officer_a"])
    with pytest.raises(Forbidden):
        grant(demo, case, actor="province")
    for outsider in ("officer_b", "police", "school"):
        with pytest.raises(NotFound):
            grant(demo, case, actor=outsider, user="legalaid")
    assert not CaseAccess.objects.exists()


def test_one_query_for_the_grantees_visible_cases(demo, django_assert_num_queries):
    cases = [make_case(demo["officer_a"]) for _ in range(3)]
    for case in cases:
        grant(demo, case)
    school = demo["school"]
    cases_visible_to(school).exists()  # the scope, read once per request
    with django_assert_num_queries(1):
        assert len(list(cases_visible_to(school))) == 3
