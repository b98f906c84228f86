"""A corpus of malformed input (issue 13), sent as the demo roles would send it: bad ids, huge and
wrongly typed values, nulls, dates out of any plausible window, NUL characters and lone surrogates
in the path, the query and the body, JSON nested 5,000 deep, an oversized body, unknown fields,
negative numbers and unknown codes — to the API and to the web forms alike.

Each is refused (a 4xx; a web form comes back with the error next to its field), writes nothing
(every table holds as many rows as before, the audit trail aside: it records attempts), and
leaves every main page readable. Then: a date already stored that Python cannot read (year 1 in
Vietnam's time is 1 BC in UTC on PostgreSQL) leaves the pages readable too.
"""

import datetime
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Case, Child
from core.models import User
from referrals import services as referral_services
from tests.cases.factories import make_case
from tests.referrals.helpers import refer, sexual_abuse_case

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AFTER_TOMORROW = (TODAY + datetime.timedelta(days=2)).isoformat()
LONG_TEXT = "x" * 10_001


def new_case(**changes: Any) -> dict[str, Any]:
    """A valid report for the API, with `changes`; `child__name` changes the child's name."""
    child = {"full_name": "Nguyễn Văn An", "sex": "male", "estimated_age": 8}
    body: dict[str, Any] = {
        "commune": "14428",
        "channel": "phone",
        "source": "neighbour",
        "description": "Trẻ bị đánh.",
        "situation": "abused",
        "abuse_forms": ["physical_violence"],
        "setting": "family",
        "child": child,
    }
    for name, value in changes.items():
        if name.startswith("child__"):
            child[name.removeprefix("child__")] = value
            child.pop("estimated_age") if name == "child__date_of_birth" else None
        else:
            body[name] = value
    return body


def intake_form(**changes: str) -> dict[str, str]:
    """A valid intake form (Form 01) as the browser posts it, with `changes`."""
    return {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": "phone",
        "source": "neighbour",
        "description": "Trẻ bị đánh.",
        "situation": "abused",
        "abuse_forms": "physical_violence",
        "setting": "family",
        "perpetrator_relation": "unknown",
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "estimated_age": "8",
        "ethnicity": "01",
        "child_choice": "new",
        "carers-TOTAL_FORMS": "0",
        "carers-INITIAL_FORMS": "0",
    } | changes


def sanction_form(**changes: Any) -> dict[str, Any]:
    return {
        "decided_by": "commune_chair",
        "decision_number": "12/QĐ-XPHC",
        "decided_on": TODAY.isoformat(),
        "violator": "person",
        "sanction": "warning",
    } | changes


def inspection_plan(**changes: Any) -> dict[str, Any]:
    start = TODAY + datetime.timedelta(days=10)
    return {
        "kind": "thematic",
        "topic": "child_protection_duties",
        "lead_agency": "{lead}",
        "title": "Kiểm tra chuyên đề",
        "decision_number": "15/QĐ-SYT",
        "decision_date": TODAY.isoformat(),
        "planned_start": start.isoformat(),
        "planned_end": (start + datetime.timedelta(days=5)).isoformat(),
    } | changes


@dataclass(frozen=True)
class Bad:
    """One malformed request. `path` may name the world's records: {case}, {police}, {hospital}.

    `body` is sent as JSON when it is a dict or a list, as it is when it is bytes or text (with
    `content_type`); a web request (`web=True`) posts a form. `field` names the field refused: in
    the API's 400 answer, or next to which a web form shows its error (the form comes back with
    what the user typed, a 200, as every form of the product does)."""

    name: str
    who: str
    method: str
    path: str
    body: Any = None
    content_type: str = "application/json"
    web: bool = False
    field: str | None = None
    status: tuple[int, ...] = (400,)
    files: tuple[tuple[str, str, bytes], ...] = ()  # field name, file name, content


CORPUS = [
    # --- Ids that are not ids --------------------------------------------------------------
    Bad("referral id not a number", "officer_a", "GET", "/api/v1/referrals/abc/", status=(404,)),
    Bad(
        "notification id a boolean",
        "officer_a",
        "POST",
        "/api/v1/notifications/false/read/",
        status=(404,),
    ),
    Bad("case id negative", "officer_a", "GET", "/api/v1/cases/-1/", status=(404,)),
    Bad("case id a fraction", "officer_a", "GET", "/api/v1/cases/1.5/", status=(404,)),
    Bad(
        "case id beyond any integer column",
        "officer_a",
        "GET",
        "/api/v1/cases/99999999999999999999999/",
        status=(404,),
    ),
    Bad("agency id a word", "officer_a", "GET", "/api/v1/agencies/police/", status=(404,)),
    Bad("inspection id a word", "inspector", "GET", "/api/v1/inspections/one/", status=(404,)),
    Bad("web case id a word", "officer_a", "GET", "/cases/abc/", web=True, status=(404,)),
    Bad(
        "web case id huge",
        "officer_a",
        "GET",
        "/cases/99999999999999999999999/",
        web=True,
        status=(404,),
    ),
    Bad(
        "web notification id a word",
        "officer_a",
        "POST",
        "/notifications/false/read/",
        web=True,
        status=(404,),
    ),
    Bad(
        "referral for a case id too large",
        "officer_a",
        "POST",
        "/api/v1/referrals/",
        {"case": 10**30, "service": "medical_care", "agency": 1, "consent_basis": "consent"},
        status=(400, 404),
    ),
    Bad(
        "referral for a case id as text",
        "officer_a",
        "POST",
        "/api/v1/referrals/",
        {"case": "abc", "service": "medical_care", "agency": 1, "consent_basis": "consent"},
    ),
    Bad(
        "known child id too large",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        {k: v for k, v in new_case(child_id=10**30).items() if k != "child"},
        field="child_id",
    ),
    # --- NUL characters and lone surrogates, anywhere -----------------------------------------
    Bad("NUL in the API's query", "officer_a", "GET", "/api/v1/cases/?q=Lan%00"),
    Bad("NUL in the API's path", "officer_a", "GET", "/api/v1/cases/{case}%00/"),
    Bad("NUL in the web's query", "officer_a", "GET", "/cases/?q=%00", web=True),
    Bad("NUL in the web's path", "officer_a", "GET", "/cases/%00/", web=True),
    Bad(
        "NUL escaped in JSON",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        json.dumps(new_case(description="Trẻ\u0000")),
    ),
    Bad(
        "NUL byte in a JSON body",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        json.dumps(new_case()).encode().replace(b"phone", b"ph\x00one"),
    ),
    Bad(
        "lone surrogate escaped in JSON",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        json.dumps(new_case(child__full_name="An\ud800")),
    ),
    Bad(
        "lone surrogate encoded in a JSON body",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        json.dumps(new_case(), ensure_ascii=False).encode().replace(b"An", b"An\xed\xa0\x80"),
    ),
    Bad("lone surrogate in the query", "officer_a", "GET", "/api/v1/cases/?q=%ED%A0%80"),
    Bad(
        "NUL in a web form",
        "officer_a",
        "POST",
        "/cases/new/",
        "description=Tr%E1%BA%BB%00&channel=phone",
        content_type="application/x-www-form-urlencoded",
        web=True,
    ),
    Bad(
        "lone surrogate in a web note",
        "officer_a",
        "POST",
        "/cases/{case}/notes/",
        "text=%ED%A0%80",
        content_type="application/x-www-form-urlencoded",
        web=True,
    ),
    Bad(
        "NUL in an upload's description",
        "officer_a",
        "POST",
        "/cases/{case}/documents/",
        {"description": "Biên bản\x00"},
        content_type="multipart/form-data",
        web=True,
        files=(("upload", "bien-ban.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),),
    ),
    # --- Bodies too large, too deep, not JSON ------------------------------------------------
    Bad(
        "JSON nested 5,000 deep",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        "[" * 5000 + "]" * 5000,
    ),
    Bad(
        "JSON nested 5,000 deep inside a field",
        "officer_a",
        "POST",
        "/api/v1/cases/{case}/transitions/assess_initial/",
        '{"findings": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}",
    ),
    Bad(
        "a body over 2.5 MB",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        json.dumps(new_case(description="x" * 3_000_000)),
        status=(413,),
    ),
    Bad("a body that is not JSON", "officer_a", "POST", "/api/v1/cases/", '{"commune": '),
    Bad("a JSON list for an object", "officer_a", "POST", "/api/v1/cases/", [new_case()]),
    Bad("a JSON string for an object", "officer_a", "POST", "/api/v1/cases/", '"case"'),
    # --- Dates out of any plausible window ----------------------------------------------------
    Bad(
        "report received in year 1",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(received_at="0001-01-01T00:00"),
    ),
    Bad(
        "report received in 1999",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(received_at="1999-12-31T23:00:00+07:00"),
    ),
    Bad(
        "report received in year 9999",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(received_at="9999-12-31T23:59:59"),
    ),
    Bad(
        "report received as a number",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(received_at=1_700_000_000),
    ),
    Bad(
        "born in year 1",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(child__date_of_birth="0001-01-01"),
    ),
    Bad(
        "born after tomorrow",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(child__date_of_birth=AFTER_TOMORROW),
    ),
    Bad(
        "born 17 years before the report",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(child__date_of_birth=TODAY.replace(year=TODAY.year - 17, day=1).isoformat()),
    ),
    Bad(
        "a sanction decided in year 1",
        "officer_a",
        "POST",
        "/api/v1/cases/{case}/sanctions/",
        sanction_form(decided_on="0001-01-01"),
    ),
    Bad(
        "a sanction decided after tomorrow",
        "officer_a",
        "POST",
        "/api/v1/cases/{case}/sanctions/",
        sanction_form(decided_on=AFTER_TOMORROW),
    ),
    Bad(
        "a plan's meeting in year 1",
        "officer_a",
        "POST",
        "/api/v1/cases/{case}/transitions/submit_plan/",
        {
            "assessment_summary": "…",
            "needs": "…",
            "meeting_held_at": "0001-01-01T00:00:00Z",
            "meeting_participants": "…",
            "meeting_minutes": "…",
            "goals": "…",
            "measures": [{"service": "psychosocial", "description": "…", "timeframe_days": 7}],
        },
        status=(400, 409),
    ),
    Bad(
        "police decision dated after tomorrow",
        "police",
        "POST",
        "/api/v1/referrals/{police}/transitions/complete/",
        {
            "police_decision": "prosecuted",
            "decision_date": AFTER_TOMORROW,
            "child_friendly_room": True,
        },
    ),
    Bad(
        "police receipt in year 1",
        "police",
        "POST",
        "/api/v1/referrals/{police}/transitions/correct_receipt/",
        {"report_received_at": "0001-01-01T00:00:00+07:00"},
    ),
    Bad(
        "a time limit in year 9999",
        "police",
        "POST",
        "/api/v1/referrals/{police}/transitions/extend/",
        {"due_at": "9999-12-31T00:00:00Z", "reason": "Phức tạp"},
    ),
    Bad(
        "a discharge in year 1",
        "hospital",
        "POST",
        "/api/v1/referrals/{hospital}/transitions/complete/",
        {
            "admitted_at": "0001-01-01T00:00:00Z",
            "discharged_at": "0001-01-02T00:00:00Z",
            "summary": "…",
        },
    ),
    Bad(
        "an inspection decided in 2099",
        "inspector",
        "POST",
        "/api/v1/inspections/",
        inspection_plan(decision_date="2099-01-01"),
    ),
    Bad(
        "an inspection starting in year 1",
        "inspector",
        "POST",
        "/api/v1/inspections/",
        inspection_plan(decision_date="0001-01-01", planned_start="0001-01-01"),
    ),
    # --- Huge strings, wrong types, nulls, unknown fields and codes, negative numbers ---------
    Bad(
        "a description of 10,001 characters",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(description=LONG_TEXT),
    ),
    Bad(
        "a name of 121 characters",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(child__full_name="A" * 121),
    ),
    Bad(
        "findings of 10,001 characters",
        "officer_a",
        "POST",
        "/api/v1/cases/{case}/transitions/assess_initial/",
        {
            "harm_level": "high",
            "immediate_danger": False,
            "confirmed": "confirmed",
            "safety_measures": "…",
            "findings": LONG_TEXT,
        },
    ),
    Bad(
        "a description as a list",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(description=["Trẻ bị đánh."]),
    ),
    Bad("a null channel", "officer_a", "POST", "/api/v1/cases/", new_case(channel=None)),
    Bad("an unknown channel", "officer_a", "POST", "/api/v1/cases/", new_case(channel="fax")),
    Bad(
        "forms of abuse as a string",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(abuse_forms="physical_violence"),
    ),
    Bad(
        "a negative estimated age",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(child__estimated_age=-1),
    ),
    Bad(
        "an estimated age as a word",
        "officer_a",
        "POST",
        "/api/v1/cases/",
        new_case(child__estimated_age="eight"),
    ),
    Bad(
        "an unknown field in a correction",
        "officer_a",
        "PATCH",
        "/api/v1/cases/{case}/",
        {"status": "closed", "received_at": "0001-01-01T00:00"},
    ),
    Bad(
        "an unknown harm level",
        "officer_a",
        "POST",
        "/api/v1/cases/{case}/transitions/assess_initial/",
        {
            "harm_level": "extreme",
            "immediate_danger": "perhaps",
            "confirmed": "confirmed",
            "safety_measures": "…",
            "findings": "…",
        },
    ),
    Bad(
        "a negative fine",
        "officer_a",
        "POST",
        "/api/v1/cases/{case}/sanctions/",
        sanction_form(sanction="fine", fine_amount=-500_000),
    ),
    Bad("a list filter's unknown status", "officer_a", "GET", "/api/v1/cases/?status=lost"),
    Bad("a referral filter's negative case", "officer_a", "GET", "/api/v1/referrals/?case=-1"),
    Bad(
        "a referral filter's case past any key",
        "officer_a",
        "GET",
        "/api/v1/referrals/?case=99999999999999999999",
    ),
    Bad("an inspection filter's year as a word", "inspector", "GET", "/api/v1/inspections/?year=x"),
    Bad(
        "a duplicate check for the year 99999",
        "officer_a",
        "GET",
        "/api/v1/cases/duplicates/?full_name=An&birth_year=99999&commune=14428",
    ),
    Bad("a report's year as a word", "manager", "GET", "/api/v1/reports/indicators/?year=abc"),
    Bad("a report's year 1", "manager", "GET", "/api/v1/reports/plan-outcome/?year=0001"),
    Bad(
        "the plan page's year as a word",
        "manager",
        "GET",
        "/reports/plan/?year=abc",
        web=True,
        status=(400, 404),
    ),
    # --- The same on the web forms -----------------------------------------------------------
    Bad(
        "web intake received in year 1",
        "officer_a",
        "POST",
        "/cases/new/",
        intake_form(received_at="0001-01-01T00:00"),
        web=True,
        field="received_at",
    ),
    Bad(
        "web intake received in 2099",
        "officer_a",
        "POST",
        "/cases/new/",
        intake_form(received_at="2099-01-01T00:00"),
        web=True,
        field="received_at",
    ),
    Bad(
        "web intake born in year 1",
        "officer_a",
        "POST",
        "/cases/new/",
        intake_form(date_of_birth="0001-01-01", estimated_age=""),
        web=True,
        field="date_of_birth",
    ),
    Bad(
        "web intake with a description of 10,001 characters",
        "officer_a",
        "POST",
        "/cases/new/",
        intake_form(description=LONG_TEXT),
        web=True,
        field="description",
    ),
    Bad(
        "web intake with an unknown channel",
        "officer_a",
        "POST",
        "/cases/new/",
        intake_form(channel="fax"),
        web=True,
        field="channel",
    ),
    Bad(
        "web intake with a negative age",
        "officer_a",
        "POST",
        "/cases/new/",
        intake_form(estimated_age="-3"),
        web=True,
        field="estimated_age",
    ),
    Bad(
        "web sanction decided in year 1",
        "officer_a",
        "POST",
        "/cases/{case}/sanctions/",
        sanction_form(decided_on="0001-01-01"),
        web=True,
        field="decided_on",
    ),
    Bad(
        "web inspection decided in 2099",
        "inspector",
        "POST",
        "/inspections/new/",
        inspection_plan(decision_date="2099-01-01"),
        web=True,
        field="decision_date",
    ),
    # --- Digits int() reads and no row has; renderers and methods the API does not serve --------
    Bad(
        "web review of access '²'",
        "province",
        "POST",
        "/access/reviews/",
        {"access": "²"},
        web=True,
        status=(200,),
    ),
    Bad(
        "web plan result for task '²'",
        "police",
        "POST",
        "/reports/plan/?year=2026",
        {"task": "²", "text": "Đã phối hợp."},
        web=True,
        status=(404,),
    ),
    Bad("browsable API", "province", "GET", "/api/v1/inspections/?format=api", status=(404,)),
    Bad("format suffix", "officer_a", "GET", "/api/v1/cases.json", status=(404,)),
    Bad(
        "schema version with a newline",
        "officer_a",
        "GET",
        "/api/schema/?version=%09%0A",
        status=(200,),
    ),
    Bad("options of the API docs", "officer_a", "OPTIONS", "/api/docs/", status=(405,)),
]


def test_the_corpus_is_large_and_its_names_unique() -> None:
    assert len(CORPUS) >= 40
    assert len({bad.name for bad in CORPUS}) == len(CORPUS)


# --- The world the corpus is sent to ------------------------------------------------------------


@pytest.fixture
def world(demo: dict[str, User]) -> dict[str, Any]:
    case = make_case(demo["officer_a"])
    abused = sexual_abuse_case(demo)
    police = refer(demo, abused, "police_report")
    referral_services.referral_accept(actor=demo["police"], referral_id=police.pk)
    hospital = refer(demo, abused, "medical_care")
    referral_services.referral_accept(actor=demo["hospital"], referral_id=hospital.pk)
    lead = demo["inspector"].memberships.get().agency_id
    return {"case": case.pk, "police": police.pk, "hospital": hospital.pk, "lead": lead}


def filled(value: Any, ids: dict[str, Any]) -> Any:
    """A body with the world's ids for its placeholders ("{lead}")."""
    if isinstance(value, dict):
        return {key: filled(item, ids) for key, item in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.strip("{}") in ids:
        return ids[value.strip("{}")]
    return value


def counted_rows() -> dict[str, int]:
    """Rows per table; the audit trail records attempts, and signing in writes a session."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if "audit" not in model._meta.db_table and model._meta.db_table != "django_session"
    }


def web_client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def api_client(user: User) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def send(bad: Bad, user: User, ids: dict[str, Any]) -> Any:
    path = bad.path.format(**ids)
    client: Client = web_client(user) if bad.web else api_client(user)
    body = filled(bad.body, ids)
    if bad.content_type == "multipart/form-data":
        uploads = {name: SimpleUploadedFile(filename, data) for name, filename, data in bad.files}
        return client.post(path, {**body, **uploads})
    if bad.web and isinstance(body, dict):
        return client.generic(
            bad.method,
            path,
            urlencode(body),
            content_type="application/x-www-form-urlencoded",
        )
    if isinstance(body, dict | list):
        body = json.dumps(body)
    return client.generic(bad.method, path, body or "", content_type=bad.content_type)


def form_errors(response: Any) -> set[str]:
    found: set[str] = set()
    for context in response.context or []:
        for value in context.flatten().values():
            if hasattr(value, "errors") and hasattr(value, "fields"):
                found |= set(value.errors)
    return found


def readable(
    demo: dict[str, User], ids: dict[str, Any], readers: tuple[str, ...] = ("officer_a", "province")
) -> dict[str, int]:
    """The main pages, as the officer who recorded the case and the province see them."""
    answers = {}
    for who in (reader for reader in readers if reader != "manager"):  # no case is a manager's
        web, api = web_client(demo[who]), api_client(demo[who])
        for path in ("/", "/cases/", f"/cases/{ids['case']}/"):
            answers[f"{who} {path}"] = web.get(path).status_code
        for path in ("/api/v1/cases/", f"/api/v1/cases/{ids['case']}/"):
            answers[f"{who} {path}"] = api.get(path).status_code
    if "manager" in readers:
        answers["manager /reports/"] = web_client(demo["manager"]).get("/reports/").status_code
    return answers


@pytest.mark.parametrize("bad", CORPUS, ids=[bad.name for bad in CORPUS])
def test_malformed_input_is_refused_writes_nothing_and_leaves_the_pages_readable(
    bad: Bad, demo: dict[str, User], world: dict[str, Any]
) -> None:
    before = counted_rows()

    response = send(bad, demo[bad.who], world)

    if bad.web and bad.field:
        assert response.status_code == 200, response.content[:300]
        assert bad.field in form_errors(response)
    else:
        assert response.status_code in bad.status, response.content[:300]
    if bad.field and not bad.web:
        assert bad.field in response.json(), response.json()
    assert counted_rows() == before
    # Nothing was written (above); what an update in place could still break, the officer's
    # pages show. Every reader's pages, and the reports, are read after a stored bad date below.
    assert set(readable(demo, world, readers=("officer_a",)).values()) == {200}


# --- A stored date that Python cannot read ------------------------------------------------------


def test_a_stored_time_python_cannot_read_leaves_every_page_readable(
    demo: dict[str, User],
) -> None:
    """Year 1 at midnight in Vietnam is 1 BC in UTC: PostgreSQL holds it, Python cannot. The edge
    refuses it now; a row written before (or by hand) still lets every page answer."""
    case = make_case(demo["officer_a"])
    child = case.child
    stored = (
        "0001-01-01 00:00:00+07" if connection.vendor == "postgresql" else "0001-01-01 00:00:00"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Case._meta.db_table} SET received_at = %s WHERE id = %s", [stored, case.pk]
        )
        cursor.execute(
            f"UPDATE {Child._meta.db_table} SET date_of_birth = %s WHERE id = %s",
            ["0001-01-01", child.pk],
        )

    readers = ("officer_a", "province", "manager")
    assert set(readable(demo, {"case": case.pk}, readers=readers).values()) == {200}
    case.refresh_from_db()
    assert case.received_at.year == 1


def test_a_name_whose_fold_is_longer_than_itself_is_recorded_and_found(
    demo: dict[str, User],
) -> None:
    korean = "갃" * 120  # each syllable decomposes into three letters: 360 in the fold
    api = api_client(demo["officer_a"])

    created = api.post("/api/v1/cases/", new_case(child__full_name=korean), format="json")

    assert created.status_code == 201, created.content[:300]
    child = Child.objects.get(pk=created.json()["child"]["id"])
    assert child.full_name == korean and len(child.search_name) == 360
    found = api.get("/api/v1/cases/", {"q": korean[:10]})
    assert [row["id"] for row in found.json()["results"]] == [created.json()["id"]]


def test_a_document_larger_than_the_body_limit_still_uploads_within_its_own(
    demo: dict[str, User], settings: Any
) -> None:
    """A document may be larger than DATA_UPLOAD_MAX_MEMORY_SIZE (which counts the form's fields,
    not its files), up to CHECHO_ATTACHMENT_MAX_BYTES; the guard lets it through."""
    case = make_case(demo["officer_a"])
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 512 * 1024
    assert size < settings.CHECHO_ATTACHMENT_MAX_BYTES
    pdf = b"%PDF-1.4\n" + b"\x00" * size  # a PDF holds NUL bytes: only the fields are text
    response = web_client(demo["officer_a"]).post(
        f"/cases/{case.pk}/documents/",
        {"upload": SimpleUploadedFile("bien-ban.pdf", pdf), "description": "Biên bản"},
    )
    assert response.status_code == 302
    assert case.caseattachments.count() == 1


def test_a_calendar_month_out_of_range_shows_this_month(demo: dict[str, User]) -> None:
    inspector = web_client(demo["inspector"])
    for month in ("0001-01", "9999-12", "abc"):
        response = inspector.get("/inspections/calendar/", {"month": month})
        assert response.status_code == 200
        assert response.context["month"] == TODAY.replace(day=1)


@pytest.mark.parametrize(
    "referer,back",
    [
        ("http://testserver/cases/new/?child=3", "/cases/new/?child=3"),
        ("https://evil.example/cases/new/", None),  # another site's page is no way back
        ("", None),
    ],
)
def test_a_nul_in_a_web_form_is_explained_on_a_page_with_a_way_back(
    demo: dict[str, User], referer: str, back: str | None
) -> None:
    response = web_client(demo["officer_a"]).post(
        "/cases/new/",
        "description=Tr%E1%BA%BB%00&channel=phone",
        content_type="application/x-www-form-urlencoded",
        HTTP_REFERER=referer,
    )

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Yêu cầu bị từ chối" in page and "ký tự NUL" in page
    assert ('href="/cases/new/?child=3"' in page) is (back is not None)
    assert "evil.example" not in page
    assert not Case.objects.exists()


def test_the_refused_pages_language_buttons_work_for_a_first_visit() -> None:
    """The refused page is answered before the CSRF middleware runs; its VI/EN buttons post a
    form, so the page must still set the cookie their token belongs to (a browser that never
    visited had none, and its first click would be refused 403)."""
    browser = Client(enforce_csrf_checks=True)
    refused = browser.get("/accounts/login/", {"next": "/cases/\x00"})
    assert refused.status_code == 400
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', refused.content.decode())
    assert token is not None

    switched = browser.post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": token.group(1), "language": "en", "next": "/"}
    )

    assert switched.status_code == 302
