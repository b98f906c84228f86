"""What several parts of one page derive from the same record, read once: kept on the model
instance the page loaded, so a fresh read of the row (another request, a `refresh_from_db`
copy) starts over and nothing outlives the request."""

from collections.abc import Callable
from typing import TypeVar

from django.db import models

T = TypeVar("T")


def kept_on(instance: models.Model, key: str, read: Callable[[], T]) -> T:
    """`read()` the first time `key` is asked of this instance; the same answer afterwards."""
    if key not in instance.__dict__:
        instance.__dict__[key] = read()
    return instance.__dict__[key]
