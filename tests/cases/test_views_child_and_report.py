"""The child and the report on the cases pages (issue 11): intake with the family and the age
limit, Form 01's new fields on the case page, and correcting the record."""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case
from tests.cases.factories import make_case
from tests.cases.test_views import intake_post


def dismiss(case: Case, officer: Any) -> None:
    services.case_dismiss(
        actor=officer, case_id=case.pk, reason="unfounded", verification="Đã gặp gia đình."
    )


def assess(case: Case, officer: Any) -> None:
    services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="medium",
        immediate_danger=False,
        findings="Vết bầm.",
        confirmed="abuse",
        safety_measures="Ở nhà bà.",
    )


def with_carer(**overrides: Any) -> dict[str, Any]:
    return intake_post(
        **{
            "reporter_address": "Thôn Đông",
            "receiving_body": "UBND xã Nho Quan",
            "report_number": "21/BC",
            "likely_harm": "Trẻ bỏ học.",
            "actions_taken": "Đã báo công an xã.",
            "family_circumstances": "Hộ nghèo.",
            "carers-0-name": "Lò Văn Páo",
            "carers-0-relation": "bố",
            "carers-0-age": "45",
            "carers-0-occupation": "làm nương",
        }
        | overrides
    )


def test_intake_records_the_family_and_form_01(client, demo):
    client.force_login(demo["officer_a"])

    response = client.post(reverse("cases:intake"), with_carer())

    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get(child__full_name="Lò Văn Khải")
    assert (case.receiving_body, case.report_number, case.reporter_address) == (
        "UBND xã Nho Quan",
        "21/BC",
        "Thôn Đông",
    )
    assert case.child.carers == [
        {
            "name": "Lò Văn Páo",
            "relation": "bố",
            "age": 45,
            "occupation": "làm nương",
            "contact": "",
        }
    ]
    page = client.get(reverse("cases:detail", args=[case.pk])).text
    for text in ("Lò Văn Páo", "làm nương", "Hộ nghèo.", "Trẻ bỏ học.", "21/BC", "Thôn Đông"):
        assert text in page


def test_intake_refuses_a_person_of_16_with_a_clear_message(client, demo):
    client.force_login(demo["officer_a"])

    response = client.post(reverse("cases:intake"), with_carer(estimated_age="16"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"estimated_age"}
    assert "16" in errors["estimated_age"][0]
    assert not Case.objects.exists()


def test_the_officer_corrects_the_record_from_the_case_page(client, demo):
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_a"])
    url = reverse("cases:correct", args=[case.pk])
    assert url in client.get(reverse("cases:detail", args=[case.pk])).text
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value not in (None, "") and not isinstance(value, bool)
    } | {"carers-TOTAL_FORMS": "1", "carers-INITIAL_FORMS": "0"}
    data |= {
        "likely_harm": "Trẻ sợ về nhà.",
        "carers-0-name": "Bà Hoa",
        "carers-0-age": "60",
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    assert case.likely_harm == "Trẻ sợ về nhà."
    assert case.child.carers[0]["name"] == "Bà Hoa"
    changed = case.events.get(action="correct").details["changed"]
    assert set(changed) == {"likely_harm", "child"}
    page = client.get(reverse("cases:detail", args=[case.pk])).text
    assert "Trẻ sợ về nhà." in page


def test_only_the_officer_corrects_an_open_case(client, demo):
    case = make_case(demo["officer_a"])
    url = reverse("cases:correct", args=[case.pk])

    client.force_login(demo["chair_a"])
    assert client.get(url).status_code == 403
    client.force_login(demo["officer_b"])
    assert client.get(url).status_code == 404
    client.force_login(demo["officer_a"])
    dismiss(case, demo["officer_a"])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])


def test_the_case_page_shows_form_02_and_the_verification(client, demo):
    kept = make_case(demo["officer_a"])
    assess(kept, demo["officer_a"])
    dropped = make_case(
        demo["officer_a"],
        full_name="Phạm Văn An",
        received_at=timezone.now() - datetime.timedelta(hours=2),
    )
    dismiss(dropped, demo["officer_a"])
    client.force_login(demo["officer_a"])

    assert "Ở nhà bà." in client.get(reverse("cases:detail", args=[kept.pk])).text
    assert "Đã gặp gia đình." in client.get(reverse("cases:detail", args=[dropped.pk])).text


def test_an_unfounded_dismissal_without_what_was_verified_is_refused_on_the_form(client, demo):
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_a"])
    url = reverse("cases:transition", args=[case.pk, "dismiss"])

    refused = client.post(url, {"reason": "unfounded", "verification": ""})

    assert refused.status_code == 200
    assert "verification" in refused.context["form"].errors
    case.refresh_from_db()
    assert case.status == "received"
    done = client.post(url, {"reason": "unfounded", "verification": "Gặp trẻ và cô giáo."})
    assert done.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.dismiss_verification) == ("closed", "Gặp trẻ và cô giáo.")


def test_form_02_on_the_page_needs_the_conclusion_and_the_measures(client, demo):
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_a"])
    url = reverse("cases:transition", args=[case.pk, "assess_initial"])

    response = client.post(url, {"harm_level": "low", "findings": "…"})

    assert response.status_code == 200
    assert {"confirmed", "safety_measures"} <= set(response.context["form"].errors)
    case.refresh_from_db()
    assert case.status == "received"
