"""A transaction PostgreSQL rolled back because it lost a race (a deadlock, a serialization
failure) is answered as the race it is: 409 with "try again" and nothing saved, on a page as
through the API, never a 500. Two steps on the same case can meet so (a referral's step and a
case's, each holding one lock the other needs; found by a race probe, 1 December 2026)."""

import psycopg
import pytest
from django.db import IntegrityError, OperationalError
from django.urls import reverse

from cases import services
from cases.models import CaseNote
from core.errors import lost_race
from tests.cases.factories import make_case


def rolled_back(cause: Exception) -> OperationalError:
    """As Django raises it: its own error, caused by the driver's."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


DEADLOCK = psycopg.errors.DeadlockDetected("deadlock detected")
SERIALIZATION = psycopg.errors.SerializationFailure("could not serialize access")


@pytest.mark.parametrize("cause", [DEADLOCK, SERIALIZATION])
def test_a_race_the_database_settled_is_a_lost_race(cause):
    assert lost_race(rolled_back(cause))


def test_other_database_errors_are_not():
    assert not lost_race(rolled_back(psycopg.errors.UndefinedTable("no such table")))
    assert not lost_race(IntegrityError("duplicate key"))
    assert not lost_race(ValueError("not a database error"))


@pytest.fixture
def deadlocking_note(monkeypatch):
    def lose(**_kwargs):
        raise rolled_back(DEADLOCK)

    monkeypatch.setattr(services, "case_add_note", lose)


def test_the_page_says_try_again(client, demo, deadlocking_note):
    case = make_case(demo["officer_a"])
    client.force_login(demo["officer_a"])

    response = client.post(reverse("cases:note", args=[case.pk]), {"text": "…"}, follow=True)

    assert response.redirect_chain and response.status_code == 200
    assert "try again" in response.content.decode().lower() or "thử lại" in (
        response.content.decode().lower()
    )
    assert not CaseNote.objects.exists()


def test_the_api_answers_409_conflict(demo, api_for, monkeypatch):
    case = make_case(demo["officer_a"])

    def lose(**_kwargs):
        raise rolled_back(DEADLOCK)

    monkeypatch.setattr(services, "case_assess_initial", lose)
    response = api_for(demo["officer_a"]).post(
        f"/api/v1/cases/{case.pk}/transitions/assess_initial/",
        {
            "harm_level": "low",
            "immediate_danger": False,
            "confirmed": "risk",
            "safety_measures": "Ở nhà bà.",
            "findings": "…",
        },
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
