"""Break-the-glass (issue 16): the police, a health facility or forensic medicine (and a
provincial officer) open a case they cannot otherwise see by its exact identifiers, stating why;
for 24 hours, the sections their service needs; the commune is told at once and the province
reviews it; searching reveals nothing unless the identifiers match exactly, and is throttled."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from access import services
from access.models import CaseAccess
from cases import services as case_services
from cases.selectors import cases_visible_to
from cases.visibility import sections_for
from core.errors import Forbidden, InvalidTransition, NotFound, TooManyAttempts
from core.models import AuditEvent, RoleMembership, Unit, User
from notifications.models import Notification
from referrals.access import SECTIONS_BY_SERVICE
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

BORN = datetime.date(2015, 3, 8)


@pytest.fixture
def case(demo):
    child = case_services.ChildData(full_name="Đinh Thị Hòa", sex="female", date_of_birth=BORN)
    return make_case(demo["officer_a"], child=child)


def glass(demo, user="hospital", **identifiers):
    values = {"reason": "medical_emergency", "explanation": "Trẻ nhập viện cấp cứu lúc 2 giờ."}
    return services.break_glass(actor=demo[user], **(values | identifiers))


def test_a_hospital_opens_a_case_by_its_exact_code_for_a_day(demo, case):
    hospital = demo["hospital"]
    assert not cases_visible_to(hospital).filter(pk=case.pk).exists()
    assert glass(demo, code=case.code.lower()) == [case]
    access = CaseAccess.objects.get(case=case, user=hospital)
    assert access.kind == "break_glass" and access.review == "pending"
    assert access.ends_at - access.starts_at == datetime.timedelta(hours=24)
    assert sections_for(hospital, case) == SECTIONS_BY_SERVICE["medical_care"]
    # Audited, in the case's history, and told at once to the commune's officer and chair.
    assert AuditEvent.objects.filter(action="access.break_glass", object_id=str(access.pk)).exists()
    assert case.events.filter(action="break_glass", actor=hospital).exists()
    told = set(
        Notification.objects.filter(event="glass_broken", channel="in_app").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"officer_a", "chair_a"}
    with time_machine.travel(access.ends_at + datetime.timedelta(seconds=1)):
        assert not cases_visible_to(hospital).filter(pk=case.pk).exists()


def test_by_the_childs_exact_name_and_date_of_birth(demo, case):
    assert glass(demo, user="police", full_name="đinh thị  hòa", date_of_birth=BORN) == [case]
    assert sections_for(demo["police"], case) == SECTIONS_BY_SERVICE["police_report"]


@pytest.mark.parametrize(
    "identifiers",
    [
        {"code": "37-2026"},  # a part of a code
        {"full_name": "Đinh Thị", "date_of_birth": BORN},  # a part of a name
        {"full_name": "Dinh Thi Hoa", "date_of_birth": BORN},  # not the name as written
        {"full_name": "Đinh Thị Hòa", "date_of_birth": BORN + datetime.timedelta(days=1)},
    ],
)
def test_nothing_is_revealed_unless_the_identifiers_match_exactly(demo, case, identifiers):
    with pytest.raises(NotFound) as refused:
        glass(demo, **identifiers)
    assert refused.value.message == "No open case matches these exact identifiers."
    assert not CaseAccess.objects.exists()
    search = AuditEvent.objects.get(action="access.break_glass_search")
    assert search.details["found"] == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "curiosity"}, "reason"),
        ({"explanation": " "}, "explanation"),
        ({"code": "", "full_name": "Đinh Thị Hòa"}, "code"),  # a name needs the date of birth
    ],
)
def test_a_reason_and_identifiers_are_required(demo, case, payload, field):
    values = {"code": case.code} | payload
    with pytest.raises(ValidationError) as refused:
        glass(demo, **values)
    assert field in refused.value.message_dict
    assert not CaseAccess.objects.exists()


def test_only_emergency_services_and_provincial_officers_may(demo, case):
    for user in ("school", "legalaid", "social", "manager", "inspector", "admin", "officer_b"):
        with pytest.raises(Forbidden):
            glass(demo, user=user, code=case.code)
    assert not CaseAccess.objects.exists()


def test_a_name_is_looked_for_only_in_the_agencys_province(demo, case):
    agency = RoleMembership.objects.get(user=demo["police"]).agency
    assert agency is not None
    jurisdiction = agency.jurisdiction
    # As if the police served another province (the test's transaction undoes it).
    Unit.objects.filter(pk=jurisdiction.pk).update(path="2025/01/")
    with pytest.raises(NotFound):
        glass(demo, user="police", full_name="Đinh Thị Hòa", date_of_birth=BORN)
    assert glass(demo, user="police", code=case.code) == [case]  # a code, anywhere


@override_settings(CHECHO_BREAK_GLASS_SEARCHES=3)
def test_searches_are_throttled_per_user(demo, case):
    for _ in range(3):
        with pytest.raises(NotFound):
            glass(demo, code="37-0000-000000")
    with pytest.raises(TooManyAttempts):
        glass(demo, code=case.code)  # even the right code, once over the limit
    assert not CaseAccess.objects.exists()
    assert glass(demo, user="police", code=case.code) == [case]  # per user


def test_the_province_reviews_and_an_unjustified_use_reaches_the_agencys_head(demo, case):
    glass(demo, code=case.code)
    access = CaseAccess.objects.get()
    province = demo["province"]
    assert list(services.accesses_to_review(province)) == [access]
    with pytest.raises(ValidationError) as refused:
        services.review_access(actor=province, access_id=access.pk, justified=False, comment="")
    assert "comment" in refused.value.message_dict
    head = User.objects.create_user("hospital_head", password="x")
    RoleMembership.objects.create(user=head, role="agency_head", agency=access.agency)
    services.review_access(
        actor=province, access_id=access.pk, justified=False, comment="Không có cấp cứu."
    )
    access.refresh_from_db()
    assert (access.review, access.reviewed_by) == ("unjustified", province)
    assert list(services.accesses_to_review(province)) == []
    assert Notification.objects.filter(recipient=head, event="glass_unjustified").exists()
    with pytest.raises(InvalidTransition):
        services.review_access(actor=province, access_id=access.pk, justified=True, comment="")


def test_only_the_cases_province_reviews_and_never_its_own_use(demo, case):
    glass(demo, code=case.code)
    access = CaseAccess.objects.get()
    for user in ("officer_a", "chair_a", "police", "admin"):
        with pytest.raises(NotFound):
            services.review_access(
                actor=demo[user], access_id=access.pk, justified=True, comment=""
            )
    own = services.break_glass(
        actor=demo["province"],
        code=make_case(demo["officer_b"], commune_code="14329").code,
        reason="immediate_danger",
        explanation="…",
    )
    assert own  # a provincial officer of the province already sees it: nothing to review
    assert not CaseAccess.objects.filter(user=demo["province"]).exists()


def test_a_justified_use_is_not_reported(demo, case):
    glass(demo, code=case.code)
    access = CaseAccess.objects.get()
    services.review_access(actor=demo["province"], access_id=access.pk, justified=True, comment="")
    assert not Notification.objects.filter(event="glass_unjustified").exists()


def test_the_banner_shows_on_the_case_page(demo, case, client):
    glass(demo, code=case.code)
    client.force_login(demo["hospital"])
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert "data-banner" in body
    client.force_login(demo["officer_a"])
    assert "data-banner" not in client.get(f"/cases/{case.pk}/").content.decode()


def test_a_closed_case_cannot_be_opened(demo, case):
    case_services.case_dismiss(
        actor=demo["officer_a"], case_id=case.pk, reason="unfounded", verification="Đã gặp."
    )
    with pytest.raises(NotFound):
        glass(demo, code=case.code)


def test_expired_and_revoked_emergency_accesses_let_nobody_in(demo, case):
    glass(demo, code=case.code)
    access = CaseAccess.objects.get()
    services.revoke_access(actor=demo["officer_a"], access_id=access.pk)
    assert not cases_visible_to(demo["hospital"]).filter(pk=case.pk).exists()
    assert timezone.now() < access.ends_at


def test_a_provincial_officer_of_another_province_opens_it_by_name(demo, case):
    elsewhere = User.objects.create_user("nam_dinh", password="x")
    RoleMembership.objects.create(
        user=elsewhere,
        role="provincial_officer",
        unit=Unit.objects.get(structure="2020", code="36"),
    )
    assert not cases_visible_to(elsewhere).filter(pk=case.pk).exists()
    opened = services.break_glass(
        actor=elsewhere,
        full_name="Đinh Thị Hòa",
        date_of_birth=BORN,
        reason="immediate_danger",
        explanation="Trẻ được tìm thấy ở Nam Định.",
    )
    assert opened == [case]
    assert sections_for(elsewhere, case) == services.PROVINCIAL_GLASS_SECTIONS
    # Reviewed by the case's province, not by the one who opened it.
    assert list(services.accesses_to_review(demo["province"])) == [CaseAccess.objects.get()]
    assert list(services.accesses_to_review(elsewhere)) == []


def test_the_glass_broken_by_someone_the_commune_let_in_keeps_both_accesses(demo, case):
    services.grant_access(
        actor=demo["officer_a"],
        case_id=case.pk,
        user_id=demo["hospital"].pk,
        sections=["child"],
        may_add_notes=False,
        days=30,
        explanation="Theo dõi sức khỏe.",
    )
    glass(demo, code=case.code)
    assert sections_for(demo["hospital"], case) == SECTIONS_BY_SERVICE["medical_care"]
    emergency = CaseAccess.objects.get(kind="break_glass")
    with time_machine.travel(emergency.ends_at + datetime.timedelta(minutes=1)):
        assert sections_for(demo["hospital"], case) == {"child"}  # the grant still runs
