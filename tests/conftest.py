"""Fixtures shared by every app's tests: the Ninh Bình units, the demo world, API clients.

The reference data (the units of Ninh Bình, the demo agencies and users) is loaded once per test
session and committed; each test still runs in its own transaction that is rolled back, so what a
test changes never reaches the next one. Loading it for every test took most of the suite's time.
Two kinds of test need more care:

- tests of the loaders themselves, and tests that build their own small world, ask for `empty_db`:
  it deletes the reference data inside the test's transaction, so they start from the database as
  the migrations left it, and the rollback brings the data back for the next test;
- transactional tests (`transactional_db`, `live_server`) end with a flush that empties every
  table: the reference data is loaded again after each of them (`pytest_runtest_teardown`).
"""

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import Model
from django.utils import translation
from pytest_django import DjangoDbBlocker
from rest_framework.test import APIClient

from access.services import search_count_key
from core.demo import USERS, seed_demo
from core.models import (
    Agency,
    AgencyKind,
    Role,
    RoleMembership,
    Unit,
    UnitLevel,
    UnitSuccession,
    User,
)
from core.models.calendar import CalendarDecision, Holiday
from core.public_holidays import load_holidays
from core.unit_loader import load_units

DEMO_USERNAMES = [spec.username for spec in USERS]
# Where the session's database fixture leaves its blocker, for reloading after a flush.
RELOADER = pytest.StashKey[DjangoDbBlocker]()


def pytest_configure(config: pytest.Config) -> None:
    # Demo users are hashed once per session (and by the loader tests); the production hasher
    # would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The API's rate limits count every request of the session per user (the demo users make
    # thousands); tests/core/test_login_throttle.py turns them on for its own tests.
    settings.CHECHO_API_RATES = {"user": None, "anon": None}


def load_reference_data() -> None:
    """Ninh Bình today (37) and the three legacy provinces that merged into it; the demo world
    without its invented records. Both loaders reconcile, so loading again changes nothing."""
    load_units(province="37")
    seed_demo(with_records=False)


def reference_tables() -> list[str]:
    """The tables the reference data fills, dependants first: what `empty_db` empties."""
    user_permissions = User.user_permissions.through
    user_groups = User.groups.through
    models: list[type[Model]] = [
        RoleMembership,
        user_permissions,
        user_groups,
        User,
        Agency.successors.through,
        Agency.kinds.through,
        Agency,
        UnitSuccession,
        Unit,
    ]
    return [model._meta.db_table for model in models]


def row_counts() -> dict[str, int]:
    # Auto-created models are the many-to-many tables (a user's permissions and groups).
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """The test database as pytest-django creates it, plus the reference data, committed."""
    request.config.stash[RELOADER] = django_db_blocker
    with django_db_blocker.unblock():
        before = row_counts()
        load_reference_data()
        after = row_counts()
    # `empty_db` must know every table the loaders fill; this fails the session when a loader
    # starts writing elsewhere. (A reused database already holds the data: nothing changes.)
    filled = {table for table in after if after[table] != before[table]}
    unknown = filled - set(reference_tables())
    assert not unknown, f"add these tables to reference_tables() in tests/conftest.py: {unknown}"
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator:
    # Runs after every fixture of `item` is torn down, so after the flush that ends a
    # transactional test. pytest-django runs those after the other database tests, but any
    # order (one file alone, a plugin that shuffles) must leave the data for the next test.
    # A test skipped before its database was set up flushed nothing: look before loading.
    result = yield
    blocker = item.config.stash.get(RELOADER, None)
    if nextitem is not None and blocker is not None and may_flush(item):
        with blocker.unblock():
            if not Unit.objects.exists():
                load_reference_data()
            # The flush also emptied the calendar the migrations filled: deadlines need it.
            if not Holiday.objects.exists():
                load_holidays(Holiday, CalendarDecision)
    return result


def may_flush(item: pytest.Item) -> bool:
    """Whether pytest-django ends this test with a flush rather than a rollback."""
    marker = item.get_closest_marker("django_db")
    marked = marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")
    )
    names = getattr(item, "fixturenames", ())
    return bool(marked) or "transactional_db" in names or "live_server" in names


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Service messages in English, so assertions on them do not depend on the catalogue.
    Requests still choose their language through the middleware (Vietnamese by default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def fresh_search_counts() -> None:
    """The break-the-glass search counts start at zero: the demo users keep their ids from one
    test to the next, so a count left by one would throttle the next. Only those keys: with
    Redis, clearing the cache would empty the database the broker shares."""
    caches["throttle"].delete_many([search_count_key(pk) for pk in range(1, 1000)])


@pytest.fixture
def empty_db(db: None) -> None:
    """The database as the migrations left it, without the session's reference data, for the
    tests of the loaders and the tests that build their own small world. The rows are deleted
    inside the test's transaction, so its rollback restores them for the next test."""
    with connection.cursor() as cursor:
        for table in reference_tables():
            # Plain SQL: the ORM's delete would refuse units still protected by their children,
            # while the database checks foreign keys only at the end of the transaction.
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


@pytest.fixture
def ninh_binh(db: None) -> None:
    """Ninh Bình today (37) and the three legacy provinces that merged into it: loaded once per
    session (see `django_db_setup`); tests that change the units do so in their transaction."""


@pytest.fixture
def demo(ninh_binh: None) -> dict[str, User]:
    """The demo world without its invented records: one user per role, keyed by username.

    Loaded once per session; the user objects are fetched again for every test, so nothing a
    test sets on them in memory reaches the next test."""
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_USERNAMES)}
    return {username: users[username] for username in DEMO_USERNAMES}  # in seed_demo's order


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(demo: dict[str, User]) -> Callable[[str], APIClient]:
    """An API client signed in as one of the demo users: `api_as("officer_a")`."""

    def sign_in(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(demo[username])
        return client

    return sign_in


@pytest.fixture
def committed_demo(transactional_db: None) -> dict[str, User]:
    """The demo world committed for real, for tests that use several connections or threads."""
    load_units(province="37")
    return seed_demo(with_records=False)


@dataclass
class Elsewhere:
    """Another province, its ward, its officer, its police and an inspector of its health
    department: people and places no one in Ninh Bình may reach by naming their ids."""

    ward: Unit
    officer: User
    police: Agency
    police_staff: User
    inspector: User


@pytest.fixture
def hanoi(demo: dict[str, User]) -> Elsewhere:
    province = Unit.objects.create(
        structure="2025",
        code="01",
        name="Thành phố Hà Nội",
        division_type="thành phố",
        level=UnitLevel.PROVINCE,
    )
    ward = Unit.objects.create(
        structure="2025",
        code="00004",
        name="Phường Ba Đình",
        division_type="phường",
        level=UnitLevel.COMMUNE,
        parent=province,
    )

    def agency(name: str, kind: str) -> Agency:
        created = Agency.objects.create(name=name, jurisdiction=province)
        created.kinds.set([AgencyKind.objects.get(code=kind)])
        return created

    def person(username: str, role: str, **where: Unit | Agency) -> User:
        user = User.objects.create_user(username, password="x")
        RoleMembership.objects.create(user=user, role=role, **where)
        return user

    police = agency("Công an thành phố Hà Nội", "police")
    health = agency("Sở Y tế Hà Nội", "health_department")
    return Elsewhere(
        ward=ward,
        officer=person("hanoi_officer", Role.COMMUNE_OFFICER, unit=ward),
        police=police,
        police_staff=person("hanoi_police", Role.AGENCY_STAFF, agency=police),
        inspector=person("hanoi_inspector", Role.INSPECTOR, agency=health),
    )


@pytest.fixture
def api_for() -> Callable[[User], APIClient]:
    """An API client signed in as a user the demo does not name: `api_for(hanoi.officer)`."""

    def sign_in(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return sign_in
