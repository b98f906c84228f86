"""Fixtures shared by every app's tests: the Ninh Bình units, the demo world, API clients."""

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from core.demo import seed_demo
from core.models import User
from core.unit_loader import load_units


def pytest_configure(config: pytest.Config) -> None:
    # Demo users are hashed once per test; the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages in English, so assertions on them do not depend on the catalogue.
    Requests still choose their language through the middleware (Vietnamese by default)."""
    with translation.override("en"):
        yield


@pytest.fixture
def ninh_binh(db) -> None:
    """Ninh Bình today (37) and the three legacy provinces that merged into it."""
    load_units(province="37")


@pytest.fixture
def demo(ninh_binh) -> dict[str, User]:
    """The demo world without its invented records: one user per role, keyed by username."""
    return seed_demo(with_records=False)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(demo):
    """An API client signed in as one of the demo users: `api_as("officer_a")`."""

    def sign_in(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(demo[username])
        return client

    return sign_in


@pytest.fixture
def committed_demo(transactional_db) -> dict[str, User]:
    """The demo world committed for real, for tests that use several connections or threads."""
    load_units(province="37")
    return seed_demo(with_records=False)
