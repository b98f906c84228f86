"""The administration speaks the sysadmin's language: deadlines, notifications, pathway rows,
roles and agency kinds by their names, never by the codes stored for them, and every heading
marked for translation (issue 14)."""

import html
import json
import re

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from django.db import models
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.functional import Promise

from cases.choices import AbuseForm, Service
from cases.clocks import CLOSURE_DECISION, PLAN_DECISION
from core.audit import audit
from core.clocks import clock_label
from core.models import AgencyKind, AuditEvent, ClockPolicy, PolicySettings, Role
from notifications import outbox, texts
from referrals.models import PathwayStep, Requirement
from reports.models import PlanSection


def visible_text(response) -> str:
    """What the page shows: its text without tags, attributes, scripts and styles."""
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def in_vietnamese(text) -> str:
    with translation.override("vi"):
        return str(text)


def test_the_deadline_policies_are_listed_by_their_deadlines(sysadmin):
    row = ClockPolicy.objects.create(kind=CLOSURE_DECISION, working_days=3)

    listed = visible_text(sysadmin.get("/admin/core/clockpolicy/"))  # Vietnamese by default
    page = visible_text(sysadmin.get(f"/admin/core/clockpolicy/{row.pk}/change/"))

    assert in_vietnamese(clock_label(CLOSURE_DECISION)) in listed
    assert CLOSURE_DECISION not in listed
    # The page's title and breadcrumbs name the deadline too; the code is only the option's value.
    assert CLOSURE_DECISION not in page
    assert page.count(in_vietnamese(clock_label(CLOSURE_DECISION))) >= 3  # title, crumb, option


def test_a_deadline_policy_change_is_shown_in_words(sysadmin):
    sysadmin.post(
        "/admin/core/clockpolicy/add/",
        {"kind": PLAN_DECISION, "hours": 0, "days": 0, "working_days": 3},
    )
    row = ClockPolicy.objects.get(kind=PLAN_DECISION)
    sysadmin.post(
        f"/admin/core/clockpolicy/{row.pk}/change/",
        {"kind": PLAN_DECISION, "hours": 0, "days": 0, "working_days": 4},
    )

    page = visible_text(
        sysadmin.get(f"/admin/core/clockpolicy/{row.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    )

    with translation.override("en"):
        label = clock_label(PLAN_DECISION)
    assert f"Deadline: — → {label}" in page
    assert "Working days: 3 → 4" in page
    assert PLAN_DECISION not in page


def test_the_escalation_chain_is_read_out_by_role(sysadmin):
    PolicySettings.objects.create(
        reminder_percent=75,
        escalation_chain=[["commune_chair", 0], ["provincial_officer", 12]],
        small_count_threshold=5,
    )

    page = visible_text(
        sysadmin.get("/admin/core/policysettings/1/change/", HTTP_ACCEPT_LANGUAGE="en")
    )

    with translation.override("en"):
        chair, provincial = Role.COMMUNE_CHAIR.label, Role.PROVINCIAL_OFFICER.label
    assert f"{chair}: at the breach; {provincial}: 12 hours after the breach" in page


def test_the_outbox_lists_notifications_by_kind_and_recipient(sysadmin, demo):
    officer = demo["officer_a"]
    outbox.notify(
        key="test:1",
        recipients=[officer],
        event="referral_received",
        params={"code": "37-2026-000001", "service": Service.POLICE_REPORT},
    )
    outbox.notify(
        key="test:2",
        recipients=[officer],
        event="clock_breached",
        params={"code": "37-2026-000001", "deadline": CLOSURE_DECISION, "due": "01/01/2026"},
    )

    listed = visible_text(sysadmin.get("/admin/notifications/notification/"))

    for event in ("referral_received", "clock_breached"):
        assert event not in listed  # neither in the rows nor in the filter
        assert in_vietnamese(texts.label(event)) in listed
    assert officer.username in listed or officer.get_full_name() in listed


def test_a_notification_shows_what_its_recipient_reads(sysadmin, demo):
    outbox.notify(
        key="test:3",
        recipients=[demo["officer_a"]],
        event="referral_received",
        params={"code": "37-2026-000002", "service": Service.POLICE_REPORT},
    )
    row = demo["officer_a"].notifications.first()

    page = visible_text(
        sysadmin.get(
            f"/admin/notifications/notification/{row.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
        )
    )

    with translation.override("en"):
        police = str(Service.POLICE_REPORT.label)
    assert f"A referral for {police} arrived (case 37-2026-000002)." in page
    assert "Referral sent → " in page  # the title: the kind, by its name
    for code in ("referral_received", "police_report", "Params"):
        assert code not in page


def test_every_kind_of_notification_has_a_name():
    assert set(texts.LABELS) == set(texts.TEXTS)


def test_the_filter_of_kinds_keeps_to_the_chosen_kind(sysadmin, demo):
    for key, event in (("test:4", "case_closed"), ("test:5", "plan_approved")):
        outbox.notify(key=key, recipients=[demo["officer_a"]], event=event, params={"code": "X"})

    response = sysadmin.get("/admin/notifications/notification/?event=case_closed")

    shown = list(response.context["cl"].result_list)
    assert shown and {row.event for row in shown} == {"case_closed"}
    with translation.override("vi"):
        # The other kind is offered in the filter, and is not in the rows.
        assert visible_text(response).count(texts.label("plan_approved")) == 1


def test_the_pathway_names_forms_of_abuse_services_and_requirements(sysadmin):
    step = PathwayStep.objects.get(abuse_form=AbuseForm.SEXUAL_ABUSE, service=Service.FORENSIC_EXAM)

    listed = visible_text(sysadmin.get("/admin/referrals/pathwaystep/"))
    page = visible_text(sysadmin.get(f"/admin/referrals/pathwaystep/{step.pk}/change/"))

    for text in (listed, page):
        for code in (AbuseForm.SEXUAL_ABUSE, Service.FORENSIC_EXAM, Requirement.REQUIRED):
            assert str(code.value) not in text
    for label in (AbuseForm.SEXUAL_ABUSE, Service.FORENSIC_EXAM, Requirement.REQUIRED):
        assert in_vietnamese(label.label) in listed
    with translation.override("vi"):
        assert str(step) in page  # the title


def test_the_users_list_names_their_roles(sysadmin, demo):
    officer = demo["officer_a"]
    role = officer.memberships.get().role

    listed = visible_text(sysadmin.get("/admin/core/user/"))

    assert in_vietnamese(Role(role).label) in listed
    assert str(role) not in listed


def test_the_trail_names_the_kind_of_record(sysadmin, root):
    audit(actor=root, action="admin.change", object_type="core.clockpolicy", object_id="1")

    listed = visible_text(sysadmin.get("/admin/core/auditevent/", HTTP_ACCEPT_LANGUAGE="en"))
    event = AuditEvent.objects.get(object_type="core.clockpolicy")
    page = visible_text(
        sysadmin.get(f"/admin/core/auditevent/{event.pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    )

    for text in (listed, page):
        assert "Deadline policy" in text
        assert "root" in text  # who did it
    assert "core.clockpolicy" not in listed  # the page's title keeps the trail's own words


def test_the_plan_names_the_agency_kinds(sysadmin):
    call_command("load_plan", verbosity=0)
    section = PlanSection.objects.exclude(agency_kinds=["*"]).exclude(agency_kinds=[]).first()
    assert section is not None

    listed = visible_text(sysadmin.get("/admin/reports/plansection/"))

    code = section.agency_kinds[0]
    assert AgencyKind.objects.get(code=code).name in listed  # the Vietnamese name
    assert code not in listed
    assert "Mục kế hoạchs" not in listed  # a plural Django made up by adding an "s"


# --- Marked for translation, whatever the catalogue holds today --------------------------------


def registered() -> list[tuple[type[models.Model], admin.ModelAdmin]]:
    return list(admin.site._registry.items())


@pytest.mark.parametrize(("model", "model_admin"), registered(), ids=lambda v: str(v))
def test_every_heading_of_the_admin_is_marked_for_translation(model, model_admin, root):
    request = RequestFactory().get("/admin/")
    request.user = root
    assert isinstance(model._meta.verbose_name, Promise)
    # Django makes a missing plural up in English ("mục kế hoạchs").
    assert "verbose_name_plural" in model._meta.original_attrs
    assert isinstance(model._meta.verbose_name_plural, Promise)
    for name in model_admin.get_list_display(request):
        if name in ("__str__", "action_checkbox"):
            continue
        _label, attr = label_for_field(name, model, model_admin, return_attr=True)
        heading = heading_of(model, name, attr)
        assert isinstance(heading, Promise), f"{model.__name__}.{name}: {heading!r}"


def heading_of(model: type[models.Model], name, attr):
    if callable(name) or attr is not None:
        return getattr(attr or name, "short_description", None)
    try:
        return getattr(model._meta.get_field(name), "verbose_name", None)
    except FieldDoesNotExist:
        return None


def javascript_catalogue(client: Client, language: str = "vi") -> dict:
    """The translations the admin's jsi18n script carries (none at all in English)."""
    page = client.get("/admin/jsi18n/", headers={"accept-language": language}).content.decode()
    found = re.search(r"const newcatalog = (\{.*?\});", page, re.DOTALL)
    return json.loads(found.group(1)) if found else {}


def test_the_admins_javascript_speaks_vietnamese_where_djangos_catalogue_is_silent(sysadmin):
    """The filter boxes' help and the calendar's days: Django's Vietnamese catalogue lacks them,
    core's completes it; what Django has stays Django's; English stays English."""
    vietnamese = javascript_catalogue(sysadmin)
    english = javascript_catalogue(sysadmin, "en")

    assert vietnamese["Choose all %s"] == "Chọn tất cả %s"
    assert vietnamese["Monday"] == "Thứ hai" and vietnamese["Sunday"] == "Chủ nhật"
    assert vietnamese["%s selected option not visible"] == ["%s mục đã chọn đang bị ẩn"]
    assert vietnamese["Choose all"] == "Chọn tất cả"  # Django's own, unchanged
    assert "Monday" not in english
    assert Client().get("/admin/jsi18n/").status_code == 302  # the admin's, for its users
