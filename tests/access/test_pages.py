"""The pages of access as their users use them: the grantee's home, the province's review queue."""

import pytest

from access import services
from access.models import CaseAccess
from notifications.models import Notification
from tests.cases.factories import make_case

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
