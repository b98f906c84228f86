"""No server-side cursors on PostgreSQL (core/settings.py): a form's options are read with one
plain statement, not DECLARE, FETCH and CLOSE, and nothing is left for PgBouncer in transaction
mode to lose between transactions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.referrals.helpers import sexual_abuse_case

pytestmark = pytest.mark.django_db


def test_the_case_pages_selects_read_their_options_plainly(client, demo):
    assert connection.vendor == "postgresql"
    case = sexual_abuse_case(demo)  # the refer-all form: an agency select per service
    client.force_login(demo["officer_a"])

    with CaptureQueriesContext(connection) as statements:
        page = client.get(f"/cases/{case.pk}/").content.decode()

    assert 'id="refer-all-form"' in page and "<option" in page
    assert not [s["sql"] for s in statements.captured_queries if "DECLARE" in s["sql"]]
