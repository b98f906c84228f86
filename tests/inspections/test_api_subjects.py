"""The registry of inspected subjects through the API: inspectors keep it, and each subject shows
the inspections of it that the reader may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Unit
from inspections import services
from inspections.models import InspectedSubject
from tests.inspections.factories import another_inspector, plan_inspection

SCHOOL = {"kind": "school", "name": "Trường Tiểu học Nho Quan", "unit": "14428"}


def register(demo, name: str, kind: str = "school", code: str = "14428") -> InspectedSubject:
    unit = Unit.objects.valid_on(timezone.localdate()).get(code=code)
    return services.subject_register(actor=demo["inspector"], kind=kind, name=name, unit=unit)


def test_an_inspector_registers_a_subject_once(demo, api_as):
    client = api_as("inspector")
    first = client.post("/api/v1/inspection-subjects/", SCHOOL, format="json")
    assert first.status_code == 201, first.json()
    body = first.json()
    assert (body["kind"], body["unit"], body["inspection_count"]) == ("school", "14428", 0)
    again = client.post(
        "/api/v1/inspection-subjects/", SCHOOL | {"name": " Trường Tiểu học Nho Quan "}
    )
    assert again.json()["id"] == body["id"]
    assert InspectedSubject.objects.count() == 1


def test_a_subject_lies_in_the_inspectors_province(demo, api_as, hanoi):
    answer = api_as("inspector").post(
        "/api/v1/inspection-subjects/", SCHOOL | {"unit": hanoi.ward.code}, format="json"
    )
    assert answer.status_code == 400 and "unit" in answer.json()
    assert not InspectedSubject.objects.exists()


@pytest.mark.parametrize("username", ["province", "officer_a", "manager"])
def test_only_inspectors_register_subjects(demo, api_as, username):
    response = api_as(username).post("/api/v1/inspection-subjects/", SCHOOL, format="json")
    assert response.status_code == 403
    assert not InspectedSubject.objects.exists()


def test_a_bad_subject_names_every_bad_field(demo, api_as):
    response = api_as("inspector").post(
        "/api/v1/inspection-subjects/",
        {"kind": "castle", "name": "", "unit": "00000", "agency": 999999},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "name", "unit", "agency"}
    assert not InspectedSubject.objects.exists()


def test_the_registry_filters_by_kind_unit_and_name_and_counts_inspections(demo, api_as):
    school = register(demo, "Trường Tiểu học Nho Quan")
    homestay = register(demo, "Homestay Tràng An Xanh", kind="tourism_business", code="14329")
    plan_inspection(demo, subjects=(school,))
    plan_inspection(demo, subjects=(school, homestay))
    client = api_as("inspector")

    def rows(**params) -> list[tuple[str, int]]:
        response = client.get("/api/v1/inspection-subjects/", params)
        assert response.status_code == 200, response.json()
        return [(r["name"], r["inspection_count"]) for r in response.json()["results"]]

    assert rows() == [("Homestay Tràng An Xanh", 1), ("Trường Tiểu học Nho Quan", 2)]
    assert rows(kind="school") == [("Trường Tiểu học Nho Quan", 2)]
    assert rows(unit="14329") == [("Homestay Tràng An Xanh", 1)]
    assert rows(q="tràng an") == [("Homestay Tràng An Xanh", 1)]
    bad = client.get("/api/v1/inspection-subjects/", {"kind": "castle", "unit": "00000"})
    assert (bad.status_code, set(bad.json())) == (400, {"kind", "unit"})


def test_a_subject_shows_the_inspections_of_it_the_reader_may_see(demo, api_as):
    school = register(demo, "Trường Tiểu học Nho Quan")
    inspection = plan_inspection(demo, subjects=(school,), title="Kiểm tra bạo lực học đường")
    url = f"/api/v1/inspection-subjects/{school.pk}/"

    body = api_as("province").get(url).json()
    assert body["inspection_count"] == 1
    rows = [(i["id"], i["title"], i["status"], i["planned_start"]) for i in body["inspections"]]
    assert rows == [
        (inspection.pk, "Kiểm tra bạo lực học đường", "planned", str(inspection.planned_start))
    ]
    # Another inspector sees the registry, but not the inspections of a team they are not on.
    colleague = APIClient()
    colleague.force_authenticate(another_inspector())
    other = colleague.get(url).json()
    assert (other["inspection_count"], other["inspections"]) == (0, [])


def test_outside_inspections_a_subject_is_found_only_through_a_visible_inspection(demo, api_as):
    inspected = register(demo, "Trường Tiểu học Nho Quan")
    register(demo, "Trường THCS Nho Quan")
    plan_inspection(demo, subjects=(inspected,))
    listed = api_as("province").get("/api/v1/inspection-subjects/").json()
    assert [r["name"] for r in listed["results"]] == ["Trường Tiểu học Nho Quan"]
    officer = api_as("officer_a")
    assert officer.get("/api/v1/inspection-subjects/").json()["count"] == 0
    assert officer.get(f"/api/v1/inspection-subjects/{inspected.pk}/").status_code == 404


def test_the_registrys_query_count_does_not_grow_with_its_rows(demo, api_as):
    client = api_as("province")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/inspection-subjects/").status_code == 200
        return len(captured.captured_queries)

    subjects = [register(demo, f"Trường số {n}") for n in range(12)]
    plan_inspection(demo, subjects=tuple(subjects[:3]))
    queries()  # the user's scope is read once and kept on the user
    few = queries()
    plan_inspection(demo, subjects=tuple(subjects))
    assert client.get("/api/v1/inspection-subjects/").json()["count"] == 12
    assert queries() == few
