"""The typed environment readers: a bad value stops start-up with the variable's name."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_required

NAME = "CHECHO_TEST_SETTING"


@pytest.mark.parametrize(
    ("raw", "value"),
    [("1", True), ("Yes", True), (" on ", True), ("0", False), ("false", False), ("", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv(NAME, raw)

    assert env_bool(NAME, default=not value) is value


def test_env_bool_falls_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)

    assert env_bool(NAME, default=True) is True


def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch):
    monkeypatch.setenv(NAME, "maybe")

    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='maybe' is not a boolean"):
        env_bool(NAME, default=False)


def test_env_int_reads_an_integer(monkeypatch):
    monkeypatch.setenv(NAME, "3600")

    assert env_int(NAME, 1, minimum=60) == 3600


def test_env_int_falls_back_to_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    assert env_int(NAME, 25) == 25

    monkeypatch.setenv(NAME, " ")
    assert env_int(NAME, 25) == 25


def test_env_int_refuses_a_non_integer_naming_the_variable(monkeypatch):
    monkeypatch.setenv(NAME, "abc")

    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='abc' is not an integer"):
        env_int(NAME, 25)


def test_env_int_refuses_a_value_below_the_minimum(monkeypatch):
    monkeypatch.setenv(NAME, "59")

    with pytest.raises(ImproperlyConfigured, match=f"{NAME}=59 must be at least 60"):
        env_int(NAME, 3600, minimum=60)


def test_env_required_refuses_a_missing_or_blank_variable(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_required(NAME)

    monkeypatch.setenv(NAME, "   ")
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_required(NAME)

    monkeypatch.setenv(NAME, " value ")
    assert env_required(NAME) == "value"


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv(NAME, "checho.example.org, ,www.checho.example.org,")

    assert env_list(NAME, ["localhost"]) == ["checho.example.org", "www.checho.example.org"]
