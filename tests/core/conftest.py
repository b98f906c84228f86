import pytest

from core.models import CalendarDecision, Holiday
from core.public_holidays import load_holidays


@pytest.fixture
def calendar(db: None) -> None:
    """The calendar as migration 0007 leaves it. A transactional test elsewhere in the session
    flushes every table, the migration's rows too; load them again inside this test's
    transaction (idempotent: nothing is added when they are there)."""
    load_holidays(Holiday, CalendarDecision)
