import pytest

from core.models import Role, RoleMembership, Unit, UnitLevel, User


@pytest.fixture(autouse=True)
def fresh_counts(fresh_search_counts: None) -> None:
    """Every test of access starts with no break-the-glass search counted."""


@pytest.fixture
def hanoi_officer(db):
    """A commune officer of another province (Hà Nội): nobody in Ninh Bình may let them in."""
    hanoi = Unit.objects.create(
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
        parent=hanoi,
    )
    officer = User.objects.create_user("hanoi_officer", password="x")
    RoleMembership.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=ward)
    return officer
