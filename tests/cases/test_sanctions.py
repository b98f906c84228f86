"""Administrative sanctions decided for the abuse reported in a case (issue 12): recorded by the
commune's officer or chair through the service, the API and the case page, as the demo roles."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.events import SanctionRecorded
from cases.models import AdministrativeSanction, Case, CaseEvent
from core.errors import Forbidden, NotFound
from core.models import AuditEvent
from notifications.models import Notification
from referrals import services as referral_services
from tests.cases.factories import make_case
from tests.referrals.helpers import refer

COMMUNE_B = "14329"


def today() -> datetime.date:
    return timezone.localdate()


def fine(**overrides: Any) -> dict[str, Any]:
    """A fine decided by the commune's chair under the decree on children, valid as it is."""
    values: dict[str, Any] = {
        "decided_by": "commune_chair",
        "decision_number": "15/QĐ-XPHC",
        "decided_on": today(),
        "violator": "person",
        "sanction": "fine",
        "fine_amount": 7_500_000,
        "legal_basis": "Nghị định 130/2021/NĐ-CP, Điều 22",
        "notes": "Người cha đánh con.",
    }
    return values | overrides


def as_json(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in values.items()
    }


def as_form(values: dict[str, Any]) -> dict[str, Any]:
    """As the page's form sends it: dates as ISO text, nothing as an empty field."""
    return {name: "" if value is None else value for name, value in as_json(values).items()}


# Dates named in the parameters, resolved against the case when the test runs.
TOMORROW = {"decided_on": "tomorrow"}
BEFORE_THE_REPORT = {"decided_on": "the day before the report"}


def dated(case: Case, overrides: dict[str, Any]) -> dict[str, Any]:
    days = {
        "tomorrow": today() + datetime.timedelta(days=1),
        "the day before the report": timezone.localtime(case.received_at).date()
        - datetime.timedelta(days=1),
    }
    return {name: days.get(value, value) for name, value in overrides.items()}


def api_url(case: Case) -> str:
    return f"/api/v1/cases/{case.pk}/sanctions/"


def page_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def post_url(case: Case) -> str:
    return reverse("cases:sanction", args=[case.pk])


def nothing_recorded(case: Case) -> bool:
    return (
        not AdministrativeSanction.objects.filter(case=case).exists()
        and not CaseEvent.objects.filter(case=case, action="sanction").exists()
        and not AuditEvent.objects.filter(action="case.sanction").exists()
    )


def police_with_referral(demo: dict, case: Case) -> None:
    """The police accept a crime report on the case: they read part of it, not its file."""
    referral = refer(demo, case, "police_report")
    referral_services.referral_accept(actor=demo["police"], referral_id=referral.pk)


@pytest.fixture
def case(demo) -> Case:
    """A report in commune A received three days ago."""
    return make_case(demo["officer_a"], received_at=timezone.now() - datetime.timedelta(days=3))


# --- The service --------------------------------------------------------------------------------


def test_the_officer_records_a_fine_with_its_history_and_audit(demo, case):
    notifications = Notification.objects.count()

    sanction = services.case_record_sanction(actor=demo["officer_a"], case_id=case.pk, **fine())

    sanction.refresh_from_db()
    assert (sanction.case, sanction.author) == (case, demo["officer_a"])
    assert (sanction.decided_by, sanction.decision_number, sanction.decided_on) == (
        "commune_chair",
        "15/QĐ-XPHC",
        today(),
    )
    assert (sanction.violator, sanction.sanction, sanction.fine_amount) == (
        "person",
        "fine",
        7_500_000,
    )
    assert sanction.legal_basis == "Nghị định 130/2021/NĐ-CP, Điều 22"
    event = CaseEvent.objects.get(case=case, action="sanction")
    assert event.details == {"sanction": sanction.pk}
    assert event.actor == demo["officer_a"]
    assert AuditEvent.objects.filter(
        action="case.sanction", actor=demo["officer_a"], object_id=str(case.pk)
    ).exists()
    # Silent: the history shows it and the indicators count it; nobody is told.
    assert SanctionRecorded.silent
    assert Notification.objects.count() == notifications


def test_the_event_names_the_sanction_and_its_history_row(demo, case, monkeypatch):
    heard: list[SanctionRecorded] = []
    monkeypatch.setattr(services, "publish", heard.append)

    sanction = services.case_record_sanction(actor=demo["officer_a"], case_id=case.pk, **fine())

    [event] = heard
    assert isinstance(event, SanctionRecorded)
    assert (event.case, event.actor, event.sanction_id) == (case, demo["officer_a"], sanction.pk)
    assert event.history_id == CaseEvent.objects.get(case=case, action="sanction").pk


def test_the_chair_records_a_warning_without_an_amount(demo, case):
    sanction = services.case_record_sanction(
        actor=demo["chair_a"],
        case_id=case.pk,
        **fine(decided_by="police", sanction="warning", fine_amount=None, violator="organisation"),
    )

    assert (sanction.sanction, sanction.fine_amount, sanction.decided_by) == (
        "warning",
        None,
        "police",
    )


def test_a_sanction_may_be_dated_the_day_the_report_was_received(demo, case):
    received = timezone.localtime(case.received_at).date()

    sanction = services.case_record_sanction(
        actor=demo["officer_a"],
        case_id=case.pk,
        **fine(decided_on=received, sanction="confiscation", fine_amount=None),
    )

    assert sanction.decided_on == received


@pytest.mark.parametrize(
    ("username", "refusal"),
    [
        ("officer_b", NotFound),  # another commune's case
        ("chair_b", NotFound),
        ("police", NotFound),  # no referral: the police do not see the case
        ("manager", NotFound),  # aggregates only
        ("hotline", NotFound),
        ("province", Forbidden),  # sees the case, supervises; records nothing
    ],
)
def test_only_the_communes_officer_or_chair_may_record_one(demo, case, username, refusal):
    with pytest.raises(refusal):
        services.case_record_sanction(actor=demo[username], case_id=case.pk, **fine())

    assert nothing_recorded(case)


def test_the_police_reading_their_referral_may_not_record_one(demo, case):
    police_with_referral(demo, case)

    with pytest.raises(Forbidden):
        services.case_record_sanction(actor=demo["police"], case_id=case.pk, **fine())
    # Nor read the case's sanctions: they belong to its file, not to the police's service.
    with pytest.raises(Forbidden):
        services.case_sanctions(actor=demo["police"], case_id=case.pk)
    assert nothing_recorded(case)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fine_amount": None}, "fine_amount"),  # a fine without its amount
        ({"fine_amount": 0}, "fine_amount"),
        ({"sanction": "warning", "fine_amount": 200_000}, "fine_amount"),  # an amount on a warning
        ({"sanction": "licence_suspension", "fine_amount": 1}, "fine_amount"),
        (TOMORROW, "decided_on"),
        (BEFORE_THE_REPORT, "decided_on"),
        ({"decision_number": ""}, "decision_number"),
        ({"decision_number": "   "}, "decision_number"),
        ({"decision_number": "9" * 65}, "decision_number"),
        ({"decided_by": "court"}, "decided_by"),
        ({"violator": "child"}, "violator"),
        ({"sanction": "prison", "fine_amount": None}, "sanction"),
    ],
)
def test_bad_input_is_refused_by_field_and_changes_nothing(demo, case, overrides, field):
    with pytest.raises(ValidationError) as refused:
        services.case_record_sanction(
            actor=demo["officer_a"], case_id=case.pk, **fine(**dated(case, overrides))
        )

    assert field in refused.value.message_dict
    assert nothing_recorded(case)


def test_every_mistake_is_reported_at_once(demo, case):
    with pytest.raises(ValidationError) as refused:
        services.case_record_sanction(
            actor=demo["officer_a"],
            case_id=case.pk,
            **fine(
                decision_number="",
                decided_on=today() + datetime.timedelta(days=2),
                violator="child",
                fine_amount=None,
            ),
        )

    assert set(refused.value.message_dict) == {
        "decision_number",
        "decided_on",
        "violator",
        "fine_amount",
    }


def test_the_date_before_the_report_names_the_reports_date(demo, case):
    received = timezone.localtime(case.received_at).date()

    with pytest.raises(ValidationError) as refused:
        services.case_record_sanction(
            actor=demo["officer_a"],
            case_id=case.pk,
            **fine(decided_on=received - datetime.timedelta(days=1)),
        )

    [message] = refused.value.message_dict["decided_on"]
    assert received.strftime("%d/%m/%Y") in message


# --- The API ------------------------------------------------------------------------------------


def test_the_officer_records_one_through_the_api_and_it_is_listed(api_as, demo, case):
    response = api_as("officer_a").post(api_url(case), as_json(fine()), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["author"] == "officer_a"
    assert (body["decided_by"], body["decision_number"], body["decided_on"]) == (
        "commune_chair",
        "15/QĐ-XPHC",
        today().isoformat(),
    )
    assert (body["violator"], body["sanction"], body["fine_amount"]) == (
        "person",
        "fine",
        7_500_000,
    )
    assert body["legal_basis"] == "Nghị định 130/2021/NĐ-CP, Điều 22"
    assert AdministrativeSanction.objects.get(case=case).pk == body["id"]

    for username in ("officer_a", "chair_a", "province"):
        listed = api_as(username).get(api_url(case)).json()
        assert listed["count"] == 1, username
        assert listed["results"][0]["id"] == body["id"]
        assert listed["results"][0]["decision_number"] == "15/QĐ-XPHC"


def test_the_chair_records_one_through_the_api(api_as, case):
    payload = as_json(fine(sanction="licence_suspension", fine_amount=None))

    response = api_as("chair_a").post(api_url(case), payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["sanction"] == "licence_suspension"
    assert response.json()["fine_amount"] is None


@pytest.mark.parametrize(
    ("username", "status"),
    [("officer_b", 404), ("police", 404), ("manager", 404), ("province", 403)],
)
def test_the_api_refuses_others_and_changes_nothing(api_as, case, username, status):
    response = api_as(username).post(api_url(case), as_json(fine()), format="json")

    assert response.status_code == status
    assert nothing_recorded(case)


def test_the_api_refuses_the_police_reading_their_referral(api_as, demo, case):
    police_with_referral(demo, case)
    police = api_as("police")

    assert police.post(api_url(case), as_json(fine()), format="json").status_code == 403
    assert police.get(api_url(case)).status_code == 403
    assert nothing_recorded(case)


def test_the_list_of_a_case_out_of_scope_is_not_found(api_as, demo, case):
    services.case_record_sanction(actor=demo["officer_a"], case_id=case.pk, **fine())

    for username in ("officer_b", "police", "manager"):
        assert api_as(username).get(api_url(case)).status_code == 404, username


def test_a_user_out_of_scope_is_not_told_what_is_wrong_with_the_input(api_as, case):
    response = api_as("officer_b").post(api_url(case), {"sanction": "prison"}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fine_amount": None}, "fine_amount"),
        ({"sanction": "warning", "fine_amount": 200_000}, "fine_amount"),
        (TOMORROW, "decided_on"),
        (BEFORE_THE_REPORT, "decided_on"),
        ({"decision_number": ""}, "decision_number"),
        ({"sanction": "prison", "fine_amount": None}, "sanction"),
        ({"decided_by": "court"}, "decided_by"),
    ],
)
def test_the_api_answers_bad_input_with_400_and_changes_nothing(api_as, case, overrides, field):
    response = api_as("officer_a").post(
        api_url(case), as_json(fine(**dated(case, overrides))), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert nothing_recorded(case)


# --- The case page ------------------------------------------------------------------------------


def test_the_officer_records_one_on_the_case_page_and_sees_it_listed(client, demo, case):
    client.force_login(demo["officer_a"])
    page = client.get(page_url(case)).content.decode()
    assert 'id="sanctions"' in page and 'id="sanction-form"' in page
    assert 'id="no-sanctions"' in page

    response = client.post(post_url(case), as_form(fine()))

    assert response.status_code == 302
    assert response.url == page_url(case)
    sanction = AdministrativeSanction.objects.get(case=case)
    assert (sanction.author, sanction.fine_amount) == (demo["officer_a"], 7_500_000)
    page = client.get(page_url(case)).content.decode()
    assert f'data-sanction="{sanction.pk}"' in page
    assert 'data-kind="fine"' in page and 'data-fine="7500000"' in page
    assert "7.500.000" in page  # in Vietnamese, the pages' default language
    assert "15/QĐ-XPHC" in page and "Nghị định 130/2021/NĐ-CP, Điều 22" in page
    assert 'id="no-sanctions"' not in page
    assert 'data-action="sanction"' in page


def test_the_history_names_the_sanction(client, demo, case):
    services.case_record_sanction(actor=demo["officer_a"], case_id=case.pk, **fine())
    client.force_login(demo["officer_a"])

    response = client.get(page_url(case), HTTP_ACCEPT_LANGUAGE="en")

    [row] = [r for r in response.context["events"] if r["event"].action == "sanction"]
    assert row["label"] == "Administrative sanction recorded"


def test_the_chair_records_one_on_the_case_page(client, demo, case):
    client.force_login(demo["chair_a"])

    response = client.post(post_url(case), as_form(fine(sanction="warning", fine_amount=None)))

    assert response.status_code == 302
    assert AdministrativeSanction.objects.get(case=case).author == demo["chair_a"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fine_amount": None}, "fine_amount"),  # the service's check, shown on the form
        ({"sanction": "warning", "fine_amount": 200_000}, "fine_amount"),
        (TOMORROW, "decided_on"),
        (BEFORE_THE_REPORT, "decided_on"),
        ({"decision_number": ""}, "decision_number"),  # the form's own check
    ],
)
def test_bad_input_on_the_page_is_shown_on_the_form_and_saves_nothing(
    client, demo, case, overrides, field
):
    client.force_login(demo["officer_a"])

    response = client.post(post_url(case), as_form(fine(**dated(case, overrides))))

    assert response.status_code == 200
    form = response.context["sanction_form"]
    assert field in form.errors
    page = response.content.decode()
    assert 'id="add-sanction" open' in page
    assert "15/QĐ-XPHC" in page or overrides.get("decision_number") == ""
    assert nothing_recorded(case)


@pytest.mark.parametrize(
    ("username", "status"),
    [("officer_b", 404), ("manager", 404), ("province", 403), ("police", 404)],
)
def test_the_page_refuses_others_and_saves_nothing(client, demo, case, username, status):
    client.force_login(demo[username])

    assert client.post(post_url(case), as_form(fine())).status_code == status
    assert nothing_recorded(case)


def test_a_supervisor_sees_the_sanctions_without_the_form(client, demo, case):
    services.case_record_sanction(actor=demo["officer_a"], case_id=case.pk, **fine())
    client.force_login(demo["province"])

    page = client.get(page_url(case)).content.decode()

    assert 'id="sanctions"' in page and "15/QĐ-XPHC" in page
    assert 'id="sanction-form"' not in page


def test_the_police_reading_their_referral_see_no_sanction(client, demo, case):
    services.case_record_sanction(actor=demo["officer_a"], case_id=case.pk, **fine())
    police_with_referral(demo, case)
    client.force_login(demo["police"])

    response = client.get(page_url(case))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="sanctions"' not in page and "15/QĐ-XPHC" not in page
    assert client.post(post_url(case), as_form(fine())).status_code == 403
    assert AdministrativeSanction.objects.filter(case=case).count() == 1


def test_a_case_of_commune_b_is_refused_to_officer_a(client, demo):
    other = make_case(demo["officer_b"], commune_code=COMMUNE_B)
    client.force_login(demo["officer_a"])

    assert client.post(post_url(other), as_form(fine())).status_code == 404
    assert nothing_recorded(other)


# --- The same decision sent twice -----------------------------------------------------------------


def test_the_same_sanction_sent_twice_is_recorded_once(client, demo, case):
    """A double click or a form sent again would count the decision twice in the indicators."""
    client.force_login(demo["officer_a"])
    assert client.post(post_url(case), as_form(fine())).status_code == 302
    events = case.events.count()

    again = client.post(post_url(case), as_form(fine(decision_number=" 15/qđ-xphc ")))

    assert again.status_code == 200
    assert "decision_number" in again.context["sanction_form"].errors
    assert case.administrativesanctions.count() == 1
    assert case.events.count() == events


def test_the_api_refuses_the_same_sanction_again(demo, case, api_for):
    officer = api_for(demo["officer_a"])
    assert officer.post(api_url(case), as_json(fine()), format="json").status_code == 201

    again = officer.post(api_url(case), as_json(fine()), format="json")

    assert again.status_code == 400
    assert "decision_number" in again.json()
    assert case.administrativesanctions.count() == 1


@pytest.mark.parametrize(
    "other",
    [
        {"sanction": "warning", "fine_amount": None},  # another sanction of the same decision
        {"violator": "organisation"},  # the same decision sanctions another violator
        {"decision_number": "16/QĐ-XPHC"},
        {"decided_by": "police"},
    ],
)
def test_another_sanction_of_a_decision_is_a_record_of_its_own(demo, case, other):
    services.case_record_sanction(actor=demo["officer_a"], case_id=case.pk, **fine())

    services.case_record_sanction(actor=demo["officer_a"], case_id=case.pk, **fine(**other))

    assert case.administrativesanctions.count() == 2
