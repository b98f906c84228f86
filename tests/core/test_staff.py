"""Who holds a role for a unit or an agency (core/staff.py): a sweep's batch remembers the people
of many units and agencies with one query each, and asking the memory afterwards gives what asking
the database would, role by role, for someone who holds several roles in several places."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Agency, Role, RoleMembership, Unit
from core.staff import (
    agency_staff,
    remember_agencies,
    remember_units,
    remembered_staff,
    staff_of_unit,
)

NHO_QUAN = "2025/37/14428/"
OTHER_COMMUNE = "2025/37/14329/"
UNIT_ROLES = (Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.PROVINCIAL_OFFICER)


def usernames(users) -> set[str]:
    return {user.username for user in users}


def test_remembered_units_answer_as_the_database_does_for_each_role_and_unit(demo):
    # The officer of Nho Quan also chairs the other commune, and holds roles where nobody asks
    # (another commune, an agency); an inactive chair is never told.
    officer, chair_b = demo["officer_a"], demo["chair_b"]
    RoleMembership.objects.create(
        user=officer, role=Role.COMMUNE_CHAIR, unit=Unit.objects.get(path=OTHER_COMMUNE)
    )
    elsewhere = Unit.objects.filter(path__startswith="2025/37/", level="commune").exclude(
        path__in=[NHO_QUAN, OTHER_COMMUNE]
    )[0]
    RoleMembership.objects.create(user=officer, role=Role.COMMUNE_OFFICER, unit=elsewhere)
    police = demo["police"].memberships.get().agency
    RoleMembership.objects.create(user=officer, role=Role.AGENCY_STAFF, agency=police)
    chair_b.is_active = False
    chair_b.save(update_fields=["is_active"])

    direct = {
        (path, role): usernames(staff_of_unit(path, role))
        for path in (NHO_QUAN, OTHER_COMMUNE)
        for role in UNIT_ROLES
    }
    with remembered_staff():
        with CaptureQueriesContext(connection) as read:
            remember_units([NHO_QUAN, OTHER_COMMUNE])
        with CaptureQueriesContext(connection) as asked:
            remembered = {key: usernames(staff_of_unit(*key)) for key in direct}

    assert remembered == direct
    assert len(read) == 1 and len(asked) == 0
    assert "officer_a" in remembered[(OTHER_COMMUNE, Role.COMMUNE_CHAIR)]
    assert "officer_a" not in remembered[(NHO_QUAN, Role.COMMUNE_CHAIR)]
    assert "officer_a" not in remembered[(OTHER_COMMUNE, Role.COMMUNE_OFFICER)]
    assert "chair_b" not in remembered[(OTHER_COMMUNE, Role.COMMUNE_CHAIR)]
    assert "province" in remembered[(NHO_QUAN, Role.PROVINCIAL_OFFICER)]


def test_remembered_agencies_answer_as_the_database_does(demo):
    # The police officer also heads the hospital, and chairs a commune nobody asks about here.
    police = demo["police"].memberships.get().agency
    hospital = demo["hospital"].memberships.get().agency
    assert isinstance(police, Agency) and isinstance(hospital, Agency)
    RoleMembership.objects.create(user=demo["police"], role=Role.AGENCY_HEAD, agency=hospital)
    RoleMembership.objects.create(
        user=demo["police"], role=Role.COMMUNE_CHAIR, unit=Unit.objects.get(path=NHO_QUAN)
    )

    direct = {agency.pk: usernames(agency_staff(agency.pk)) for agency in (police, hospital)}
    with remembered_staff():
        with CaptureQueriesContext(connection) as read:
            remember_agencies([police.pk, hospital.pk, None])
        with CaptureQueriesContext(connection) as asked:
            remembered = {pk: usernames(agency_staff(pk)) for pk in direct}

    assert remembered == direct
    assert len(read) == 1 and len(asked) == 0
    assert remembered[hospital.pk] == {"hospital", "police"}
    assert remembered[police.pk] == {"police"}
