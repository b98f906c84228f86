"""Separation of duties (issue 13): nobody grants themselves a role, staff or superuser status or
a permission; a role that reads children's data, granted to anyone, is in the product's trail and
told to the province's provincial officers; every change the sysadmin makes in the admin is a row
of the trail. Driven as the demo `admin` (staff, not a superuser) through the admin's pages."""

import json
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from core.demo import COMMUNE_B, current_unit
from core.grants import (
    GROUP_PERMISSIONS_NOT_HELD,
    ONLY_SUPERUSERS,
    SELF_GROUP_PERMISSIONS,
    SELF_STAFF,
    Privileges,
    group_permission_refusal,
    privilege_refusals,
)
from core.models import Agency, AuditEvent, Role, RoleMembership, User
from notifications import texts
from notifications.models import Notification
from referrals.models import PathwayStep


class FormReader(HTMLParser):
    """What a browser would post from a page's form (the first but the header's log-out form):
    every field with the value the page gives it (checked boxes, selected options, text areas)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.in_form = self.done = False
        self.select: str | None = None
        self.textarea: str | None = None

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("id") != "logout-form" and not self.done:
            self.in_form = True
        if not self.in_form or (not a.get("name") and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(a["name"], a.get("value", "on"))
                return
            self.add(a["name"], a.get("value", ""))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select is not None and "selected" in a:
            self.add(self.select, a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.add(self.textarea, "")

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_of(client: Client, url: str) -> dict[str, list[str]]:
    page = client.get(url)
    assert page.status_code == 200, url
    reader = FormReader()
    reader.feed(page.content.decode())
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data


def post(client: Client, url: str, data: dict[str, list[str]]):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


def trail(action_prefix: str = "admin.") -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__startswith=action_prefix).order_by("id"))


@pytest.fixture
def admin_user(demo) -> User:
    admin = demo["admin"]
    # The product runs without a superuser: the sysadmin is staff with the configuration's
    # permissions (core/demo.py, SYSADMIN_MODELS), and every test here acts as it.
    assert admin.is_staff and not admin.is_superuser
    return admin


@pytest.fixture
def as_admin(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def change_url(user: User) -> str:
    return f"/admin/core/user/{user.pk}/change/"


def add_role(data: dict[str, list[str]], role: str, *, unit: int | None = None) -> None:
    """Fill the inline's empty row (the page offers one) with a role."""
    index = int(data["memberships-TOTAL_FORMS"][0]) - 1
    data[f"memberships-{index}-role"] = [role]
    data[f"memberships-{index}-unit"] = [str(unit)] if unit else []


def test_the_admin_cannot_grant_itself_a_case_role(as_admin, admin_user):
    data = form_of(as_admin, change_url(admin_user))
    add_role(data, Role.COMMUNE_OFFICER, unit=current_unit(COMMUNE_B).pk)

    response = post(as_admin, change_url(admin_user), data)

    assert response.status_code == 200  # the form again
    assert "You cannot grant yourself a role; another administrator must do it." in (
        response.content.decode()
    )
    assert list(RoleMembership.objects.filter(user=admin_user).values_list("role", flat=True)) == [
        Role.SYSADMIN
    ]
    assert trail() == []
    assert not Notification.objects.filter(event="case_role_granted").exists()


def test_the_admin_cannot_make_itself_a_superuser(as_admin, admin_user):
    data = form_of(as_admin, change_url(admin_user))
    assert "is_superuser" not in data and data["is_staff"] == ["on"]
    data["is_superuser"] = ["on"]

    response = post(as_admin, change_url(admin_user), data)

    assert response.status_code == 200
    assert "You cannot make yourself a superuser; another administrator must do it." in (
        response.content.decode()
    )
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert trail() == []


def test_the_admin_cannot_give_itself_a_permission(as_admin, admin_user):
    before = admin_user.get_all_permissions()
    data = form_of(as_admin, change_url(admin_user))
    audit_view = Permission.objects.get(codename="view_auditevent")
    data.setdefault("user_permissions", []).append(str(audit_view.pk))

    response = post(as_admin, change_url(admin_user), data)

    assert response.status_code == 200
    assert "You cannot give yourself permissions; another administrator must do it." in (
        response.content.decode()
    )
    assert User.objects.get(pk=admin_user.pk).get_all_permissions() == before
    assert trail() == []


def test_nobody_gives_themselves_staff_status():
    user = User(pk=7, username="someone")

    refusals = privilege_refusals(
        actor=user, user=user, before=Privileges(), after=Privileges(is_staff=True)
    )

    assert refusals == {"is_staff": SELF_STAFF}


def test_only_a_superuser_makes_a_superuser_and_nobody_gives_what_they_do_not_hold(
    as_admin, admin_user, demo
):
    officer = demo["officer_a"]
    data = form_of(as_admin, change_url(officer))
    data["is_superuser"] = ["on"]
    data["user_permissions"] = [str(Permission.objects.get(codename="view_auditevent").pk)]

    response = post(as_admin, change_url(officer), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert str(ONLY_SUPERUSERS) in page
    assert "You can give only permissions you hold yourself, not: core.view_auditevent." in page
    officer.refresh_from_db()
    assert not officer.is_superuser and not officer.user_permissions.exists()
    assert trail() == []


def test_a_group_takes_no_permission_from_a_member_nor_one_its_giver_lacks(demo):
    holder = demo["admin"]
    group = Group.objects.create(name="configuration")
    audit_view = Permission.objects.filter(codename="view_auditevent")
    unit_view = Permission.objects.filter(codename="view_unit")

    assert group_permission_refusal(actor=holder, group=group, added=audit_view) == (
        "You can give only permissions you hold yourself, not: core.view_auditevent."
    )
    assert group_permission_refusal(actor=holder, group=group, added=unit_view) is None
    holder.groups.add(group)
    assert group_permission_refusal(actor=holder, group=group, added=unit_view) == (
        SELF_GROUP_PERMISSIONS
    )
    other = User.objects.create_user("newcomer")
    group.permissions.set(audit_view)
    refusals = privilege_refusals(
        actor=holder,
        user=other,
        before=Privileges(),
        after=Privileges(groups=frozenset({group.pk})),
    )
    assert refusals == {"groups": GROUP_PERMISSIONS_NOT_HELD % {"groups": "configuration"}}


def test_officer_bs_role_given_to_a_new_user_is_audited_and_told_to_the_province(
    as_admin, admin_user, demo
):
    account = form_of(as_admin, "/admin/core/user/add/")
    account |= {
        "username": ["newofficer"],
        "usable_password": ["true"],
        "password1": ["a-Long-enough-secret-42"],
        "password2": ["a-Long-enough-secret-42"],
    }
    added = post(as_admin, "/admin/core/user/add/", account)
    assert added.status_code == 302, added.content.decode()
    newcomer = User.objects.get(username="newofficer")
    data = form_of(as_admin, change_url(newcomer))
    commune_b = current_unit(COMMUNE_B)
    add_role(data, Role.COMMUNE_OFFICER, unit=commune_b.pk)

    changed = post(as_admin, change_url(newcomer), data)

    assert changed.status_code == 302, changed.content.decode()
    membership = RoleMembership.objects.get(user=newcomer)
    assert (membership.role, membership.unit) == (Role.COMMUNE_OFFICER, commune_b)
    # The trail: the account added (its password named, never its value), then the role.
    rows = trail()
    assert [(row.action, row.object_type, row.actor) for row in rows] == [
        ("admin.add", "core.user", admin_user),
        ("admin.add", "core.rolemembership", admin_user),
    ]
    assert rows[0].details == {"fields": ["password", "username"]}
    assert rows[1].object_id == str(membership.pk)
    assert rows[1].details == {
        "fields": ["role", "unit"],
        "user": newcomer.pk,
        "role": Role.COMMUNE_OFFICER,
        "unit": commune_b.pk,
        "agency": None,
        "reads_children": True,
    }
    assert newcomer.password not in json.dumps([row.details for row in rows])
    # The province's provincial officer is told, in the outbox, keyed by the grant's audit row.
    notices = Notification.objects.filter(event="case_role_granted")
    assert {notice.recipient for notice in notices} == {demo["province"]}
    assert {notice.key for notice in notices} == {f"role-granted:{rows[1].pk}"}
    notice = notices.first()
    assert notice is not None
    assert texts.render(notice.event, notice.params, "en") == (
        f"admin gave newofficer the role “Commune child-protection officer” for {commune_b}."
    )


def test_a_role_that_reads_no_child_is_audited_and_told_to_nobody(as_admin, demo):
    manager = demo["manager"]
    data = form_of(as_admin, change_url(manager))
    add_role(data, Role.MANAGER, unit=current_unit(COMMUNE_B).pk)

    assert post(as_admin, change_url(manager), data).status_code == 302

    [row] = [row for row in trail() if row.object_type == "core.rolemembership"]
    assert row.details["role"] == Role.MANAGER and row.details["reads_children"] is False
    assert not Notification.objects.filter(event="case_role_granted").exists()


def test_a_role_removed_is_audited(as_admin, demo):
    officer = demo["officer_b"]
    membership = RoleMembership.objects.get(user=officer)
    data = form_of(as_admin, change_url(officer))
    data["memberships-0-DELETE"] = ["on"]

    assert post(as_admin, change_url(officer), data).status_code == 302

    assert not RoleMembership.objects.filter(user=officer).exists()
    [row] = [row for row in trail() if row.object_type == "core.rolemembership"]
    assert (row.action, row.object_id) == ("admin.delete", str(membership.pk))
    assert row.details["role"] == Role.COMMUNE_OFFICER


def test_an_agency_edited_is_audited(as_admin, admin_user):
    agency = Agency.objects.get(name="Công an tỉnh Ninh Bình")
    url = f"/admin/core/agency/{agency.pk}/change/"
    data = form_of(as_admin, url)
    data["name"] = ["Công an tỉnh Ninh Bình (Phòng Cảnh sát hình sự)"]

    assert post(as_admin, url, data).status_code == 302

    [row] = trail()
    assert (row.action, row.object_type, row.object_id, row.actor) == (
        "admin.change",
        "core.agency",
        str(agency.pk),
        admin_user,
    )
    assert row.details == {"fields": ["name"]}


def test_a_password_set_in_the_admin_is_audited_without_it(as_admin, demo):
    officer = demo["officer_a"]
    url = f"/admin/core/user/{officer.pk}/password/"

    response = post(
        as_admin,
        url,
        {
            "usable_password": ["true"],
            "password1": ["another-Long-secret-7"],
            "password2": ["another-Long-secret-7"],
        },
    )

    assert response.status_code == 302
    [row] = trail()
    assert (row.action, row.object_id, row.details) == (
        "admin.change",
        str(officer.pk),
        {"fields": ["password"]},
    )
    # Whoever holds the password reads what the officer reads: the officer, who did not choose
    # it, and the province's officers are told; the administrator is not told of their own act.
    told = Notification.objects.filter(event="password_set", channel="in_app")
    assert set(told.values_list("recipient__username", flat=True)) == {"officer_a", "province"}
    assert all(notice.params == {"actor": "admin", "user": "officer_a"} for notice in told)


def test_a_password_of_an_account_reading_no_child_is_told_to_its_owner_alone(as_admin, demo):
    manager = demo["manager"]
    response = post(
        as_admin,
        f"/admin/core/user/{manager.pk}/password/",
        {
            "usable_password": ["true"],
            "password1": ["another-Long-secret-7"],
            "password2": ["another-Long-secret-7"],
        },
    )
    assert response.status_code == 302
    told = Notification.objects.filter(event="password_set", channel="in_app")
    assert list(told.values_list("recipient__username", flat=True)) == ["manager"]


def test_another_apps_admin_is_audited_through_the_admin_log(as_admin, admin_user):
    steps = list(PathwayStep.objects.order_by("pk")[:3])
    assert len(steps) == 3, "the default pathway is loaded with the reference data"
    first = steps[0]
    url = f"/admin/referrals/pathwaystep/{first.pk}/change/"
    data = form_of(as_admin, url)
    other = next(
        value
        for value in PathwayStep._meta.get_field("requirement").choices  # type: ignore[union-attr]
        if value[0] != first.requirement
    )
    data["requirement"] = [other[0]]

    assert post(as_admin, url, data).status_code == 302

    [changed] = trail()
    assert (changed.action, changed.object_type, changed.object_id, changed.actor) == (
        "admin.change",
        "referrals.pathwaystep",
        str(first.pk),
        admin_user,
    )
    assert changed.details["fields"] == ["requirement"]

    # Several at once: Django logs them in one bulk insert; each is still a row of the trail.
    deleted = post(
        as_admin,
        "/admin/referrals/pathwaystep/",
        {
            "action": ["delete_selected"],
            "_selected_action": [str(step.pk) for step in steps[1:]],
            "post": ["yes"],
        },
    )
    assert deleted.status_code == 302
    assert not PathwayStep.objects.filter(pk__in=[step.pk for step in steps[1:]]).exists()
    removed = [row for row in trail() if row.action == "admin.delete"]
    assert sorted((row.object_type, row.object_id) for row in removed) == sorted(
        ("referrals.pathwaystep", str(step.pk)) for step in steps[1:]
    )


def test_the_admin_sending_failed_notifications_again_is_in_the_trail(
    as_admin, admin_user, demo, django_capture_on_commit_callbacks
):
    failed, sent = (
        Notification.objects.create(
            key=f"k{status}",
            recipient=demo["officer_a"],
            channel="email",
            event="case_received",
            status=status,
            attempts=5,
        )
        for status in ("failed", "sent")
    )
    with django_capture_on_commit_callbacks(execute=False):
        response = as_admin.post(
            "/admin/notifications/notification/",
            {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)
    assert sent.status == "sent"  # a sent notification is never sent twice
    row = AuditEvent.objects.get(action="notification.retried")
    assert row.actor == admin_user and row.details == {"ids": [failed.pk]}


def test_the_admin_takes_over_no_account_that_holds_more_than_it(as_admin, admin_user, demo):
    """A superuser put to sleep, as the operations guide says, is not woken by the sysadmin, nor
    its password set, nor is an account holding a permission the sysadmin lacks: signing in as
    it would hold what nobody gave."""
    root = User.objects.create_superuser("root", "root@example.org", "Root-secret-2026!")
    root.is_active = False
    root.save()
    auditor = User.objects.create_user("auditor", password="Auditor-secret-2026!")
    auditor.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    password = {
        "usable_password": ["true"],
        "password1": ["another-Long-secret-7"],
        "password2": ["another-Long-secret-7"],
    }
    for account in (root, auditor):
        assert "../password/" not in as_admin.get(change_url(account)).content.decode()
        woken = form_of(as_admin, change_url(account))
        woken["is_active"] = ["on"]
        post(as_admin, change_url(account), woken)
        response = post(as_admin, f"/admin/core/user/{account.pk}/password/", password)
        assert response.status_code == 403, account
        stored = User.objects.get(pk=account.pk)
        assert (stored.is_active, stored.password) == (account.is_active, account.password)
    assert trail() == []

    # An account holding no more than the sysadmin's is still the sysadmin's to look after,
    # and a superuser still looks after every account.
    officer = demo["officer_a"]
    assert "../password/" in as_admin.get(change_url(officer)).content.decode()
    response = post(as_admin, f"/admin/core/user/{officer.pk}/password/", password)
    assert response.status_code == 302
    chief = User.objects.create_superuser("chief", "chief@example.org", "Chief-secret-2026!")
    client = Client()
    client.force_login(chief)
    response = post(client, f"/admin/core/user/{root.pk}/password/", password)
    assert response.status_code == 302
