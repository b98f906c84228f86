"""`seed_demo` builds the demo world of Ninh Bình: one user per role, the agencies of a referral,
and can be run again without changing anything."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from core.demo import DEFAULT_DEMO_PASSWORD, SYSADMIN_MODELS, USERS, demo_password, seed_demo
from core.models import Agency, AgencyKind, RoleMembership, User
from core.unit_loader import load_units
from notifications.models import Notification

USERNAMES = [
    "officer_a",
    "chair_a",
    "officer_b",
    "chair_b",
    "province",
    "police",
    "forensic",
    "hospital",
    "legalaid",
    "social",
    "school",
    "inspector",
    "manager",
    "hotline",
    "admin",
]


@pytest.fixture
def ninh_binh(empty_db: None) -> None:
    # Only the units, from an empty database: the demo world is what these tests build
    # themselves, rather than the copy the session loaded (tests/conftest.py).
    load_units(province="37")


@pytest.fixture
def demo(ninh_binh: None) -> dict[str, User]:
    return seed_demo(with_records=False)


def counts():
    return (
        User.objects.count(),
        Agency.objects.count(),
        RoleMembership.objects.count(),
        AgencyKind.objects.count(),
        Agency.kinds.through.objects.count(),
        Agency.successors.through.objects.count(),
    )


def test_running_it_twice_leaves_the_same_world(ninh_binh):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    ids = set(User.objects.values_list("pk", "username"))

    call_command("seed_demo", stdout=StringIO())

    assert counts() == first
    # 11 agencies of today and 4 of the structure before 2025; the Sở Y tế has two kinds.
    assert first[:3] == (15, 15, 15)
    assert first[4:] == (16, 4)
    assert set(User.objects.values_list("pk", "username")) == ids
    assert "officer_a" in out.getvalue()
    assert f"Password for every demo user: {demo_password()}" in out.getvalue()


def test_every_demo_user_signs_in_with_the_demo_password(demo):
    assert [spec.username for spec in USERS] == USERNAMES
    for username in USERNAMES:
        assert authenticate(username=username, password=demo_password()) == demo[username]
    assert authenticate(username="officer_a", password="wrong") is None


def test_running_it_again_restores_the_agencies_kinds_periods_and_successors(demo):
    lead = Agency.objects.get(name="Sở Y tế tỉnh Ninh Bình")
    district_police = Agency.objects.get(name="Công an huyện Nho Quan")
    lead.kinds.clear()
    district_police.successors.clear()
    Agency.objects.filter(pk=district_police.pk).update(valid_to=None)

    seed_demo(with_records=False)

    assert lead.kind_codes == {"provincial_child_protection_lead", "health_department"}
    district_police.refresh_from_db()
    assert district_police.valid_to == datetime.date(2025, 6, 30)
    assert [a.name for a in district_police.successors.all()] == ["Công an tỉnh Ninh Bình"]


def test_the_agencies_before_2025_have_the_old_units_and_no_demo_user(demo):
    old = Agency.objects.filter(valid_to__isnull=False)

    assert sorted(old.values_list("name", "jurisdiction__structure", "jurisdiction__code")) == [
        ("Công an huyện Nho Quan", "2020", "372"),
        ("Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình", "2020", "37"),
        ("Sở Thông tin và Truyền thông tỉnh Ninh Bình", "2020", "37"),
        ("Ủy ban nhân dân huyện Nho Quan", "2020", "372"),
    ]
    assert not RoleMembership.objects.filter(agency__in=old).exists()


def test_every_demo_user_holds_exactly_one_role(demo):
    held = dict(RoleMembership.objects.values_list("user__username", "role"))

    assert held == {spec.username: spec.role for spec in USERS}


def test_demo_password_comes_from_the_environment_for_new_users(ninh_binh, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    seed_demo(with_records=False)
    User.objects.filter(username="hotline").delete()

    monkeypatch.setenv("DEMO_PASSWORD", "another-Secret-42")
    assert demo_password() == "another-Secret-42"
    seed_demo(with_records=False)

    # A new user gets the password of the environment; an existing one keeps theirs.
    assert authenticate(username="hotline", password="another-Secret-42") is not None
    assert authenticate(username="hotline", password=DEFAULT_DEMO_PASSWORD) is None
    assert authenticate(username="officer_a", password=DEFAULT_DEMO_PASSWORD) is not None
    assert authenticate(username="officer_a", password="another-Secret-42") is None


def test_the_admin_is_staff_but_not_superuser_and_may_configure_only_configuration(demo):
    admin = User.objects.get(username="admin")

    assert admin.is_staff is True
    assert admin.is_superuser is False
    assert admin.get_all_permissions() == {
        f"{app_label}.{action}_{model}"
        for action in ("add", "change", "delete", "view")
        for app_label, model in SYSADMIN_MODELS
    }
    assert not admin.has_perm("core.change_auditevent")
    assert not admin.has_perm("cases.view_case")
    assert not admin.has_perm("referrals.view_referral")


def test_no_other_demo_user_is_staff(demo):
    assert list(User.objects.filter(is_staff=True).values_list("username", flat=True)) == ["admin"]
    assert not User.objects.filter(is_superuser=True).exists()


def test_it_refuses_to_run_before_the_units_are_loaded_and_leaves_nothing_behind(empty_db):
    with pytest.raises(CommandError, match="load_units"):
        call_command("seed_demo", stdout=StringIO())

    assert (User.objects.count(), Agency.objects.count(), RoleMembership.objects.count()) == (
        0,
        0,
        0,
    )


@pytest.mark.django_db(transaction=True)
def test_it_prints_the_logins_at_the_demo_s_address_and_not_the_e_mails_it_sends(settings, capsys):
    # Committed for real, so each step's notifications are delivered as it commits; to the
    # console, as runserver's would be, unless the seed keeps them quiet.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = StringIO()

    call_command("seed_demo", "--host", "0.0.0.0", "--port", "8799", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Demo ready at http://127.0.0.1:8799 — logins:"
    assert [line.split()[0] for line in lines[1:-1]] == USERNAMES
    assert lines[-1] == f"Password for every demo user: {demo_password()}"
    printed = capsys.readouterr()
    assert "Subject:" not in printed.out + printed.err
    # Sent nonetheless, each when its step happened: the demo's past is done with.
    emails = Notification.objects.filter(channel="email")
    assert emails.count() > 100
    assert not emails.exclude(status="sent").exists()
    for email in emails:
        assert email.sent_at is not None
        assert email.sent_at - email.created_at < datetime.timedelta(seconds=5)
