"""`GET /api/v1/units/`: the units valid on a date (today by default), filtered by level, parent
and name with or without diacritics."""

import pytest

HOA_LU = ["14329", "14359", "14533", "14566"]  # Hoa Lư, Nam Hoa Lư, Tây Hoa Lư, Đông Hoa Lư


@pytest.fixture
def client(api_as):
    return api_as("officer_a")


def codes(response):
    assert response.status_code == 200
    return [unit["code"] for unit in response.json()["results"]]


def test_it_lists_the_units_valid_today_a_page_at_a_time(client):
    response = client.get("/api/v1/units/")

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 1 + 129  # Ninh Bình and its communes; no legacy unit
    assert body["next"] == "http://testserver/api/v1/units/?page=2"
    assert body["previous"] is None
    assert len(body["results"]) == 50
    assert body["results"][0] == {
        "code": "37",
        "name": "Tỉnh Ninh Bình",
        "division_type": "tỉnh",
        "level": "province",
        "parent": None,
        "structure": "2025",
        "valid_from": "2025-07-01",
        "valid_to": None,
    }
    assert {unit["structure"] for unit in body["results"]} == {"2025"}

    last = client.get("/api/v1/units/", {"page": 3}).json()
    assert (len(last["results"]), last["next"]) == (30, None)


def test_on_the_day_before_the_reform_it_lists_the_legacy_structure(client):
    body = client.get("/api/v1/units/", {"on": "2025-06-30"}).json()

    assert body["count"] == 3 + 22 + 398
    assert {unit["structure"] for unit in body["results"]} == {"2020"}

    districts = client.get("/api/v1/units/", {"on": "2025-06-30", "level": "district"}).json()
    assert districts["count"] == 22


def test_on_the_day_of_the_reform_it_lists_the_new_structure(client):
    body = client.get("/api/v1/units/", {"on": "2025-07-01"}).json()

    assert body["count"] == 130
    districts = client.get("/api/v1/units/", {"on": "2025-07-01", "level": "district"}).json()
    assert districts["count"] == 0


def test_it_filters_by_level(client):
    assert codes(client.get("/api/v1/units/", {"level": "province"})) == ["37"]
    assert client.get("/api/v1/units/", {"level": "commune"}).json()["count"] == 129


def test_it_filters_by_the_parents_code(client):
    legacy = client.get("/api/v1/units/", {"on": "2025-06-30", "parent": "37"})

    assert codes(legacy) == ["370", "372", "373", "374", "375", "376", "377"]
    assert client.get("/api/v1/units/", {"parent": "37"}).json()["count"] == 129


@pytest.mark.parametrize("q", ["hoa lu", "Hoa Lư", "HOA LƯ", "hOa Lu"])
def test_the_name_search_ignores_case_and_diacritics(client, q):
    assert codes(client.get("/api/v1/units/", {"q": q})) == HOA_LU


@pytest.mark.parametrize("q", ["dong hoa lu", "Đông Hoa Lư", "ĐÔNG HOA LƯ", "đông hoa"])
def test_the_name_search_treats_d_and_barred_d_alike(client, q):
    assert codes(client.get("/api/v1/units/", {"q": q})) == ["14566"]


def test_the_name_search_is_combined_with_the_date(client):
    # Thành phố Hoa Lư was a district until the reform.
    assert codes(client.get("/api/v1/units/", {"on": "2025-06-30", "q": "thanh pho hoa lu"})) == [
        "374"
    ]
    assert codes(client.get("/api/v1/units/", {"q": "thanh pho hoa lu"})) == []


@pytest.mark.parametrize("on", ["yesterday", "2025-13-01", "30/06/2025"])
def test_a_date_that_is_not_iso_answers_400_naming_on(client, on):
    response = client.get("/api/v1/units/", {"on": on})

    assert response.status_code == 400
    assert list(response.json()) == ["on"]


def test_a_unit_is_fetched_by_code(client):
    response = client.get("/api/v1/units/14428/")

    assert response.status_code == 200
    assert response.json() == {
        "code": "14428",
        "name": "Xã Nho Quan",
        "division_type": "xã",
        "level": "commune",
        "parent": "37",
        "structure": "2025",
        "valid_from": "2025-07-01",
        "valid_to": None,
    }


def test_a_code_means_the_unit_valid_on_the_date_asked(client):
    response = client.get("/api/v1/units/14428/", {"on": "2025-06-30"})

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["parent"], body["structure"], body["valid_to"]) == (
        "Thị trấn Nho Quan",
        "372",
        "2020",
        "2025-06-30",
    )


def test_a_unit_not_valid_on_the_date_answers_404(client):
    assert client.get("/api/v1/units/372/").status_code == 404
    assert client.get("/api/v1/units/99999/").status_code == 404
    assert client.get("/api/v1/units/372/", {"on": "2025-06-30"}).status_code == 200


def test_the_detail_refuses_a_bad_date_with_400(client):
    response = client.get("/api/v1/units/14428/", {"on": "yesterday"})

    assert response.status_code == 400
    assert list(response.json()) == ["on"]


def test_an_unknown_level_answers_400_naming_level(client):
    response = client.get("/api/v1/units/", {"level": "country"})

    assert response.status_code == 400
    assert list(response.json()) == ["level"]
