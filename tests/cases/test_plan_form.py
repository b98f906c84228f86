"""The plan form never loses work: a returned plan opens prefilled with the chair's comments,
any number of measures, and the commune's own work needs no service (issue 14)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Plan
from tests.cases.factories import advance, make_case, plan_payload
from tests.cases.test_views import plan_post
from tests.referrals.helpers import agency


def assessed(demo):
    case = make_case(demo["officer_a"], abuse_forms=("other",))
    return advance(case, "assess_initial", officer=demo["officer_a"], chair=demo["chair_a"])


def test_a_measure_without_a_service_is_the_communes_own_work(demo):
    case = assessed(demo)
    payload = plan_payload() | {
        "measures": [
            services.MeasureData("", "Thăm gia đình hằng tuần", 90),
            services.MeasureData("psychosocial", "Tư vấn tâm lý", 14),
        ]
    }

    services.case_submit_plan(actor=demo["officer_a"], case_id=case.pk, **payload)

    plan = Plan.objects.get(case=case)
    assert sorted(plan.measures.values_list("service", flat=True)) == ["", "psychosocial"]


def test_a_measure_that_names_an_agency_needs_a_service(demo):
    case = assessed(demo)
    payload = plan_payload() | {
        "measures": [services.MeasureData("", "Hỗ trợ", 30, agency("social_support"))]
    }

    with pytest.raises(ValidationError) as refused:
        services.case_submit_plan(actor=demo["officer_a"], case_id=case.pk, **payload)

    assert "measures" in refused.value.message_dict
    assert not Plan.objects.filter(case=case).exists()


def test_the_form_takes_any_number_of_measures(client, demo):
    case = assessed(demo)
    data = plan_post(**{"measures-TOTAL_FORMS": "12"})
    for n in range(12):
        data[f"measures-{n}-description"] = f"Biện pháp {n + 1}"
        data[f"measures-{n}-timeframe_days"] = "30"
        data[f"measures-{n}-service"] = "" if n % 2 else "psychosocial"
    client.force_login(demo["officer_a"])

    response = client.post(reverse("cases:transition", args=[case.pk, "submit_plan"]), data)

    assert response.status_code == 302
    assert Plan.objects.get(case=case).measures.count() == 12


def test_a_returned_plan_opens_prefilled_with_the_chairs_comments(client, demo):
    case = assessed(demo)
    payload = plan_payload() | {
        "goals": "Trẻ được đi học lại.",
        "measures": [
            services.MeasureData("", "Thăm gia đình hằng tuần", 90),
            services.MeasureData("psychosocial", "Tư vấn tâm lý 6 buổi", 42),
        ],
    }
    services.case_submit_plan(actor=demo["officer_a"], case_id=case.pk, **payload)
    services.case_return_plan(
        actor=demo["chair_a"], case_id=case.pk, comments="Bổ sung biện pháp hỗ trợ học tập."
    )
    client.force_login(demo["officer_a"])

    response = client.get(reverse("cases:transition", args=[case.pk, "submit_plan"]))

    assert response.status_code == 200
    assert 'id="returned-plan"' in response.text
    assert "Bổ sung biện pháp hỗ trợ học tập." in response.text
    form, measures = response.context["form"], response.context["measures"]
    assert form["goals"].value() == "Trẻ được đi học lại."
    assert [m["description"].value() for m in measures.forms[:2]] == [
        "Thăm gia đình hằng tuần",
        "Tư vấn tâm lý 6 buổi",
    ]
    assert measures.forms[1]["service"].value() == "psychosocial"


def test_a_first_plan_opens_empty(client, demo):
    case = assessed(demo)
    client.force_login(demo["officer_a"])

    response = client.get(reverse("cases:transition", args=[case.pk, "submit_plan"]))

    assert 'id="returned-plan"' not in response.text
    assert response.context["form"]["goals"].value() in (None, "")


def plan_body(meeting_held_at: datetime.datetime) -> dict:
    """A plan through the API, its one measure the commune's own work (no service)."""
    return {
        "assessment_summary": "Đánh giá.",
        "needs": "Tâm lý.",
        "meeting_held_at": meeting_held_at.isoformat(),
        "meeting_participants": "Cán bộ xã",
        "meeting_minutes": "Biên bản.",
        "goals": "Trẻ an toàn.",
        "measures": [{"description": "Thăm gia đình", "timeframe_days": 60}],
    }


def test_the_api_takes_a_measure_without_a_service(api_as, demo):
    case = assessed(demo)
    body = plan_body(timezone.now())

    response = api_as("officer_a").post(
        f"/api/v1/cases/{case.pk}/transitions/submit_plan/", body, format="json"
    )

    assert response.status_code == 200, response.content
    assert Plan.objects.get(case=case).measures.get().service == ""


def test_a_meeting_dated_before_the_report_is_refused_and_changes_nothing(api_as, demo):
    """Form 03 prints the meeting's time: one before the report was received is a mistake."""
    case = assessed(demo)
    body = plan_body(case.received_at - datetime.timedelta(days=30))

    response = api_as("officer_a").post(
        f"/api/v1/cases/{case.pk}/transitions/submit_plan/", body, format="json"
    )

    assert response.status_code == 400, response.content
    received = timezone.localtime(case.received_at).strftime("%d/%m/%Y %H:%M")
    assert response.json()["meeting_held_at"] == [
        f"Thời điểm này không thể trước thời điểm tiếp nhận thông báo của hồ sơ ({received})."
    ]
    assert not Plan.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.status == "assessment"
