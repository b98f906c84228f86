"""Law and policy apart (DOMAIN §7): the law's clocks cannot be changed through the admin or the
ORM; the policy defaults can, and every change is audited and shown with who made it."""

import datetime
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from core import clock_law, clocks, policy
from core.clocks import ClockKind, Span, reminder_time, span_of
from core.models import (
    AuditEvent,
    CalendarDecision,
    ClockPolicy,
    FixedByLaw,
    PolicySettings,
    Unit,
    User,
)
from core.policy import escalation_chain, reminder_fraction, small_count_threshold
from reports.suppression import suppress_cells

LAW = "test_law_clock"
POLICY = "test_policy_clock"


@pytest.fixture
def kinds(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """One kind fixed by law and one policy default, registered for this test only."""
    monkeypatch.setattr(clocks, "_kinds", dict(clocks._kinds))
    monkeypatch.setattr(clock_law, "_fixed_by_law", dict(clock_law._fixed_by_law))
    for kind, span, basis in (
        (LAW, Span(hours=12), "Decree 56 Art. 26"),
        (POLICY, Span(days=2), ""),
    ):
        clocks.register_clock_kind(
            ClockKind(
                kind=kind,
                label=kind.replace("_", " "),
                span=span,
                model=Unit,
                owners=lambda clock, unit: [],
                code=lambda unit: unit.code,
                link=lambda unit: "/",
                legal_basis=basis,
            )
        )
    yield


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    return client


def test_a_clock_fixed_by_law_refuses_a_policy_row(kinds):
    row = ClockPolicy(kind=LAW, hours=24)
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "fixed by law (Decree 56 Art. 26)" in str(refused.value.message_dict["kind"])
    with pytest.raises(FixedByLaw):
        row.save()
    assert not ClockPolicy.objects.filter(kind=LAW).exists()


def test_a_law_row_slipped_into_the_table_changes_nothing(kinds):
    ClockPolicy.objects.bulk_create([ClockPolicy(kind=LAW, hours=48)])  # no save(): raw insert

    assert span_of(LAW) == Span(hours=12)


def test_a_policy_row_changes_the_span(kinds):
    assert span_of(POLICY) == Span(days=2)
    ClockPolicy.objects.create(kind=POLICY, working_days=3)

    assert span_of(POLICY) == Span(working_days=3)


def test_a_policy_row_is_counted_in_exactly_one_unit(kinds):
    with pytest.raises(ValidationError):
        ClockPolicy(kind=POLICY, hours=4, days=1).full_clean()
    with pytest.raises(ValidationError):
        ClockPolicy(kind=POLICY).full_clean()


def test_the_admin_offers_only_policy_kinds_and_audits_a_change(kinds, admin_client):
    form = admin_client.get("/admin/core/clockpolicy/add/", HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200
    page = form.content.decode()
    assert f'value="{POLICY}"' in page
    assert f'value="{LAW}"' not in page
    assert "Fixed by law, not changeable here" in page and "Decree 56 Art. 26" in page

    refused = admin_client.post(
        "/admin/core/clockpolicy/add/", {"kind": LAW, "hours": 48, "days": 0, "working_days": 0}
    )
    assert refused.status_code == 200  # the form again, with its error
    assert not ClockPolicy.objects.exists()

    added = admin_client.post(
        "/admin/core/clockpolicy/add/", {"kind": POLICY, "hours": 0, "days": 0, "working_days": 3}
    )
    assert added.status_code == 302
    row = ClockPolicy.objects.get(kind=POLICY)
    assert row.changed_by is not None and row.changed_by.username == "root"
    changed = admin_client.post(
        f"/admin/core/clockpolicy/{row.pk}/change/",
        {"kind": POLICY, "hours": 0, "days": 0, "working_days": 4},
    )
    assert changed.status_code == 302

    events = AuditEvent.objects.filter(object_type="core.clockpolicy", object_id=str(row.pk))
    assert [e.action for e in events.order_by("at", "id")] == [
        "clock_policy.add",
        "clock_policy.change",
    ]
    last = events.filter(action="clock_policy.change").get()
    assert last.actor is not None and last.actor.username == "root"
    assert last.details["changes"] == {"working_days": [3, 4]}
    page = admin_client.get(
        f"/admin/core/clockpolicy/{row.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Working days: 3 → 4" in page and "root" in page  # the field by its label


def test_the_holidays_are_read_only_and_a_decision_is_audited(calendar, admin_client):
    assert admin_client.get("/admin/core/holiday/").status_code == 200
    assert admin_client.get("/admin/core/holiday/add/").status_code == 403

    response = admin_client.post(
        "/admin/core/calendardecision/add/",
        {"date": "2027-03-06", "kind": "working_day", "reason": "Công văn 1/BNV"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = CalendarDecision.objects.get(date=datetime.date(2027, 3, 6))
    assert decision.changed_by is not None and decision.changed_by.username == "root"
    event = AuditEvent.objects.get(action="calendar_decision.add", object_id=str(decision.pk))
    assert event.details["changes"]["kind"] == [None, "working_day"]

    admin_client.post(f"/admin/core/calendardecision/{decision.pk}/delete/", {"post": "yes"})
    assert not CalendarDecision.objects.filter(pk=decision.pk).exists()
    gone = AuditEvent.objects.get(action="calendar_decision.delete", object_id=str(decision.pk))
    assert gone.details["changes"]["reason"] == ["Công văn 1/BNV", None]


def test_without_a_row_the_settings_defaults_apply(db, settings):
    settings.CHECHO_REMINDER_FRACTION = 0.5
    settings.CHECHO_SMALL_COUNT_THRESHOLD = 3

    assert reminder_fraction() == 0.5
    assert escalation_chain() == [("commune_chair", 0), ("provincial_officer", 24)]
    assert small_count_threshold() == 3


def test_the_policy_settings_are_read_where_they_apply(db):
    PolicySettings.objects.create(
        reminder_percent=50, escalation_chain=[["commune_chair", 2]], small_count_threshold=3
    )
    start = timezone.now()

    assert reminder_time(start, start + datetime.timedelta(hours=12)) == start + datetime.timedelta(
        hours=6
    )
    assert escalation_chain() == [("commune_chair", 2)]
    cells, _total = suppress_cells([3, 2, 9], 14)
    assert [cell.display for cell in cells] == ["x", "<3", "9"]


def test_held_keeps_the_policy_read_when_it_began_and_lets_go_after(db):
    PolicySettings.objects.create(small_count_threshold=5)
    with policy.held():
        PolicySettings.objects.filter(pk=1).update(small_count_threshold=3)
        assert small_count_threshold() == 5
    assert small_count_threshold() == 3


def test_an_escalation_chain_must_name_roles_and_hours_in_order(db):
    for chain in ([], [["nobody", 0]], [["commune_chair", 24], ["provincial_officer", 0]], [[1]]):
        with pytest.raises(ValidationError):
            PolicySettings(escalation_chain=chain).full_clean()
    PolicySettings(escalation_chain=[["commune_chair", 0]]).full_clean()


def test_a_policy_change_in_the_admin_is_audited_and_shown(admin_client):
    data = {
        "reminder_percent": 60,
        "escalation_chain": '[["commune_chair", 0], ["provincial_officer", 12]]',
        "small_count_threshold": 5,
        "grant_days": 30,
        "grant_max_days": 90,
        "break_glass_hours": 24,
    }
    assert admin_client.post("/admin/core/policysettings/add/", data).status_code == 302
    assert admin_client.get("/admin/core/policysettings/add/").status_code == 403  # one row
    data["reminder_percent"] = 80
    assert admin_client.post("/admin/core/policysettings/1/change/", data).status_code == 302

    assert reminder_fraction() == 0.8
    assert escalation_chain()[1] == ("provincial_officer", 12)
    event = AuditEvent.objects.get(action="policy_settings.change")
    assert event.details["changes"] == {"reminder_percent": [60, 80]}
    page = admin_client.get(
        "/admin/core/policysettings/1/change/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Reminder at (percent of the span): 60 → 80" in page
    assert (
        admin_client.post("/admin/core/policysettings/1/delete/", {"post": "yes"}).status_code
        == 403
    )


def test_the_polices_art_147_clock_is_fixed_by_law(db):
    from referrals.clocks import accept_kind, complete_kind

    police = complete_kind("police_report")
    assert clock_law.is_fixed_by_law(police)
    assert not clock_law.is_fixed_by_law(accept_kind("police_report"))
    with pytest.raises(FixedByLaw):
        ClockPolicy.objects.create(kind=police, days=40)
