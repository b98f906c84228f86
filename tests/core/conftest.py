import pytest
from django.test import Client

from core.models import CalendarDecision, Holiday, User
from core.public_holidays import load_holidays


@pytest.fixture
def calendar(db: None) -> None:
    """The calendar as migration 0007 leaves it. A transactional test elsewhere in the session
    flushes every table, the migration's rows too; load them again inside this test's
    transaction (idempotent: nothing is added when they are there)."""
    load_holidays(Holiday, CalendarDecision)


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser("root", "root@example.org", "x")


@pytest.fixture
def sysadmin(root: User) -> Client:
    """The admin as a superuser reads it."""
    client = Client()
    client.force_login(root)
    return client
