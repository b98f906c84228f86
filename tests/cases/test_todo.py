"""The case page tells each user what to do next: the to-do panel and the summary header."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import SeparationDecision
from tests.referrals.helpers import refer, sexual_abuse_case


def page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.text


def todo_html(html: str) -> str:
    return html[html.index('id="todo"') : html.index("</section>", html.index('id="todo"'))]


def emergency(demo, *, separation: bool = False):
    case = sexual_abuse_case(demo)
    services.case_declare_emergency(
        actor=demo["officer_a"],
        case_id=case.pk,
        danger="Người gây hại sống cùng nhà.",
        measures_taken="Đưa trẻ đến nhà bà ngoại.",
        separation_proposed=separation,
        placement="Nhà bà ngoại" if separation else "",
        harm_level="high",
        confirmed="abuse",
    )
    case.refresh_from_db()
    return case


def test_a_received_case_shows_the_12_hour_assessment_deadline(client, demo):
    case = sexual_abuse_case(demo)

    todo = todo_html(page(client, demo["officer_a"], case))

    assert "Initial assessment or emergency decision (12 hours" in todo
    assert re.search(r"\d+\shours?(, \d+\sminutes?)? left", todo)
    assert 'data-transition="assess_initial"' in todo
    assert 'data-transition="declare_emergency"' in todo


def test_in_an_emergency_the_officer_is_told_to_make_the_required_referrals(client, demo):
    case = emergency(demo)

    todo = todo_html(page(client, demo["officer_a"], case))

    assert 'data-todo="refer"' in todo
    for label in ("Crime report to the police", "Forensic examination", "Legal aid"):
        assert label in todo
    assert 'href="#refer-all"' in todo
    # The emergency runs no clock of its own: the panel says so rather than nothing.
    assert "No time limit runs on the emergency itself" in todo
    assert 'id="no-steps"' not in todo


def test_impossible_steps_say_why(client, demo):
    case = emergency(demo)

    todo = todo_html(page(client, demo["officer_a"], case))

    assert 'data-unavailable="submit_plan"' in todo
    blocked = re.search(r'data-unavailable="submit_plan">([^<]+)<', todo)
    assert blocked is not None and "—" in blocked.group(1)


def test_the_chair_decides_a_waiting_separation_on_the_case_page(client, demo):
    case = emergency(demo, separation=True)
    decision = SeparationDecision.objects.get(case=case)

    todo = todo_html(page(client, demo["chair_a"], case))
    assert f'id="decide-separation-{decision.pk}"' in todo
    assert 'id="no-steps"' not in todo
    # The officer proposed it and sees no decision form.
    assert "decide-separation" not in todo_html(page(client, demo["officer_a"], case))

    client.force_login(demo["chair_a"])
    prefix = f"separation-{decision.pk}"
    response = client.post(
        reverse("cases:separation_decide", args=[decision.pk]),
        {
            "back": "case",
            f"{prefix}-approve": "yes",
            f"{prefix}-placement": "Nhà bà ngoại",
            f"{prefix}-period_days": "10",
            f"{prefix}-decision_number": "12/QĐ-UBND",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    decision.refresh_from_db()
    assert decision.outcome == SeparationDecision.Outcome.APPROVED


def test_a_refused_separation_decision_comes_back_on_the_case_page_as_typed(client, demo):
    case = emergency(demo, separation=True)
    decision = SeparationDecision.objects.get(case=case)
    client.force_login(demo["chair_a"])
    prefix = f"separation-{decision.pk}"

    response = client.post(
        reverse("cases:separation_decide", args=[decision.pk]),
        {"back": "case", f"{prefix}-approve": "yes", f"{prefix}-period_days": "40"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert 'id="case-head"' in response.text
    assert 'value="40"' in response.text
    decision.refresh_from_db()
    assert decision.outcome == SeparationDecision.Outcome.PENDING


def test_the_header_sums_up_the_case(client, demo):
    case = emergency(demo, separation=True)
    decision = SeparationDecision.objects.get(case=case)
    services.separation_decide(
        actor=demo["chair_a"],
        decision_id=decision.pk,
        approve=True,
        placement="Nhà bà ngoại",
        period_days=10,
        decision_number="12/QĐ-UBND",
        comments="",
    )

    html = page(client, demo["chair_a"], case)
    start = html.index('id="case-head"')
    head = html[start : html.index("</header>", start)]

    assert case.code in head
    assert "11 years old" in head
    assert "Female" in head
    assert 'id="flag-emergency"' in head and 'id="flag-separated"' in head
    assert "Nhà bà ngoại" in head
    # The officer who took the steps, named family name first.
    assert "Nguyễn Thị Lan" in head
    assert re.search(r'id="summary-deadline">[^—]', head)
    # The next deadline is named, not only timed.
    assert re.search(r'id="summary-deadline"><span class="deadline-what">[^<]+</span> · ', head)


def test_the_agency_sees_its_accepted_referral_to_complete_with_its_clock(client, demo):
    from referrals import services as referral_services

    case = emergency(demo)
    referral = refer(demo, case, "forensic_exam")
    referral_services.referral_accept(actor=demo["forensic"], referral_id=referral.pk)

    todo = todo_html(page(client, demo["forensic"], case))

    assert 'data-todo="agency"' in todo
    assert "Complete Forensic examination and record its outcome" in todo


def test_a_declined_referral_asks_the_officer_to_act(client, demo):
    from referrals import services as referral_services

    case = emergency(demo)
    referral = refer(demo, case, "legal_aid")
    referral_services.referral_decline(
        actor=demo["legalaid"], referral_id=referral.pk, reason="Quá tải."
    )

    todo = todo_html(page(client, demo["officer_a"], case))

    assert 'data-todo="declined"' in todo


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("user", ["officer_a", "chair_a", "province", "police"])
def test_the_page_costs_the_same_with_more_referrals(client, demo, user):
    from referrals import services as referral_services

    case = emergency(demo)
    police = refer(demo, case, "police_report")
    referral_services.referral_accept(actor=demo["police"], referral_id=police.pk)
    url = reverse("cases:detail", args=[case.pk])
    client.force_login(demo[user])
    one = queries_of(client, url)
    for service in ("forensic_exam", "medical_care", "legal_aid"):
        refer(demo, case, service)

    assert queries_of(client, url) <= one
