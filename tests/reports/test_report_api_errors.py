"""A report's error is JSON whatever format was asked: a spreadsheet cannot say what went wrong
(a CSV asked for with a bad unit or year used to be a server error)."""

import pytest

from tests.reports.builders import YEAR


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
@pytest.mark.parametrize(
    ("path", "query", "status"),
    [
        ("/api/v1/reports/indicators/", {"unit": "", "year": YEAR}, 404),
        ("/api/v1/reports/indicators/", {"unit": "37", "year": "abc"}, 400),
        ("/api/v1/reports/official-submission/", {"unit": "37", "year": YEAR}, 403),
        ("/api/v1/reports/plan-outcome/", {"year": 1999}, 400),
    ],
)
def test_an_error_is_json_in_every_format(demo, api_as, path, query, status, fmt):
    response = api_as("manager").get(path, {**query, "format": fmt})
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()


def test_recording_a_result_answers_json_even_when_a_file_was_asked(demo, api_as):
    response = api_as("police").post(
        "/api/v1/reports/plan-outcome/?format=csv", {"task": 0, "year": YEAR, "text": "…"}
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_the_page_selects_the_commune_read_among_todays_first(demo, client):
    """A provincial manager reads a commune of today's structure: the unit list, cut at 300,
    offers today's communes before the legacy ones and selects the one read."""
    client.force_login(demo["manager"])
    page = client.get("/reports/", {"year": YEAR, "unit": "2025:14428"}).content.decode()
    assert '<option value="2025:14428" selected>' in page
