"""Agencies as they are after 2025 (DOMAIN §3): one or more kinds, a period of validity and
successors; a referral goes only to an agency that exists today."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from cases import services as case_services
from core.models import Agency, AgencyKind, Unit
from referrals import services as referral_services
from tests.referrals.helpers import CONSENT, agency, sexual_abuse_case

DAY = datetime.timedelta(days=1)


@pytest.fixture
def period(demo):
    """An agency that existed from 1 March 2020 to 30 June 2025, both days included."""
    agency = Agency.objects.create(
        name="Trung tâm thử nghiệm",
        jurisdiction=Unit.objects.get(structure="2020", code="372"),
        valid_from=datetime.date(2020, 3, 1),
        valid_to=datetime.date(2025, 6, 30),
    )
    agency.kinds.add(AgencyKind.objects.get(code="child_protection_service"))
    return agency


def named(agencies):
    return sorted(a.name for a in agencies)


# --- Kinds ---------------------------------------------------------------------------------------


def test_an_agency_with_two_kinds_is_found_by_either_and_once_by_both(demo):
    lead = Agency.objects.get(name="Sở Y tế tỉnh Ninh Bình")

    assert lead.kind_codes == {"health_department", "provincial_child_protection_lead"}
    assert lead.has_kind("health_department")
    assert lead.has_kind("police", "provincial_child_protection_lead")
    assert not lead.has_kind("police")
    assert not lead.has_kind()
    today = Agency.objects.valid_on(timezone.localdate())
    assert named(today.with_kind("health_department")) == ["Sở Y tế tỉnh Ninh Bình"]
    assert named(today.with_kind("provincial_child_protection_lead")) == ["Sở Y tế tỉnh Ninh Bình"]
    both = today.with_kind("health_department", "provincial_child_protection_lead")
    assert both.count() == 1 and named(both) == ["Sở Y tế tỉnh Ninh Bình"]


def test_with_kind_finds_the_agencies_of_every_period_and_none_for_no_kind(demo):
    assert named(Agency.objects.with_kind("provincial_child_protection_lead")) == [
        "Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình",
        "Sở Y tế tỉnh Ninh Bình",
    ]
    assert named(Agency.objects.with_kind("district_committee")) == [
        "Ủy ban nhân dân huyện Nho Quan"
    ]
    assert not Agency.objects.with_kind().exists()
    assert not Agency.objects.with_kind("no_such_kind").exists()


def test_the_kind_codes_come_from_the_prefetched_kinds_without_a_query(
    demo, django_assert_num_queries
):
    agencies = list(Agency.objects.prefetch_related("kinds"))

    with django_assert_num_queries(0):
        codes = {a.name: a.kind_codes for a in agencies}
        assert agencies[0].has_kind(*agencies[0].kind_codes)
    assert codes["Công an huyện Nho Quan"] == {"police"}
    assert codes["Sở Y tế tỉnh Ninh Bình"] == {
        "health_department",
        "provincial_child_protection_lead",
    }


def test_without_a_prefetch_the_kind_codes_are_read_again(demo, django_assert_num_queries):
    police = Agency.objects.get(name="Công an tỉnh Ninh Bình")
    police.kinds.add(AgencyKind.objects.get(code="forensic_medicine"))

    with django_assert_num_queries(1):
        assert police.kind_codes == {"police", "forensic_medicine"}
    assert Agency(name="Not saved").kind_codes == frozenset()


def test_district_committee_is_a_default_kind(demo):
    kind = AgencyKind.objects.get(code="district_committee")

    assert (kind.name, kind.name_en) == (
        "Ủy ban nhân dân cấp huyện",
        "District People's Committee",
    )


# --- Validity ------------------------------------------------------------------------------------


def test_valid_on_includes_both_ends_of_the_period(period):
    start, end = period.valid_from, period.valid_to
    assert start is not None and end is not None

    for day, valid in [
        (start - DAY, False),
        (start, True),
        (datetime.date(2024, 1, 1), True),
        (end, True),
        (end + DAY, False),
    ]:
        assert period.is_valid_on(day) is valid, day
        assert Agency.objects.valid_on(day).filter(pk=period.pk).exists() is valid, day


def test_an_agency_without_dates_is_valid_on_any_day(demo):
    police = Agency.objects.get(name="Công an tỉnh Ninh Bình")

    for day in (datetime.date(1990, 1, 1), datetime.date(2100, 1, 1)):
        assert police.is_valid_on(day)
        assert Agency.objects.valid_on(day).filter(pk=police.pk).exists()


@pytest.mark.parametrize(
    ("start", "end", "overlaps"),
    [
        ((2019, 1, 1), (2020, 2, 29), False),  # ends the day before it starts
        ((2019, 1, 1), (2020, 3, 1), True),  # ends on its first day
        ((2021, 1, 1), (2021, 12, 31), True),  # inside
        ((2019, 1, 1), (2026, 1, 1), True),  # around
        ((2025, 6, 30), (2025, 12, 31), True),  # starts on its last day
        ((2025, 7, 1), (2025, 12, 31), False),  # starts the day after it ends
    ],
)
def test_valid_during_finds_any_overlap(period, start, end, overlaps):
    during = Agency.objects.valid_during(datetime.date(*start), datetime.date(*end))

    assert during.filter(pk=period.pk).exists() is overlaps


def test_valid_during_refuses_a_period_that_ends_before_it_starts(demo):
    with pytest.raises(ValueError, match="after it ends"):
        Agency.objects.valid_during(datetime.date(2025, 2, 1), datetime.date(2025, 1, 1))


def test_the_demo_has_the_agencies_of_each_year(demo):
    def kinds_in(year):
        return named(
            Agency.objects.valid_during(
                datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            ).with_kind("police", "commune_committee", "district_committee")
        )

    assert kinds_in(2024) == [
        "Công an huyện Nho Quan",
        "Công an tỉnh Ninh Bình",
        "Ủy ban nhân dân huyện Nho Quan",
    ]
    assert kinds_in(2025) == [
        "Công an huyện Nho Quan",
        "Công an tỉnh Ninh Bình",
        "Ủy ban nhân dân huyện Nho Quan",
        "Ủy ban nhân dân phường Hoa Lư",
        "Ủy ban nhân dân xã Nho Quan",
    ]
    assert kinds_in(2026) == [
        "Công an tỉnh Ninh Bình",
        "Ủy ban nhân dân phường Hoa Lư",
        "Ủy ban nhân dân xã Nho Quan",
    ]


# --- Successors ----------------------------------------------------------------------------------


def test_an_agency_that_ceased_to_exist_names_its_successors(demo):
    def successors(name):
        return named(Agency.objects.get(name=name).successors.all())

    assert successors("Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình") == [
        "Sở Y tế tỉnh Ninh Bình"
    ]
    assert successors("Sở Thông tin và Truyền thông tỉnh Ninh Bình") == [
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Ninh Bình"
    ]
    assert successors("Ủy ban nhân dân huyện Nho Quan") == ["Ủy ban nhân dân xã Nho Quan"]
    assert successors("Công an huyện Nho Quan") == ["Công an tỉnh Ninh Bình"]
    assert successors("Công an tỉnh Ninh Bình") == []


def test_succession_is_one_way_and_the_successor_knows_its_predecessors(demo):
    police = Agency.objects.get(name="Công an tỉnh Ninh Bình")
    district_police = Agency.objects.get(name="Công an huyện Nho Quan")
    other = Agency.objects.create(name="Công an huyện Gia Viễn", jurisdiction=police.jurisdiction)
    other.successors.add(police)

    assert named(police.predecessors.all()) == ["Công an huyện Gia Viễn", "Công an huyện Nho Quan"]
    assert not police.successors.exists()
    assert named(district_police.predecessors.all()) == []


# --- Referrals -----------------------------------------------------------------------------------


def test_a_referral_to_an_agency_that_no_longer_exists_is_refused_and_names_its_successor(demo):
    case = sexual_abuse_case(demo)
    district_police = Agency.objects.get(name="Công an huyện Nho Quan")

    with pytest.raises(ValidationError) as refused:
        referral_services.referral_create(
            actor=demo["officer_a"],
            case_id=case.pk,
            service="police_report",
            agency=district_police,
            consent=CONSENT,
            reason="…",
        )

    assert refused.value.message_dict == {
        "agency": [
            "Công an huyện Nho Quan no longer exists (valid until 30/06/2025). "
            "Its work passed to Công an tỉnh Ninh Bình."
        ]
    }
    assert not case.referrals.exists()


def test_a_referral_to_an_agency_not_yet_set_up_is_refused(demo):
    case = sexual_abuse_case(demo)
    hospital = agency("medical_care")
    hospital.valid_from = timezone.localdate() + DAY
    hospital.save()

    with pytest.raises(ValidationError) as refused:
        referral_services.referral_create(
            actor=demo["officer_a"],
            case_id=case.pk,
            service="medical_care",
            agency=hospital,
            consent=CONSENT,
            reason="…",
        )

    assert "does not exist yet (valid from" in refused.value.message_dict["agency"][0]
    assert not case.referrals.exists()


def test_a_referral_goes_to_an_agency_by_any_of_its_kinds_on_its_last_valid_day(demo):
    case = sexual_abuse_case(demo)
    lead = Agency.objects.get(name="Sở Y tế tỉnh Ninh Bình")
    lead.kinds.add(AgencyKind.objects.get(code="social_support_facility"))
    lead.valid_to = timezone.localdate()
    lead.save()

    referral = referral_services.referral_create(
        actor=demo["officer_a"],
        case_id=case.pk,
        service="social_support",
        agency=lead,
        consent=CONSENT,
        reason="…",
    )

    assert referral.agency == lead


def test_the_api_refuses_a_referral_to_an_agency_that_no_longer_exists(api_as, demo):
    case = sexual_abuse_case(demo)
    district_police = Agency.objects.get(name="Công an huyện Nho Quan")

    response = api_as("officer_a").post(
        "/api/v1/referrals/",
        {
            "case": case.pk,
            "service": "police_report",
            "agency": district_police.pk,
            "urgency": "urgent",
            "consent_basis": "carer_suspected",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "Công an tỉnh Ninh Bình" in str(response.json()["agency"])
    assert not case.referrals.exists()


def test_the_referral_form_offers_only_the_providers_of_today(client: Client, demo):
    case = sexual_abuse_case(demo)
    client.force_login(demo["officer_a"])

    page = client.get(f"/cases/{case.pk}/").content.decode()

    assert "Công an tỉnh Ninh Bình" in page
    assert "Công an huyện Nho Quan" not in page
    district_police = Agency.objects.get(name="Công an huyện Nho Quan")
    response = client.post(
        f"/referrals/case/{case.pk}/refer/",
        {
            "refer-service": "police_report",
            "refer-agency": district_police.pk,
            "refer-urgency": "urgent",
            "refer-reason": "…",
            "refer-consent_basis": "carer_suspected",
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert not case.referrals.exists()


def test_a_plan_naming_an_agency_that_no_longer_exists_is_refused(demo):
    case = sexual_abuse_case(demo)
    case_services.case_assess_initial(
        actor=demo["officer_a"],
        case_id=case.pk,
        harm_level="high",
        immediate_danger=False,
        confirmed="risk",
        safety_measures="Ở nhà bà.",
        findings="",
    )
    district_police = Agency.objects.get(name="Công an huyện Nho Quan")

    with pytest.raises(ValidationError) as refused:
        case_services.case_submit_plan(
            actor=demo["officer_a"],
            case_id=case.pk,
            assessment_summary="…",
            needs="…",
            meeting_held_at=timezone.now(),
            meeting_participants="…",
            meeting_minutes="…",
            goals="…",
            measures=[
                case_services.MeasureData("police_report", "Báo công an", 5, district_police)
            ],
            consent=CONSENT,
        )

    assert refused.value.message_dict["measures"] == [
        "Công an huyện Nho Quan no longer exists (valid until 30/06/2025). "
        "Its work passed to Công an tỉnh Ninh Bình."
    ]
    assert not case.plans.exists()


# --- Administration ------------------------------------------------------------------------------


def test_the_sysadmin_lists_agencies_by_kind_and_validity(client: Client, demo):
    client.force_login(demo["admin"])
    lead_kind = AgencyKind.objects.get(code="provincial_child_protection_lead")

    by_kind = client.get("/admin/core/agency/", {"kinds__id__exact": lead_kind.pk})
    ended = client.get("/admin/core/agency/", {"valid": "ended"})
    today = client.get("/admin/core/agency/", {"valid": "today"})

    assert named(by_kind.context["cl"].result_list) == [
        "Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình",
        "Sở Y tế tỉnh Ninh Bình",
    ]
    assert named(ended.context["cl"].result_list) == [
        "Công an huyện Nho Quan",
        "Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình",
        "Sở Thông tin và Truyền thông tỉnh Ninh Bình",
        "Ủy ban nhân dân huyện Nho Quan",
    ]
    assert today.context["cl"].result_count == 11
    lead = Agency.objects.get(name="Sở Y tế tỉnh Ninh Bình")
    change = client.get(f"/admin/core/agency/{lead.pk}/change/")
    assert change.status_code == 200
    assert {"kinds", "successors", "valid_from", "valid_to"} <= set(
        change.context["adminform"].form.fields
    )
