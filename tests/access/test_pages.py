"""The pages of access as their users use them: the grantee's home, the province's review queue."""

import pytest

from access import services
from access.models import CaseAccess
from notifications.models import Notification
from tests.cases.factories import advance, make_case

pytestmark = pytest.mark.django_db


def test_the_grantee_finds_the_case_on_their_home_page(demo, client):
    case = make_case(demo["officer_a"])
    client.force_login(demo["school"])
    assert 'id="opened-to-me"' not in client.get("/").content.decode()
    services.grant_access(
        actor=demo["officer_a"],
        case_id=case.pk,
        user_id=demo["school"].pk,
        sections=["child"],
        may_add_notes=False,
        days=3,
        explanation="Giáo viên chủ nhiệm.",
    )
    home = client.get("/").content.decode()
    assert 'id="opened-to-me"' in home and f"/cases/{case.pk}/" in home


def test_the_province_reviews_from_its_queue(demo, client, fresh_search_counts):
    case = make_case(demo["officer_a"])
    services.break_glass(
        actor=demo["hospital"], code=case.code, reason="medical_emergency", explanation="Cấp cứu."
    )
    access = CaseAccess.objects.get()
    client.force_login(demo["province"])
    assert f"/access/reviews/#review-{access.pk}" in client.get("/").content.decode()
    prefix = f"review-{access.pk}"
    refused = client.post("/access/reviews/", {"access": access.pk, f"{prefix}-justified": "no"})
    assert refused.status_code == 200 and b"form-errors" in refused.content
    access.refresh_from_db()
    assert access.review == "pending"
    done = client.post(
        "/access/reviews/",
        {"access": access.pk, f"{prefix}-justified": "no", f"{prefix}-comment": "Không cần."},
    )
    assert done.status_code == 302
    access.refresh_from_db()
    assert access.review == "unjustified"
    assert not Notification.objects.filter(event="glass_unjustified").exists()  # no head yet
    client.force_login(demo["officer_a"])
    assert client.get("/access/reviews/").status_code == 403


def test_the_commune_lets_someone_in_from_a_page_of_its_own(demo, client):
    """The case page links to the grant page (its list of the province's staff is long and read
    only when someone is let in); the grant page lets in and goes back to the case."""
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_a"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/access/case/{case.pk}/grant/"' in page
    assert 'name="grant-user"' not in page  # the candidates are not on the case page

    form = client.get(f"/access/case/{case.pk}/grant/")
    school = demo["school"]
    assert form.status_code == 200 and f'<option value="{school.pk}">' in form.content.decode()
    done = client.post(
        f"/access/case/{case.pk}/grant/",
        {
            "grant-user": school.pk,
            "grant-sections": ["child"],
            "grant-days": 5,
            "grant-explanation": "Giáo viên chủ nhiệm.",
        },
    )
    assert done.status_code == 302 and done["Location"] == f"/cases/{case.pk}/#access"
    assert CaseAccess.objects.get(case=case).user == school


def test_only_the_communes_staff_of_an_open_case_open_the_grant_page(demo, client):
    case = make_case(demo["officer_a"])
    url = f"/access/case/{case.pk}/grant/"
    granted = {
        "grant-user": demo["school"].pk,
        "grant-sections": ["child"],
        "grant-days": 5,
        "grant-explanation": "Giáo viên chủ nhiệm.",
    }
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    for user, status in (("officer_b", 404), ("hotline", 404), ("province", 403), ("chair_a", 200)):
        client.force_login(demo[user])
        assert client.get(url).status_code == status, user
        if status != 200:
            assert client.post(url, granted).status_code == status, user
    assert client.put(url).status_code == 405
    assert not CaseAccess.objects.exists()
    case = advance(case, "dismiss", officer=demo["officer_a"], chair=demo["chair_a"])
    client.force_login(demo["officer_a"])
    closed = client.get(url, follow=True)
    assert closed.redirect_chain[-1][0].startswith(f"/cases/{case.pk}/")
    assert "Hồ sơ đã đóng: không thể cấp quyền xem thêm cho ai." in closed.content.decode()
    assert 'href="/access/case/' not in closed.content.decode()
    client.post(url, granted)
    assert not CaseAccess.objects.exists()
