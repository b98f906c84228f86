"""The two tables that grow without end, the audit trail and the notification outbox, as the
sysadmin reads them in the admin: newest first from the primary key's index, no count of the
whole table beside a filtered one, no counts per filter choice, and the trail's actions found
without reading the trail (docs/performance.md)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.audit import audit
from core.models import AuditEvent, User
from notifications import outbox


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser("root", "root@example.org", "x")


@pytest.fixture
def sysadmin(root: User) -> Client:
    client = Client()
    client.force_login(root)
    return client


def test_the_trail_offers_each_action_it_holds_once_and_keeps_to_the_chosen(sysadmin, root):
    for action in ("case.read", "case.create", "case.read", "report.export"):
        audit(actor=root, action=action, object_type="cases.case", object_id="1")
    held = set(AuditEvent.objects.values_list("action", flat=True))

    listed = sysadmin.get("/admin/core/auditevent/")
    chosen = sysadmin.get("/admin/core/auditevent/", {"action": "case.read"})

    choices = [
        c["display"]
        for spec in listed.context["cl"].filter_specs
        for c in spec.choices(listed.context["cl"])
    ][1:]  # after "All"
    assert sorted(choices) == sorted(held) and len(choices) == len(set(choices))
    rows = list(chosen.context["cl"].result_list)
    assert len(rows) == 2 and {row.action for row in rows} == {"case.read"}


def test_the_long_tables_list_newest_first_without_counting_them_whole(sysadmin, root, demo):
    for number in range(3):
        audit(actor=root, action="case.read", object_type="cases.case", object_id=str(number))
        outbox.notify(
            key=f"test:{number}", recipients=[demo["officer_a"]], event="case_closed", params={}
        )

    for url, query in (
        ("/admin/core/auditevent/", {"action": "case.read", "_facets": "True"}),
        ("/admin/notifications/notification/", {"channel": "in_app", "_facets": "True"}),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = sysadmin.get(url, query)
        rows = [row.pk for row in response.context["cl"].result_list]
        # The bell's count of the sysadmin's own unread notices aside.
        counts = [
            q["sql"]
            for q in captured
            if "COUNT(" in q["sql"] and '"recipient_id" =' not in q["sql"]
        ]
        assert rows == sorted(rows, reverse=True), url
        assert len(counts) == 1, (url, counts)  # the filtered rows', for the pages only
