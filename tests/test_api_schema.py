"""The schema is the truth: schemathesis generates requests for every operation of the API from
its OpenAPI schema and sends them, in process, to the WSGI application as three roles — the
commune officer, the police's staff and the provincial manager, in turn — once with the ids it
generated and once with the ids of records that exist (a case, its referral to the police, an
inspection, a notification), so that it goes past the 404s into the views. Each operation gets the
schema's examples and `CHECHO_SCHEMA_EXAMPLES` generated requests (default 6);
`CHECHO_SCHEMA_COVERAGE=1` adds schemathesis's coverage phase — every boundary and invalid value
the schema defines, and the methods an operation lacks — for a deeper search by hand.

Every answer must be: not a server error; a status code the operation documents; a content type
it documents; a body and headers that match its schema. Examples are derandomised, so a failure
is the same on every run. Marked `schema_fuzz`: `.ci/run` runs it on PostgreSQL (about a
minute); `make test` leaves it out; run it alone with `pytest tests/test_api_schema.py`.
"""

import itertools
import json
import os
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.tokens import token_create
from inspections.models import InspectedSubject, Inspection
from notifications.models import Notification
from tests.inspections.test_services_lifecycle import plan
from tests.referrals.helpers import refer, sexual_abuse_case

ROLES = ("officer_a", "police", "manager")
# Each generated request is sent as the next role in turn: every operation is tried by the three
# (schemathesis sends dozens of requests per operation) at a third of the cost of sending each
# request three times.
TURNS = itertools.cycle(ROLES)
EXAMPLES = int(os.environ.get("CHECHO_SCHEMA_EXAMPLES", "6"))
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def openapi() -> dict:
    """The schema exactly as `/api/schema/` serves it (which asks for a signed-in user)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


# The coverage phase sends every boundary and invalid value the schema defines: hundreds of
# requests for an operation with a large body, too slow for every CI run.
COVERAGE = os.environ.get("CHECHO_SCHEMA_COVERAGE") == "1"
config = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": COVERAGE}}})
whole = schemathesis.openapi.from_dict(openapi(), config=config)
# The WSGI application a server calls; not imported from core.wsgi, whose import would set the
# web's time limit in the environment of every process this test run starts afterwards.
whole.app = get_wsgi_application()
# Signing out would revoke the token the next examples use; signing in is the lockout's own test
# (tests/core/test_login_throttle.py): random passwords would only lock the demo users out.
schema = whole.exclude(path_regex=r"^/api/v1/auth/")


@pytest.fixture
def world(demo):
    """Records that exist, and a token per role: what the requests are sent with."""
    case = sexual_abuse_case(demo)
    referral = refer(demo, case, "police_report")
    inspection = plan(demo)
    assert Inspection.objects.filter(pk=inspection.pk).exists()
    notification = Notification.objects.filter(recipient=demo["officer_a"]).first()
    ids = {
        "cases": case.pk,
        "referrals": referral.pk,
        "inspections": inspection.pk,
        "inspection-subjects": InspectedSubject.objects.values_list("pk", flat=True).first() or 0,
        "notifications": notification.pk if notification else 0,
        "units": "14428",
    }
    tokens = {role: token_create(user=demo[role], via="test")[1] for role in ROLES}
    # The application is called as a server would call it, and a server closes the database
    # connection after each request; here that connection holds the test's transaction. Django's
    # test client disconnects the same handlers.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield {"ids": ids, "tokens": tokens}
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def seeded(path: str, parameters: dict, ids: dict) -> dict:
    """The path's parameters with the ids of records that exist, where there is one."""
    collection = re.match(r"^/api/v1/([a-z-]+)/\{", path)
    if collection is None or collection.group(1) not in ids:
        return parameters
    name = next(iter(parameters), None)
    return {**parameters, name: ids[collection.group(1)]} if name else parameters


@pytest.mark.schema_fuzz
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_documented_and_never_a_server_error(case, world):
    role = next(TURNS)

    def send() -> None:
        headers = {"Authorization": f"Token {world['tokens'][role]}"}
        case.call_and_validate(headers=headers, checks=CHECKS)

    if case.path_parameters:
        send()  # the ids generated: mostly records that do not exist
        case.path_parameters = seeded(case.path, dict(case.path_parameters), world["ids"])
    send()
