"""Every referral the pathway requires, from one form on the case page (issue 14)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from core.models import Agency
from referrals import services
from referrals.models import Referral
from referrals.providers import providers
from tests.referrals.helpers import CONSENT, agency, sexual_abuse_case

REQUIRED = ["forensic_exam", "legal_aid", "medical_care", "police_report", "social_support"]
SCHOOL = "Trường Tiểu học Nho Quan"


def emergency_case(demo):
    case = sexual_abuse_case(demo)
    case_services.case_declare_emergency(
        actor=demo["officer_a"],
        case_id=case.pk,
        danger="Người gây hại sống cùng nhà.",
        measures_taken="Đưa trẻ đến nhà bà ngoại.",
        harm_level="high",
        confirmed="abuse",
    )
    case.refresh_from_db()
    return case


def all_rows(**overrides) -> dict[str, str]:
    data = {
        "all-reason": "Trẻ bị xâm hại tình dục, cần can thiệp ngay.",
        "all-consent_basis": "consent",
        "all-consent_by_carer": "on",
        "all-consent_by_child": "on",
    }
    for service in REQUIRED:
        data[f"all-{service}-send"] = "on"
        data[f"all-{service}-agency"] = str(agency(service).pk)
        data[f"all-{service}-urgency"] = "emergency"
    return data | overrides


def post(client, user, case, data):
    client.force_login(user)
    return client.post(
        reverse("referrals:refer_all", args=[case.pk]), data, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_the_officer_sends_every_required_referral_at_once(client, demo):
    case = emergency_case(demo)

    response = post(client, demo["officer_a"], case, all_rows())

    assert response.status_code == 302
    sent = Referral.objects.filter(case=case)
    assert sorted(sent.values_list("service", flat=True)) == REQUIRED
    assert set(sent.values_list("urgency", flat=True)) == {"emergency"}
    assert all(r.required for r in sent)
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-todo="refer"' not in page.text


def test_the_form_offers_for_each_service_only_the_agencies_that_provide_it_here(demo):
    case = emergency_case(demo)

    forensic = set(providers(case.unit_path, "forensic_exam").values_list("name", flat=True))
    education = set(providers(case.unit_path, "education_support").values_list("name", flat=True))

    assert forensic == {agency("forensic_exam").name}
    assert SCHOOL not in forensic
    assert SCHOOL in education
    # A commune's school is not in the area of another commune's case.
    other = sexual_abuse_case(demo)
    other.unit_path = "2025/37/14329/"
    assert SCHOOL not in set(
        providers(other.unit_path, "education_support").values_list("name", flat=True)
    )


def options(page: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]* id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None, select_id
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def test_the_page_offers_each_row_its_providers_from_one_read_of_the_agencies(client, demo):
    case = emergency_case(demo)
    client.force_login(demo["officer_a"])

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("cases:detail", args=[case.pk])).text

    agency_reads = [q for q in captured if q["sql"].startswith('SELECT "core_agency"')]
    assert len(agency_reads) == 1, [q["sql"] for q in agency_reads]
    for service in REQUIRED:
        names = list(providers(case.unit_path, service).values_list("name", flat=True))
        assert names and options(page, f"id_all-{service}-agency") == ["---------", *names]
    everyone = list(providers(case.unit_path).values_list("name", flat=True))
    assert options(page, "id_refer-agency") == ["---------", *everyone]
    assert len(everyone) > len(set(options(page, "id_all-forensic_exam-agency")))


def test_a_ticked_service_without_an_agency_is_refused_on_its_row_and_nothing_is_sent(client, demo):
    case = emergency_case(demo)

    response = post(client, demo["officer_a"], case, all_rows(**{"all-legal_aid-agency": ""}))

    assert response.status_code == 200
    assert "Choose the agency that will provide Legal aid." in response.text
    assert "Trẻ bị xâm hại tình dục, cần can thiệp ngay." in response.text  # kept as typed
    assert 'id="refer-all" open' in response.text
    assert not Referral.objects.filter(case=case).exists()


def test_a_forged_agency_that_does_not_provide_the_service_is_refused(client, demo):
    case = emergency_case(demo)
    school = Agency.objects.get(name=SCHOOL)

    response = post(
        client, demo["officer_a"], case, all_rows(**{"all-forensic_exam-agency": str(school.pk)})
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Referral.objects.filter(case=case).exists()


def test_nothing_ticked_is_refused(client, demo):
    case = emergency_case(demo)
    data = {k: v for k, v in all_rows().items() if not k.endswith("-send")}

    response = post(client, demo["officer_a"], case, data)

    assert response.status_code == 200
    assert "Tick at least one service to refer." in response.text
    assert not Referral.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("user", "status"), [("chair_a", 403), ("officer_b", 404), ("police", 404)]
)
def test_only_the_cases_officer_refers(client, demo, user, status):
    case = emergency_case(demo)

    response = post(client, demo[user], case, all_rows())

    assert response.status_code == status
    assert not Referral.objects.filter(case=case).exists()


def test_the_service_sends_all_or_none(demo):
    case = emergency_case(demo)
    school = Agency.objects.get(name=SCHOOL)

    with pytest.raises(ValidationError) as refused:
        services.referral_create_many(
            actor=demo["officer_a"],
            case_id=case.pk,
            requests=[
                ("police_report", agency("police_report"), "emergency"),
                ("forensic_exam", school, "emergency"),
            ],
            consent=CONSENT,
            reason="Cần can thiệp.",
        )

    assert "forensic_exam-agency" in refused.value.message_dict
    assert not Referral.objects.filter(case=case).exists()


def test_the_service_refuses_a_service_twice(demo):
    case = emergency_case(demo)
    police = agency("police_report")

    with pytest.raises(ValidationError):
        services.referral_create_many(
            actor=demo["officer_a"],
            case_id=case.pk,
            requests=[
                ("police_report", police, "emergency"),
                ("police_report", police, "urgent"),
            ],
            consent=CONSENT,
            reason="Cần can thiệp.",
        )
    assert not Referral.objects.filter(case=case).exists()


def batch_body(case, **overrides):
    body = {
        "case": case.pk,
        "referrals": [
            {"service": s, "agency": agency(s).pk, "urgency": "emergency"} for s in REQUIRED
        ],
        "reason": "Trẻ bị xâm hại tình dục.",
        "consent_basis": "consent",
        "consent_by_carer": True,
        "consent_by_child": True,
    }
    return body | overrides


def test_the_api_sends_every_required_referral_at_once(api_as, demo):
    case = emergency_case(demo)

    response = api_as("officer_a").post("/api/v1/referrals/batch/", batch_body(case), format="json")

    assert response.status_code == 201, response.content
    assert sorted(r["service"] for r in response.json()) == REQUIRED
    assert Referral.objects.filter(case=case).count() == 5


def test_the_api_refuses_the_whole_batch_for_one_wrong_agency(api_as, demo):
    case = emergency_case(demo)
    body = batch_body(case)
    body["referrals"][0]["agency"] = Agency.objects.get(name=SCHOOL).pk

    response = api_as("officer_a").post("/api/v1/referrals/batch/", body, format="json")

    assert response.status_code == 400
    assert "forensic_exam-agency" in str(response.json())
    assert not Referral.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    ("user", "status"), [("chair_a", 403), ("officer_b", 404), ("police", 404)]
)
def test_the_api_batch_is_the_officers_alone(api_as, demo, user, status):
    case = emergency_case(demo)

    response = api_as(user).post("/api/v1/referrals/batch/", batch_body(case), format="json")

    assert response.status_code == status
    assert not Referral.objects.filter(case=case).exists()


def test_the_api_refuses_an_empty_batch(api_as, demo):
    case = emergency_case(demo)

    response = api_as("officer_a").post(
        "/api/v1/referrals/batch/", batch_body(case, referrals=[]), format="json"
    )

    assert response.status_code == 400
