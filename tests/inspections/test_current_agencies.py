"""An inspection is planned with the agencies that exist today: an agency abolished in the 2025
reforms (the district police) is kept for history but can no longer be chosen."""

from core.models import Agency
from tests.inspections.test_api_lifecycle import plan_payload

ABOLISHED = "Công an huyện Nho Quan"  # valid until 30 June 2025


def test_an_abolished_agency_cannot_be_a_member(demo, api_as):
    client = api_as("inspector")
    abolished = Agency.objects.get(name=ABOLISHED)
    refused = client.post(
        "/api/v1/inspections/", plan_payload(member_agencies=[abolished.pk]), format="json"
    )
    assert refused.status_code == 400 and "member_agencies" in str(refused.json())
    police = Agency.objects.get(name="Công an tỉnh Ninh Bình")
    accepted = client.post(
        "/api/v1/inspections/", plan_payload(member_agencies=[police.pk]), format="json"
    )
    assert accepted.status_code == 201, accepted.json()


def test_the_planning_form_offers_only_todays_agencies(demo, client):
    client.force_login(demo["inspector"])
    page = client.get("/inspections/new/").content.decode()
    assert "Công an tỉnh Ninh Bình" in page and ABOLISHED not in page
