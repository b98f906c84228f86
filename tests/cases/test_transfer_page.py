"""Offering a case to the commune the child moved to, on a page of its own (DOMAIN §5): the
case page links to it, the officer alone may use it, and bad input changes nothing."""

import pytest
from django.urls import reverse

from cases.models import CaseTransfer
from core.models import AuditEvent, Unit
from tests.cases.factories import advance, make_case

pytestmark = pytest.mark.django_db

GIA_VIEN = "14329"  # officer_b's commune, in the same province


def gia_vien() -> Unit:
    return Unit.objects.get(structure="2025", code=GIA_VIEN)


def test_the_case_page_links_to_the_transfer_page_without_the_communes(client, demo):
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_a"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    url = reverse("cases:transfer", args=[case.pk])

    assert f'href="{url}"' in page
    assert 'name="to_commune"' not in page  # the province's communes: on the page below only
    transfer = client.get(url)
    assert transfer.status_code == 200
    assert transfer.content.decode().count("<option") == 1 + len(
        transfer.context["form"].fields["to_commune"].queryset
    )
    assert str(gia_vien().pk) in transfer.content.decode()
    assert AuditEvent.objects.filter(
        actor=demo["officer_a"], details__view="step:transfer", object_id=str(case.pk)
    ).exists()


def test_only_the_cases_officer_may_offer_it(client, demo):
    case = make_case(demo["officer_a"])
    url = reverse("cases:transfer", args=[case.pk])
    for user, status in (("chair_a", 403), ("province", 403), ("officer_b", 404), ("police", 404)):
        client.force_login(demo[user])
        assert client.get(url).status_code == status, user
        posted = client.post(url, {"to_commune": str(gia_vien().pk), "reason": "Chuyển nhà."})
        assert posted.status_code == status, user
    assert not CaseTransfer.objects.exists()
    client.force_login(demo["officer_a"])
    assert client.get(reverse("cases:transfer", args=[99_999_999])).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"to_commune": "", "reason": "Chuyển nhà."},
        {"to_commune": "abc", "reason": "Chuyển nhà."},
        {"to_commune": "99999999", "reason": "Chuyển nhà."},
        {"to_commune": "GIA_VIEN", "reason": ""},
        {"to_commune": "HOME", "reason": "Chuyển nhà."},  # its own commune
        {"to_commune": "HANOI", "reason": "Chuyển nhà."},  # another province's
    ],
)
def test_bad_input_is_shown_on_the_page_and_changes_nothing(client, demo, data):
    case = make_case(demo["officer_a"])
    named = {
        "GIA_VIEN": gia_vien().pk,
        "HOME": case.commune_id,
        "HANOI": Unit.objects.filter(structure="2025", level="commune")
        .exclude(path__startswith=case.unit_path[:8])
        .values_list("pk", flat=True)
        .first(),
    }
    data = {key: str(named.get(value, value)) for key, value in data.items()}
    client.force_login(demo["officer_a"])

    response = client.post(reverse("cases:transfer", args=[case.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="form-errors"' in response.content.decode()
    assert not CaseTransfer.objects.exists()


def test_a_case_offered_already_or_closed_goes_back_to_its_page_with_the_reason(client, demo):
    officer = demo["officer_a"]
    case = make_case(officer)
    url = reverse("cases:transfer", args=[case.pk])
    client.force_login(officer)
    offered = client.post(url, {"to_commune": str(gia_vien().pk), "reason": "Chuyển nhà."})
    assert offered.status_code == 302 and CaseTransfer.objects.filter(case=case).count() == 1

    again = client.get(url, follow=True)
    assert again.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert "đang chờ trả lời" in again.content.decode()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'href="{url}"' not in page

    dismissed = advance(make_case(officer), "dismiss", officer=officer, chair=demo["chair_a"])
    closed = client.get(reverse("cases:transfer", args=[dismissed.pk]), follow=True)
    assert closed.redirect_chain[-1][0] == reverse("cases:detail", args=[dismissed.pk])
    assert CaseTransfer.objects.count() == 1
