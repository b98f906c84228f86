"""The demo world of Ninh Bình: two communes, the agencies of a referral, one user per role.

Everything here is invented. Each app adds its own demo records through `register_seeder`.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q

from core.agency_kinds import ensure_default_agency_kinds
from core.models import Agency, AgencyKind, Role, RoleMembership, Unit, User

DEFAULT_DEMO_PASSWORD = "cheCho-demo-2026"
PROVINCE = "37"
COMMUNE_A = "14428"  # Xã Nho Quan
COMMUNE_B = "14329"  # Phường Hoa Lư

# (key, name, kind, unit code)
AGENCIES = [
    ("lead", "Sở Y tế tỉnh Ninh Bình", "provincial_child_protection_lead", PROVINCE),
    ("police", "Công an tỉnh Ninh Bình", "police", PROVINCE),
    ("forensic", "Trung tâm Pháp y tỉnh Ninh Bình", "forensic_medicine", PROVINCE),
    ("hospital", "Bệnh viện Đa khoa tỉnh Ninh Bình", "health_facility", PROVINCE),
    (
        "legalaid",
        "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Ninh Bình",
        "legal_aid_centre",
        PROVINCE,
    ),
    ("social", "Trung tâm Công tác xã hội tỉnh Ninh Bình", "social_support_facility", PROVINCE),
    ("school", "Trường Tiểu học Nho Quan", "school", COMMUNE_A),
    ("culture", "Sở Văn hóa, Thể thao và Du lịch tỉnh Ninh Bình", "culture_department", PROVINCE),
    ("hotline", "Tổng đài 111 — điểm tiếp nhận Ninh Bình", "hotline_111", PROVINCE),
    ("committee_a", "Ủy ban nhân dân xã Nho Quan", "commune_committee", COMMUNE_A),
    ("committee_b", "Ủy ban nhân dân phường Hoa Lư", "commune_committee", COMMUNE_B),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    unit: str | None = None
    agency: str | None = None


USERS = [
    DemoUser("officer_a", "Lan", "Nguyễn Thị", Role.COMMUNE_OFFICER, unit=COMMUNE_A),
    DemoUser("chair_a", "Minh", "Trần Văn", Role.COMMUNE_CHAIR, unit=COMMUNE_A),
    DemoUser("officer_b", "Hương", "Phạm Thu", Role.COMMUNE_OFFICER, unit=COMMUNE_B),
    DemoUser("chair_b", "Dũng", "Lê Quang", Role.COMMUNE_CHAIR, unit=COMMUNE_B),
    DemoUser("province", "Hà", "Đinh Thị", Role.PROVINCIAL_OFFICER, unit=PROVINCE),
    DemoUser("police", "Tuấn", "Vũ Anh", Role.AGENCY_STAFF, agency="police"),
    DemoUser("forensic", "Bình", "Hoàng Văn", Role.AGENCY_STAFF, agency="forensic"),
    DemoUser("hospital", "Mai", "Đỗ Thị", Role.AGENCY_STAFF, agency="hospital"),
    DemoUser("legalaid", "Khánh", "Bùi Duy", Role.AGENCY_STAFF, agency="legalaid"),
    DemoUser("social", "Yến", "Ngô Hải", Role.AGENCY_STAFF, agency="social"),
    DemoUser("school", "Thảo", "Mai Phương", Role.AGENCY_STAFF, agency="school"),
    DemoUser("inspector", "Sơn", "Trịnh Xuân", Role.INSPECTOR, agency="lead"),
    DemoUser("manager", "Quang", "Lương Đức", Role.MANAGER, unit=PROVINCE),
    DemoUser("hotline", "Ngọc", "Tạ Bích", Role.HOTLINE_OPERATOR, agency="hotline"),
    DemoUser("admin", "Phúc", "Cao Hữu", Role.SYSADMIN),
]

# What the sysadmin may configure in the administration: no case content.
SYSADMIN_MODELS = [
    ("core", "unit"),
    ("core", "unitsuccession"),
    ("core", "agency"),
    ("core", "agencykind"),
    ("core", "user"),
    ("core", "rolemembership"),
    ("core", "holiday"),
    ("core", "clockpolicy"),
    ("referrals", "pathwaystep"),
    ("notifications", "notification"),
]

Seeder = Callable[[dict[str, User]], None]
_seeders: list[Seeder] = []
# Configuration every deployment starts with (agency kinds, the service pathway), ensured first.
_defaults: list[Callable[[], object]] = [ensure_default_agency_kinds]


def register_defaults(ensure: Callable[[], object]) -> None:
    if ensure not in _defaults:
        _defaults.append(ensure)


def register_seeder(seeder: Seeder) -> Seeder:
    if seeder not in _seeders:
        _seeders.append(seeder)
    return seeder


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


def current_unit(code: str) -> Unit:
    unit = Unit.objects.filter(structure="2025", code=code).first()
    if unit is None:
        raise CommandError(f"Unit {code} is not loaded: run `manage.py load_units` first.")
    return unit


@transaction.atomic
def seed_demo(*, with_records: bool = True) -> dict[str, User]:
    """Create the demo world, or bring it back to its initial shape; safe to run again.

    `with_records=False` leaves out the apps' invented cases, referrals and inspections.
    """
    for ensure in _defaults:
        ensure()
    agencies = {
        key: Agency.objects.update_or_create(
            name=name,
            jurisdiction=current_unit(unit_code),
            defaults={"kind": AgencyKind.objects.get(code=kind)},
        )[0]
        for key, name, kind, unit_code in AGENCIES
    }
    users = {}
    for spec in USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.checho.invalid",
            },
        )
        if created:
            user.set_password(demo_password())
            user.save(update_fields=["password"])
        RoleMembership.objects.get_or_create(
            user=user,
            role=spec.role,
            unit=current_unit(spec.unit) if spec.unit else None,
            agency=agencies[spec.agency] if spec.agency else None,
        )
        users[spec.username] = user
    admin = users["admin"]
    if not admin.is_staff:
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
    configurable = Q()
    for app_label, model in SYSADMIN_MODELS:
        configurable |= Q(content_type__app_label=app_label, content_type__model=model)
    admin.user_permissions.add(*Permission.objects.filter(configurable))
    for seeder in _seeders if with_records else ():
        seeder(users)
    return users


def login_table() -> list[tuple[str, str, str]]:
    """(username, role, where) for each demo user, to print after seeding."""
    names = {key: name for key, name, _kind, _unit in AGENCIES}
    rows = []
    for spec in USERS:
        where = names[spec.agency] if spec.agency else ""
        if spec.unit:
            where = current_unit(spec.unit).name
        # str(): the label is lazy; seed_demo translates it inside its translation.override().
        rows.append((spec.username, str(Role(spec.role).label), where))
    return rows
