"""A province's readers narrow the case list to one commune: the province's home links each
commune's overdue cases there (cases/panels.py), and the list filtered so shows that commune's
alone. A commune's own staff read one commune's cases and are offered no choice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.panels import overdue_by_commune_queue
from core.models import Unit
from tests.cases.factories import make_case

URL = reverse("cases:list")


def hours_ago(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def late_in_both(demo):
    """Two overdue cases in Xã Nho Quan, one in the other demo commune, one on time."""
    a = [make_case(demo["officer_a"], received_at=hours_ago(20)) for _ in range(2)]
    b = make_case(demo["officer_b"], commune_code="14329", received_at=hours_ago(20))
    make_case(demo["officer_a"])
    return {"a": a, "b": b}


def codes(response) -> set[str]:
    return {case.code for case in response.context["page"].object_list}


def test_the_province_lists_one_communes_overdue_cases(client, demo, late_in_both):
    client.force_login(demo["province"])
    response = client.get(URL, {"commune": "14428", "overdue": "yes"})

    assert response.status_code == 200
    assert codes(response) == {case.code for case in late_in_both["a"]}
    assert '<option value="14428" selected>' in response.content.decode()


def test_each_commune_of_the_provinces_home_opens_as_many_cases_as_it_counts(
    client, demo, late_in_both
):
    province = demo["province"]
    client.force_login(province)
    for row in overdue_by_commune_queue(province).rows:
        shown = codes(client.get(row.url))
        assert f"{len(shown)} " in row.text, (row.text, shown)
    assert len(overdue_by_commune_queue(province).rows) == 2


def test_a_commune_outside_the_choices_is_refused_with_a_message(client, demo, late_in_both):
    client.force_login(demo["province"])
    response = client.get(URL, {"commune": "99999", "overdue": "yes"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["filter_form"].errors["commune"]
    assert not response.context["filtered"]  # the list is not narrowed by what was refused


def test_a_communes_officer_is_offered_no_commune_to_choose(client, demo, late_in_both):
    client.force_login(demo["officer_a"])
    response = client.get(URL, {"commune": "14329"})

    assert 'name="commune"' not in response.content.decode()
    assert "commune" not in response.context["filter_form"].fields
    assert codes(response) == codes(client.get(URL))  # their own commune's, the rest ignored
    assert late_in_both["b"].code not in codes(response)


def test_a_commune_that_has_ended_is_still_offered_with_its_end(client, demo, late_in_both):
    """A commune merged away keeps its open cases, which the province's home counts: its link
    must still narrow the list, and the choice says until when it was valid."""
    Unit.objects.filter(code="14428", level="commune").update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    client.force_login(demo["province"])
    response = client.get(URL, {"commune": "14428", "overdue": "yes"}, HTTP_ACCEPT_LANGUAGE="en")

    assert codes(response) == {case.code for case in late_in_both["a"]}
    assert "Xã Nho Quan (until " in response.content.decode()
