"""Need to know before acceptance (DOMAIN §6, issue 13), from one table checked against both the
API and the pages.

Each row of `TABLE` is one thing a referral could tell the receiving agency, with whether the
agency's staff read it while the referral is pending and once the agency has accepted it. The
agency reads a referral through two doors, and both must agree with the row:

- the API: the referral (`/api/v1/referrals/<id>/`) and, once open to it, the case
  (`/api/v1/cases/<id>/`, 404 before);
- the web: the referral page and, once open to it, the case page (404 before).

Two referrals of one case are checked: one the officer sends to the police with a reason typed
by hand, one the chair's approval of the plan raises to the social work centre, whose reason is
the plan measure's description.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from cases import services as case_services
from cases.choices import ConsentBasis
from cases.models import Case
from core.models import Unit, User
from core.templatetags.due_times import due
from referrals import services
from referrals.models import Referral
from tests.referrals.helpers import CONSENT, agency, refer

DATE_OF_BIRTH = datetime.date(2014, 3, 7)
POLICE_REASON = "Hoa sợ về nhà vì người chú thường lui tới buổi tối."
MEASURE = "Tư vấn tâm lý cho Hoa tại nhà bà ngoại, hai buổi mỗi tuần."
STORY = "Cô giáo phát hiện Hoa có dấu hiệu bị xâm hại tình dục."
CONDITION = "Có vết thương vùng kín, đang sợ hãi."
STAFF = {"police_report": "police", "psychosocial": "social"}


@dataclass
class World:
    case: Case
    referrals: dict[str, Referral]  # by service
    full: dict[str, dict[str, Any]]  # the commune officer's API view of each referral


@dataclass(frozen=True)
class Row:
    """One thing a referral could tell its agency. `api` and `html` give the text of it as the
    API's JSON and the page print it, from the world and the commune's full view of the
    referral; `accepted` is True, False or the services that read it once accepted."""

    what: str
    api: Callable[[World, dict[str, Any]], str]
    html: Callable[[World, dict[str, Any]], str]
    pending: bool
    accepted: bool | frozenset[str]
    key: str | None = None  # the referral's own API field, null while hidden

    def shown(self, service: str, state: str) -> bool:
        if state == "pending":
            return self.pending
        return self.accepted if isinstance(self.accepted, bool) else service in self.accepted


def field(key: str) -> Callable[[World, dict[str, Any]], str]:
    return lambda world, full: str(full[key])


def deadline(world: World, full: dict[str, Any]) -> str:
    due_at = parse_datetime(full["next_due_at"])
    assert due_at is not None
    return due(due_at)


def age(world: World, full: dict[str, Any]) -> str:
    return f"{full['child_age']} years old"


TABLE = [
    Row("case code", field("case_code"), field("case_code"), True, True, "case_code"),
    Row("commune", field("commune_name"), field("commune_name"), True, True, "commune_name"),
    Row("service", field("service_display"), field("service_display"), True, True, "service"),
    Row("urgency", field("urgency_display"), field("urgency_display"), True, True, "urgency"),
    Row(
        "child's sex",
        field("child_sex_display"),
        field("child_sex_display"),
        True,
        True,
        "child_sex_display",
    ),
    Row("child's age", lambda w, f: f'"child_age": {f["child_age"]}', age, True, True, "child_age"),
    Row("deadline", field("next_due_at"), deadline, True, True, "next_due_at"),
    # The sender's free text: for the police typed by the officer, for the social work centre
    # the plan measure's description, both naming the child.
    Row("why the child needs the service", field("reason"), field("reason"), False, True, "reason"),
    Row(
        "ground for sharing",
        lambda w, f: f'"consent_basis": "{f["consent_basis"]}"',
        lambda w, f: str(ConsentBasis(f["consent_basis"]).label),
        False,
        True,
        "consent_basis",
    ),
    Row("child's name", lambda w, f: "Đinh Thị Hoa", lambda w, f: "Đinh Thị Hoa", False, True),
    Row(
        "child's date of birth",
        lambda w, f: DATE_OF_BIRTH.isoformat(),
        lambda w, f: DATE_OF_BIRTH.strftime("%d/%m/%Y"),
        False,
        True,
    ),
    Row(
        "what happened", lambda w, f: STORY, lambda w, f: STORY, False, frozenset({"police_report"})
    ),
    # Medical details are the forensic and medical services' only.
    Row("child's condition", lambda w, f: CONDITION, lambda w, f: CONDITION, False, False),
    # The plan (its measures) is for the services that carry it out; the police never read it.
    Row(
        "the plan's measures",
        lambda w, f: MEASURE,
        lambda w, f: MEASURE,
        False,
        frozenset({"psychosocial"}),
    ),
]
# What the agency reads of a pending referral besides the rows above: the referral's own state.
REFERRAL_OWN = {
    "id",
    "commune",
    "child_sex",
    "service_display",
    "urgency_display",
    "required",
    "status",
    "status_display",
    "agency",
    "agency_name",
    "sent_at",
    "is_overdue",
    "extensions",
    "extension_history",
    "is_suspended",
    "case_id",
}


@pytest.fixture
def world(demo) -> World:
    officer, chair = demo["officer_a"], demo["chair_a"]
    case = case_services.case_create(
        actor=officer,
        commune=Unit.objects.get(structure="2025", code="14428"),
        received_at=timezone.now() - datetime.timedelta(hours=2),
        channel="hotline_111",
        source="school",
        description=STORY,
        situation="abused",
        abuse_forms=["sexual_abuse"],
        sexual_abuse_forms=["molestation"],
        setting="family",
        perpetrator_relation="relative",
        child_condition=CONDITION,
        child=case_services.ChildData(
            full_name="Đinh Thị Hoa", sex="female", date_of_birth=DATE_OF_BIRTH
        ),
    )
    police = refer(demo, case, "police_report", reason=POLICE_REASON, urgency="urgent")
    case_services.case_assess_initial(
        actor=officer,
        case_id=case.pk,
        harm_level="high",
        immediate_danger=False,
        confirmed="abuse",
        safety_measures="Ở nhà bà ngoại.",
        findings="…",
    )
    case_services.case_submit_plan(
        actor=officer,
        case_id=case.pk,
        assessment_summary="…",
        needs="…",
        meeting_held_at=timezone.now(),
        meeting_participants="…",
        meeting_minutes="…",
        goals="…",
        measures=[case_services.MeasureData("psychosocial", MEASURE, 30, agency("psychosocial"))],
        consent=CONSENT,
    )
    case_services.case_approve_plan(actor=chair, case_id=case.pk, decision_number="12/QĐ")
    raised = Referral.objects.get(case=case, service="psychosocial")
    assert raised.reason == MEASURE
    referrals = {"police_report": police, "psychosocial": raised}
    commune = api_client(officer)
    full = {s: commune.get(f"/api/v1/referrals/{r.pk}/").json() for s, r in referrals.items()}
    return World(case=case, referrals=referrals, full=full)


def api_client(user: User) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


def web_client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def through_the_api(user: User, world: World, referral: Referral) -> tuple[dict, str]:
    """The referral's JSON, and the text of all the agency reads of it through the API."""
    client = api_client(user)
    response = client.get(f"/api/v1/referrals/{referral.pk}/")
    assert response.status_code == 200
    case = client.get(f"/api/v1/cases/{world.case.pk}/")
    assert case.status_code in (200, 404)
    shown = [response.json(), case.json() if case.status_code == 200 else {}]
    return response.json(), json.dumps(shown, ensure_ascii=False)


def through_the_web(user: User, world: World, referral: Referral) -> str:
    client = web_client(user)
    page = client.get(f"/referrals/{referral.pk}/")
    assert page.status_code == 200
    case = client.get(f"/cases/{world.case.pk}/")
    assert case.status_code in (200, 404)
    return page.content.decode() + (case.content.decode() if case.status_code == 200 else "")


@pytest.mark.parametrize("state", ["pending", "accepted"])
@pytest.mark.parametrize("service", ["police_report", "psychosocial"])
def test_the_receiving_agency_reads_what_the_table_says_through_the_api_and_the_web(
    demo, world, service, state
):
    staff = demo[STAFF[service]]
    referral = world.referrals[service]
    full = world.full[service]
    if state == "accepted":
        services.referral_accept(actor=staff, referral_id=referral.pk)
        full = api_client(demo["officer_a"]).get(f"/api/v1/referrals/{referral.pk}/").json()
    body, api_text = through_the_api(staff, world, referral)
    html = through_the_web(staff, world, referral)

    wrong = []
    for row in TABLE:
        expected = row.shown(service, state)
        value, printed = row.api(world, full), row.html(world, full)
        assert value and value != "None", f"the world must give {row.what!r} a value"
        if (value in api_text) != expected:
            wrong.append(f"{row.what}: {'missing from' if expected else 'shown by'} the API")
        if (printed in html) != expected:
            wrong.append(f"{row.what}: {'missing from' if expected else 'shown on'} the page")
        if row.key and not expected:
            assert body[row.key] is None, row.what
    assert not wrong, wrong
    if state == "pending":
        # Nothing else: every other field the API gives is the referral's own state.
        allowed = {row.key for row in TABLE if row.key and row.pending} | REFERRAL_OWN
        extra = {key for key, value in body.items() if value not in (None, [], False, 0, "")}
        assert extra <= allowed, extra - allowed


@pytest.mark.parametrize("service", ["police_report", "psychosocial"])
def test_the_agencys_lists_show_a_pending_referral_as_the_table_says(demo, world, service):
    staff = demo[STAFF[service]]
    referral = world.referrals[service]
    full = world.full[service]
    rows = api_client(staff).get("/api/v1/referrals/", {"direction": "incoming"}).json()["results"]
    [body] = [row for row in rows if row["id"] == referral.pk]
    api_text = json.dumps(body, ensure_ascii=False)
    page = web_client(staff).get("/referrals/")
    assert page.status_code == 200
    html = page.content.decode()

    for row in TABLE:
        value = row.api(world, full)
        assert (value in api_text) == row.pending, row.what
        if row.key and not row.pending:
            assert body[row.key] is None, row.what
        # The inbox shows the summary the table allows, the deadline and the urgency included.
        assert (row.html(world, full) in html) == row.pending, row.what


def test_once_accepted_the_list_gives_the_reason_as_the_page_does(demo, world):
    police = demo["police"]
    referral = world.referrals["police_report"]
    services.referral_accept(actor=police, referral_id=referral.pk)
    rows = api_client(police).get("/api/v1/referrals/").json()["results"]
    [body] = [row for row in rows if row["id"] == referral.pk]
    assert body["reason"] == POLICE_REASON
    assert POLICE_REASON in web_client(police).get(f"/referrals/{referral.pk}/").content.decode()


def test_a_referral_cancelled_or_declined_before_acceptance_stays_a_summary(demo, world):
    police, social = demo["police"], demo["social"]
    cancelled = world.referrals["police_report"]
    services.referral_cancel(
        actor=demo["officer_a"], referral_id=cancelled.pk, reason="Hoa đã chuyển đi tỉnh khác."
    )
    declined = world.referrals["psychosocial"]
    services.referral_decline(actor=social, referral_id=declined.pk, reason="Hết chỗ.")

    for user, referral in ((police, cancelled), (social, declined)):
        body, api_text = through_the_api(user, world, referral)
        html = through_the_web(user, world, referral)
        assert (body["reason"], body["cancel_reason"], body["consent_basis"]) == (None,) * 3
        for text in (POLICE_REASON, MEASURE, "Hoa đã chuyển đi", "Đinh Thị Hoa"):
            assert text not in api_text and text not in html, text
    # The agency's own words stay its own.
    assert through_the_api(social, world, declined)[0]["decline_reason"] == "Hết chỗ."


def test_the_commune_reads_its_referral_whole(demo, world):
    officer = demo["officer_a"]
    referral = world.referrals["police_report"]
    body, _ = through_the_api(officer, world, referral)
    assert (body["reason"], body["consent_basis"]) == (POLICE_REASON, "consent")
    assert POLICE_REASON in through_the_web(officer, world, referral)
    outgoing = web_client(officer).get("/referrals/").content.decode()
    assert world.case.code in outgoing
    assert f"Female, {body['child_age']} years old" in outgoing
