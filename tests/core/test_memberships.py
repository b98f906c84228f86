"""A role is bound to what it acts for: a unit, an agency, or (the sysadmin) nothing. The
database refuses any other binding; the form validation also checks the unit's level."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import Agency, AgencyKind, Role, RoleMembership, Unit, UnitLevel, User


@pytest.fixture
def world(empty_db):
    province = Unit.objects.create(
        structure="2025", code="37", name="Tỉnh Ninh Bình", division_type="tỉnh", level="province"
    )
    commune = Unit.objects.create(
        structure="2025",
        code="14428",
        name="Xã Nho Quan",
        division_type="xã",
        level=UnitLevel.COMMUNE,
        parent=province,
    )
    police = Agency.objects.create(name="Công an tỉnh Ninh Bình", jurisdiction=province)
    police.kinds.add(AgencyKind.objects.get(code="police"))
    user = User.objects.create_user("someone")
    return {"province": province, "commune": commune, "agency": police, "user": user}


@pytest.mark.parametrize(
    ("role", "unit", "agency"),
    [
        (Role.COMMUNE_OFFICER, None, "agency"),
        (Role.COMMUNE_OFFICER, "commune", "agency"),
        (Role.COMMUNE_OFFICER, None, None),
        (Role.AGENCY_STAFF, "province", None),
        (Role.AGENCY_STAFF, "province", "agency"),
        (Role.SYSADMIN, "province", None),
        (Role.SYSADMIN, None, "agency"),
    ],
)
def test_the_database_refuses_a_role_bound_to_the_wrong_thing(world, role, unit, agency):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleMembership.objects.create(
            user=world["user"],
            role=role,
            unit=world[unit] if unit else None,
            agency=world[agency] if agency else None,
        )

    assert RoleMembership.objects.count() == 0


def test_the_database_accepts_each_role_bound_to_what_it_acts_for(world):
    user = world["user"]
    RoleMembership.objects.create(user=user, role=Role.COMMUNE_OFFICER, unit=world["commune"])
    RoleMembership.objects.create(user=user, role=Role.AGENCY_STAFF, agency=world["agency"])
    RoleMembership.objects.create(user=user, role=Role.SYSADMIN)

    assert RoleMembership.objects.filter(user=user).count() == 3


@pytest.mark.parametrize(
    ("role", "field", "key"),
    [
        (Role.COMMUNE_OFFICER, "unit", "commune"),
        (Role.AGENCY_STAFF, "agency", "agency"),
        (Role.SYSADMIN, None, None),
    ],
)
def test_a_user_holds_the_same_role_for_the_same_unit_or_agency_once(world, role, field, key):
    binding = {field: world[key]} if field else {}
    RoleMembership.objects.create(user=world["user"], role=role, **binding)

    with pytest.raises(IntegrityError), transaction.atomic():
        RoleMembership.objects.create(user=world["user"], role=role, **binding)

    assert RoleMembership.objects.count() == 1


def test_validation_refuses_a_commune_officer_bound_to_a_province(world):
    membership = RoleMembership(
        user=world["user"], role=Role.COMMUNE_OFFICER, unit=world["province"]
    )

    with pytest.raises(ValidationError) as refused:
        membership.clean()

    assert list(refused.value.message_dict) == ["unit"]


def test_validation_refuses_a_provincial_officer_bound_to_a_commune(world):
    membership = RoleMembership(
        user=world["user"], role=Role.PROVINCIAL_OFFICER, unit=world["commune"]
    )

    with pytest.raises(ValidationError) as refused:
        membership.clean()

    assert list(refused.value.message_dict) == ["unit"]


@pytest.mark.parametrize(
    ("role", "unit", "agency"),
    [
        (Role.COMMUNE_OFFICER, None, "agency"),
        (Role.AGENCY_HEAD, "commune", None),
        (Role.SYSADMIN, None, "agency"),
    ],
)
def test_validation_refuses_the_wrong_kind_of_binding(world, role, unit, agency):
    membership = RoleMembership(
        user=world["user"],
        role=role,
        unit=world[unit] if unit else None,
        agency=world[agency] if agency else None,
    )

    with pytest.raises(ValidationError):
        membership.clean()


@pytest.mark.parametrize(
    ("role", "unit", "agency"),
    [
        (Role.COMMUNE_OFFICER, "commune", None),
        (Role.PROVINCIAL_OFFICER, "province", None),
        (Role.MANAGER, "province", None),
        (Role.MANAGER, "commune", None),
        (Role.INSPECTOR, None, "agency"),
        (Role.SYSADMIN, None, None),
    ],
)
def test_validation_accepts_a_role_bound_to_a_unit_of_its_level(world, role, unit, agency):
    membership = RoleMembership(
        user=world["user"],
        role=role,
        unit=world[unit] if unit else None,
        agency=world[agency] if agency else None,
    )

    membership.clean()
