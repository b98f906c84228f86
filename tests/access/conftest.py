import pytest


@pytest.fixture(autouse=True)
def fresh_counts(fresh_search_counts: None) -> None:
    """Every test of access starts with no break-the-glass search counted."""
