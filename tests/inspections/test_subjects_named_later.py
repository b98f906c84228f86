"""An inspection's subjects named after its plan (found in a user's walk: an inspection planned
without a subject could never get one, and its conclusion printed "Đối tượng: —"). The head of the
team names one of the registry, or registers a new one and names it, until the inspection is
concluded; the plan and the later naming offer and accept only the lead agency's province."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from core.models import Agency, Unit
from inspections import services
from inspections.models import InspectedSubject, Inspection, InspectionEvent
from tests.inspections.factories import (
    LEAD_AGENCY,
    advance,
    another_inspector,
    plan_inspection,
)

pytestmark = pytest.mark.django_db


def register(actor, name: str, unit: Unit, kind: str = "school") -> InspectedSubject:
    return services.subject_register(actor=actor, kind=kind, name=name, unit=unit)


def nho_quan() -> Unit:
    return Unit.objects.valid_on(timezone.localdate()).get(code="14428")


@pytest.fixture
def school(demo):
    return register(demo["inspector"], "Trường Tiểu học Nho Quan", nho_quan())


def url(inspection: Inspection) -> str:
    return f"/api/v1/inspections/{inspection.pk}/subjects/"


def named(inspection: Inspection) -> list[str]:
    return sorted(inspection.subjects.values_list("name", flat=True))


@pytest.mark.parametrize("state", ["planned", "in_progress", "reporting"])
def test_the_head_of_the_team_names_a_subject_until_the_conclusion(demo, api_as, school, state):
    inspection = advance(plan_inspection(demo), state, demo)

    answer = api_as("inspector").post(url(inspection), {"subject": school.pk}, format="json")

    assert answer.status_code == 201, answer.json()
    assert [s["id"] for s in answer.json()["subjects"]] == [school.pk]
    assert named(inspection) == ["Trường Tiểu học Nho Quan"]
    event = InspectionEvent.objects.get(inspection=inspection, action="subject")
    assert (event.actor, event.details) == (demo["inspector"], {"subject": school.pk})


def test_a_finding_is_then_recorded_against_it(demo, school):
    inspection = advance(plan_inspection(demo), "in_progress", demo)
    services.subject_add(actor=demo["inspector"], inspection_id=inspection.pk, subject=school)

    finding = services.finding_record(
        actor=demo["inspector"],
        inspection_id=inspection.pk,
        description="Không bố trí phòng tư vấn học đường.",
        legal_basis="Thông tư 31/2017/TT-BGDĐT",
        responsible="Hiệu trưởng",
        sanction="warning",
        subject=school,
    )
    assert finding.subject == school


def test_once_concluded_the_subjects_are_what_the_conclusion_named(demo, api_as, school):
    inspection = advance(plan_inspection(demo), "concluded", demo)

    # Refused for the state before the payload is read (409, not 400).
    for payload in ({"subject": school.pk}, {"subject": "nonsense"}):
        answer = api_as("inspector").post(url(inspection), payload, format="json")
        assert answer.status_code == 409
    assert named(inspection) == []


def test_only_the_head_of_the_team_names_subjects(demo, api_as, api_for, school, hanoi):
    member = another_inspector()
    inspection = plan_inspection(demo, members=(member,))

    assert api_for(member).post(url(inspection), {"subject": school.pk}).status_code == 403
    # Those who read the inspection without being on its team, and those who cannot see it.
    assert api_as("province").post(url(inspection), {"subject": school.pk}).status_code == 403
    assert api_for(hanoi.inspector).post(url(inspection), {"subject": school.pk}).status_code == 404
    assert named(inspection) == []
    assert not InspectionEvent.objects.filter(action="subject").exists()


def test_a_bad_subject_is_refused_and_changes_nothing(demo, api_as, school, hanoi):
    inspection = plan_inspection(demo, subjects=(school,))
    elsewhere = register(hanoi.inspector, "Trường Tiểu học Hà Nội", hanoi.ward)
    client = api_as("inspector")

    for payload in (
        {},
        {"subject": 999_999},
        {"subject": "a school"},
        {"subject": elsewhere.pk},  # of another province
        {"subject": school.pk},  # already named
    ):
        answer = client.post(url(inspection), payload, format="json")
        assert answer.status_code == 400, (payload, answer.json())
        assert list(answer.json()) == ["subject"]
    assert named(inspection) == ["Trường Tiểu học Nho Quan"]
    assert not InspectionEvent.objects.filter(action="subject").exists()


def test_a_plan_names_only_subjects_of_the_lead_agencys_province(demo, api_as, school, hanoi):
    elsewhere = register(hanoi.inspector, "Trường Tiểu học Hà Nội", hanoi.ward)
    client = api_as("inspector")
    plan = {
        "kind": "interagency",
        "topic": "school_violence",
        "title": "Kiểm tra liên ngành",
        "lead_agency": Agency.objects.get(name=LEAD_AGENCY).pk,
        "decision_number": "01/QĐ-SYT",
        "decision_date": str(timezone.localdate()),
        "planned_start": str(timezone.localdate()),
        "planned_end": str(timezone.localdate()),
    }

    refused = client.post("/api/v1/inspections/", plan | {"subjects": [elsewhere.pk]})
    assert refused.status_code == 400 and list(refused.json()) == ["subjects"]
    assert not Inspection.objects.exists()
    assert client.post("/api/v1/inspections/", plan | {"subjects": [school.pk]}).status_code == 201
    # The web's plan form offers the registry of the inspector's province only.
    page = web_page(demo, "inspector", "/inspections/new/")
    assert "Trường Tiểu học Nho Quan" in page
    assert "Trường Tiểu học Hà Nội" not in page


def web_page(demo, username: str, path: str) -> str:
    client = Client()
    client.force_login(demo[username])
    return client.get(path).content.decode()


# --- The inspection's page -------------------------------------------------------------------


def test_the_head_of_the_team_registers_a_new_subject_and_names_it_from_the_page(demo, client):
    inspection = advance(plan_inspection(demo), "in_progress", demo)
    client.force_login(demo["inspector"])
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert 'id="name-subject-form"' in page and 'id="new-subject-form"' in page

    answer = client.post(
        f"/inspections/{inspection.pk}/subjects/",
        {
            "register": "1",
            "new-subject-kind": "social_support_facility",
            "new-subject-unit": nho_quan().pk,
            "new-subject-name": "Trung tâm Bảo trợ xã hội Nho Quan",
        },
    )

    assert answer.status_code == 302
    assert answer["Location"] == f"/inspections/{inspection.pk}/#subjects"
    assert named(inspection) == ["Trung tâm Bảo trợ xã hội Nho Quan"]
    # The history says which subject was named.
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    (entry,) = re.findall(r'<li data-action="subject">(.*?)</li>', page, re.S)
    assert "Trung tâm Bảo trợ xã hội Nho Quan" in entry
    assert InspectedSubject.objects.get(name="Trung tâm Bảo trợ xã hội Nho Quan").kind == (
        "social_support_facility"
    )


def test_the_page_shows_what_was_wrong_and_names_nothing(demo, client, school):
    inspection = plan_inspection(demo, subjects=(school,))
    client.force_login(demo["inspector"])

    empty = client.post(f"/inspections/{inspection.pk}/subjects/", {"register": "1"})
    # Already named: no longer offered by the registry's list.
    again = client.post(f"/inspections/{inspection.pk}/subjects/", {"subject-subject": school.pk})

    assert empty.status_code == 200 and again.status_code == 200
    assert 'id="name-subject" open' in empty.content.decode()
    assert empty.context["new_subject_form"].errors.keys() == {"kind", "unit", "name"}
    assert "subject" in again.context["name_subject_form"].errors
    assert named(inspection) == ["Trường Tiểu học Nho Quan"]
    assert InspectedSubject.objects.count() == 1


def test_a_member_who_is_not_the_head_sees_no_form_and_is_refused(demo, client, school):
    member = another_inspector()
    inspection = plan_inspection(demo, members=(member,))
    client.force_login(member)

    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    answer = client.post(f"/inspections/{inspection.pk}/subjects/", {"subject-subject": school.pk})

    assert 'id="name-subject-form"' not in page
    assert answer.status_code == 403
    assert named(inspection) == []
