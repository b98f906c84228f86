"""The two tables that grow without end, the audit trail and the notification outbox, as the
sysadmin reads them in the admin: newest first from the primary key's index, no count of the
whole table beside a filtered one, no counts per filter choice, the trail's actions found
without reading the trail, and the rows' boxes written without a template each
(docs/performance.md)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import admin
from django.contrib.admin import ModelAdmin as DjangoModelAdmin
from django.db import connection
from django.test.signals import template_rendered
from django.utils import translation

from core.audit import audit
from core.models import AuditEvent
from notifications import outbox
from notifications.models import Notification


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement sent meanwhile (Django's own query log stops at 9,000)."""
    seen: list[str] = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def test_the_trail_offers_each_action_it_holds_once_and_keeps_to_the_chosen(sysadmin, root):
    for action in ("case.read", "case.create", "case.read", "report.export"):
        audit(actor=root, action=action, object_type="cases.case", object_id="1")
    held = set(AuditEvent.objects.values_list("action", flat=True))

    with statements() as captured:
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
    # Found by probing the index, not by reading every row's action.
    assert not [sql for sql in captured if "DISTINCT" in sql and "core_auditevent" in sql]


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
        with statements() as captured:
            response = sysadmin.get(url, query)
        rows = [row.pk for row in response.context["cl"].result_list]
        # The bell's count of the sysadmin's own unread notices aside.
        counts = [sql for sql in captured if "COUNT(" in sql and '"recipient_id" =' not in sql]
        assert rows == sorted(rows, reverse=True), url
        table = response.context["cl"].opts.db_table
        listed = next(sql for sql in captured if f'FROM "{table}"' in sql and "ORDER" in sql)
        assert listed.endswith(f'ORDER BY "{table}"."id" DESC'), listed  # the primary key's index
        assert len(counts) == 1, (url, counts)  # the filtered rows', for the pages only


def test_each_rows_box_is_djangos_own_markup_written_without_its_templates(sysadmin, demo):
    outbox.notify(key="test:box", recipients=[demo["officer_a"]], event="case_closed", params={})
    row = Notification.objects.get(key="test:box", channel="in_app")
    ours = admin.site.get_model_admin(Notification)

    rendered: list[str] = []

    def seen(sender, template, **kwargs) -> None:
        rendered.append(template.name)

    template_rendered.connect(seen)
    try:
        with translation.override("vi"):
            djangos = DjangoModelAdmin.action_checkbox(ours, row)
            assert rendered  # Django's goes through the widget's templates
            rendered.clear()
            assert ours.action_checkbox(row) == djangos
    finally:
        template_rendered.disconnect(seen)
    assert rendered == []
    listed = sysadmin.get("/admin/notifications/notification/").content.decode()
    assert f'value="{row.pk}" class="action-select"' in listed
