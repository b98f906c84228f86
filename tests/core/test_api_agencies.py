"""`GET /api/v1/agencies/`: active agencies valid on a date (today by default), filtered by kind
and by jurisdiction."""

import datetime

import pytest

from core.demo import AGENCIES
from core.models import Agency


@pytest.fixture
def client(api_as):
    return api_as("police")


def names(response):
    assert response.status_code == 200
    return [agency["name"] for agency in response.json()["results"]]


def test_it_lists_the_active_agencies_of_today(client):
    body = client.get("/api/v1/agencies/").json()

    today = [spec.name for spec in AGENCIES if spec.valid_to is None]
    assert body["count"] == len(today) == 11
    assert sorted(agency["name"] for agency in body["results"]) == sorted(today)


def test_it_describes_an_agency_with_its_kinds_unit_and_period(client):
    police = Agency.objects.get(name="Công an tỉnh Ninh Bình")
    police.phone = "0229 3871 113"
    police.save()

    body = client.get("/api/v1/agencies/", {"kind": "police"}).json()

    assert body["results"] == [
        {
            "id": police.pk,
            "name": "Công an tỉnh Ninh Bình",
            "kinds": ["police"],
            "kind_names": ["Công an"],
            "unit": "37",
            "unit_name": "Tỉnh Ninh Bình",
            "email": "",
            "phone": "0229 3871 113",
            "valid_from": None,
            "valid_to": None,
            "successors": [],
        }
    ]


def test_an_agency_lists_each_of_its_kinds_in_the_order_of_their_codes(client):
    body = client.get("/api/v1/agencies/", {"kind": "health_department"}).json()

    assert [(a["name"], a["kinds"], a["kind_names"]) for a in body["results"]] == [
        (
            "Sở Y tế tỉnh Ninh Bình",
            ["health_department", "provincial_child_protection_lead"],
            ["Sở Y tế", "Cơ quan chủ trì bảo vệ trẻ em cấp tỉnh"],
        )
    ]


def test_it_filters_by_kind(client):
    assert names(client.get("/api/v1/agencies/", {"kind": "commune_committee"})) == [
        "Ủy ban nhân dân phường Hoa Lư",
        "Ủy ban nhân dân xã Nho Quan",
    ]
    assert names(client.get("/api/v1/agencies/", {"kind": "media"})) == []


def test_an_agency_with_two_kinds_is_found_once_by_either(client):
    for kind in ("provincial_child_protection_lead", "health_department"):
        assert names(client.get("/api/v1/agencies/", {"kind": kind})) == ["Sở Y tế tỉnh Ninh Bình"]


def test_it_filters_by_the_jurisdictions_code(client):
    assert names(client.get("/api/v1/agencies/", {"unit": "14428"})) == [
        "Trường Tiểu học Nho Quan",
        "Ủy ban nhân dân xã Nho Quan",
    ]
    assert client.get("/api/v1/agencies/", {"unit": "37"}).json()["count"] == 8


def test_the_filters_combine(client):
    assert names(client.get("/api/v1/agencies/", {"kind": "school", "unit": "14428"})) == [
        "Trường Tiểu học Nho Quan"
    ]
    assert names(client.get("/api/v1/agencies/", {"kind": "school", "unit": "14329"})) == []


def test_on_a_past_date_it_lists_the_agencies_of_that_day_with_their_successors(client):
    body = client.get("/api/v1/agencies/", {"kind": "police", "on": "2025-06-30"}).json()

    police = Agency.objects.get(name="Công an tỉnh Ninh Bình")
    assert [(a["name"], a["unit"], a["valid_to"], a["successors"]) for a in body["results"]] == [
        ("Công an huyện Nho Quan", "372", "2025-06-30", [police.pk]),
        ("Công an tỉnh Ninh Bình", "37", None, []),
    ]
    # The new communes' committees exist from the reform on.
    assert (
        names(client.get("/api/v1/agencies/", {"kind": "commune_committee", "on": "2025-06-30"}))
        == []
    )
    assert names(client.get("/api/v1/agencies/", {"kind": "police", "on": "2025-07-01"})) == [
        "Công an tỉnh Ninh Bình"
    ]


def test_a_date_that_is_not_one_is_refused(client):
    response = client.get("/api/v1/agencies/", {"on": "30/06/2025"})

    assert response.status_code == 400
    assert set(response.json()) == {"on"}


def test_an_inactive_agency_is_not_listed(client):
    Agency.objects.filter(name="Công an tỉnh Ninh Bình").update(is_active=False)

    assert names(client.get("/api/v1/agencies/", {"kind": "police"})) == []
    assert client.get("/api/v1/agencies/").json()["count"] == 10


def test_an_agency_is_fetched_by_id_while_active_and_valid_on_the_date(client):
    school = Agency.objects.get(name="Trường Tiểu học Nho Quan")

    response = client.get(f"/api/v1/agencies/{school.pk}/")
    assert response.status_code == 200
    assert (response.json()["kinds"], response.json()["unit"]) == (["school"], "14428")

    school.is_active = False
    school.save()
    assert client.get(f"/api/v1/agencies/{school.pk}/").status_code == 404

    district_police = Agency.objects.get(name="Công an huyện Nho Quan")
    assert client.get(f"/api/v1/agencies/{district_police.pk}/").status_code == 404
    day = datetime.date(2025, 1, 1).isoformat()
    assert client.get(f"/api/v1/agencies/{district_police.pk}/", {"on": day}).status_code == 200
