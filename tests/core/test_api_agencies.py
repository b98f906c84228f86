"""`GET /api/v1/agencies/`: active agencies, filtered by kind and by jurisdiction."""

import pytest

from core.demo import AGENCIES
from core.models import Agency


@pytest.fixture
def client(api_as):
    return api_as("police")


def names(response):
    assert response.status_code == 200
    return [agency["name"] for agency in response.json()["results"]]


def test_it_lists_the_active_agencies(client):
    body = client.get("/api/v1/agencies/").json()

    assert body["count"] == len(AGENCIES) == 11
    assert sorted(agency["name"] for agency in body["results"]) == sorted(
        name for _key, name, _kind, _unit in AGENCIES
    )


def test_it_describes_an_agency_with_its_kind_and_unit(client):
    police = Agency.objects.get(name="Công an tỉnh Ninh Bình")
    police.phone = "0229 3871 113"
    police.save()

    body = client.get("/api/v1/agencies/", {"kind": "police"}).json()

    assert body["results"] == [
        {
            "id": police.pk,
            "name": "Công an tỉnh Ninh Bình",
            "kind": "police",
            "kind_name": "Công an",
            "unit": "37",
            "unit_name": "Tỉnh Ninh Bình",
            "email": "",
            "phone": "0229 3871 113",
        }
    ]


def test_it_filters_by_kind(client):
    assert names(client.get("/api/v1/agencies/", {"kind": "commune_committee"})) == [
        "Ủy ban nhân dân phường Hoa Lư",
        "Ủy ban nhân dân xã Nho Quan",
    ]
    assert names(client.get("/api/v1/agencies/", {"kind": "media"})) == []


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


def test_an_inactive_agency_is_not_listed(client):
    Agency.objects.filter(name="Công an tỉnh Ninh Bình").update(is_active=False)

    assert names(client.get("/api/v1/agencies/", {"kind": "police"})) == []
    assert client.get("/api/v1/agencies/").json()["count"] == 10


def test_an_agency_is_fetched_by_id_while_active(client):
    school = Agency.objects.get(name="Trường Tiểu học Nho Quan")

    response = client.get(f"/api/v1/agencies/{school.pk}/")
    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["unit"]) == ("school", "14428")

    school.is_active = False
    school.save()
    assert client.get(f"/api/v1/agencies/{school.pk}/").status_code == 404
