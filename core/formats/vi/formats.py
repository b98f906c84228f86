"""Vietnamese: day first, dd/mm/yyyy (core/formats/__init__.py)."""

from core.formats import (
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
)

__all__ = [
    "DATETIME_INPUT_FORMATS",
    "DATE_INPUT_FORMATS",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
]
