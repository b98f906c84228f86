"""The demo world of Ninh Bình: two communes, the agencies of a referral (and four agencies of the
structure before 2025, with their successors), one user per role.

Everything here is invented. Each app adds its own demo records through `register_seeder`.
"""

import datetime
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
# The three-tier structure before 1 July 2025 (units of structure "2020").
LEGACY_PROVINCE = "37"  # Tỉnh Ninh Bình before it merged with Hà Nam and Nam Định
LEGACY_DISTRICT = "372"  # Huyện Nho Quan
# The last day of the provincial departments merged on 1 March 2025, and of the district tier.
DEPARTMENTS_MERGED = datetime.date(2025, 2, 28)
DISTRICTS_ABOLISHED = datetime.date(2025, 6, 30)
REFORM_DAY = datetime.date(2025, 7, 1)


@dataclass(frozen=True)
class DemoAgency:
    key: str
    name: str
    kinds: tuple[str, ...]
    unit: str
    structure: str = "2025"  # of the jurisdiction: "2020" for the agencies before the reform
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    successors: tuple[str, ...] = ()  # keys


AGENCIES = [
    # Since 1 March 2025 the Department of Health leads child protection (it took over from the
    # Department of Labour, Invalids and Social Affairs, below).
    DemoAgency(
        "lead",
        "Sở Y tế tỉnh Ninh Bình",
        ("provincial_child_protection_lead", "health_department"),
        PROVINCE,
    ),
    DemoAgency("police", "Công an tỉnh Ninh Bình", ("police",), PROVINCE),
    DemoAgency("forensic", "Trung tâm Pháp y tỉnh Ninh Bình", ("forensic_medicine",), PROVINCE),
    DemoAgency("hospital", "Bệnh viện Đa khoa tỉnh Ninh Bình", ("health_facility",), PROVINCE),
    DemoAgency(
        "legalaid",
        "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Ninh Bình",
        ("legal_aid_centre",),
        PROVINCE,
    ),
    DemoAgency(
        "social",
        "Trung tâm Công tác xã hội tỉnh Ninh Bình",
        ("social_support_facility",),
        PROVINCE,
    ),
    DemoAgency("school", "Trường Tiểu học Nho Quan", ("school",), COMMUNE_A),
    DemoAgency(
        "culture",
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Ninh Bình",
        ("culture_department",),
        PROVINCE,
    ),
    DemoAgency("hotline", "Tổng đài 111 — điểm tiếp nhận Ninh Bình", ("hotline_111",), PROVINCE),
    DemoAgency(
        "committee_a",
        "Ủy ban nhân dân xã Nho Quan",
        ("commune_committee",),
        COMMUNE_A,
        valid_from=REFORM_DAY,
    ),
    DemoAgency(
        "committee_b",
        "Ủy ban nhân dân phường Hoa Lư",
        ("commune_committee",),
        COMMUNE_B,
        valid_from=REFORM_DAY,
    ),
    # The agencies of the structure before 2025: they hold no demo user; their successors carry
    # on their work (Plan 114 section III.6, information, is today the culture department's).
    DemoAgency(
        "labour_affairs",
        "Sở Lao động - Thương binh và Xã hội tỉnh Ninh Bình",
        ("provincial_child_protection_lead",),
        LEGACY_PROVINCE,
        structure="2020",
        valid_to=DEPARTMENTS_MERGED,
        successors=("lead",),
    ),
    DemoAgency(
        "information",
        "Sở Thông tin và Truyền thông tỉnh Ninh Bình",
        ("information_department",),
        LEGACY_PROVINCE,
        structure="2020",
        valid_to=DEPARTMENTS_MERGED,
        successors=("culture",),
    ),
    DemoAgency(
        "district_committee",
        "Ủy ban nhân dân huyện Nho Quan",
        ("district_committee",),
        LEGACY_DISTRICT,
        structure="2020",
        valid_to=DISTRICTS_ABOLISHED,
        successors=("committee_a",),
    ),
    # District police were abolished on 1 July 2025; the provincial police took over.
    DemoAgency(
        "district_police",
        "Công an huyện Nho Quan",
        ("police",),
        LEGACY_DISTRICT,
        structure="2020",
        valid_to=DISTRICTS_ABOLISHED,
        successors=("police",),
    ),
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
    """The unit of today's (2025) structure with this code."""
    return structure_unit("2025", code)


def legacy_unit(code: str) -> Unit:
    """The unit of the three-tier structure before 1 July 2025 (2020) with this code."""
    return structure_unit("2020", code)


def structure_unit(structure: str, code: str) -> Unit:
    unit = Unit.objects.filter(structure=structure, code=code).first()
    if unit is None:
        raise CommandError(
            f"Unit {code} of {structure} is not loaded: run `manage.py load_units` first."
        )
    return unit


def seed_agencies() -> dict[str, Agency]:
    """The demo agencies, with their kinds, periods and successors as AGENCIES says."""
    kinds = AgencyKind.objects.in_bulk(field_name="code")
    agencies = {}
    for spec in AGENCIES:
        agency = Agency.objects.update_or_create(
            name=spec.name,
            jurisdiction=structure_unit(spec.structure, spec.unit),
            defaults={"valid_from": spec.valid_from, "valid_to": spec.valid_to},
        )[0]
        agency.kinds.set([kinds[code] for code in spec.kinds])
        agencies[spec.key] = agency
    for spec in AGENCIES:
        agencies[spec.key].successors.set([agencies[key] for key in spec.successors])
    return agencies


@transaction.atomic
def seed_demo(*, with_records: bool = True) -> dict[str, User]:
    """Create the demo world, or bring it back to its initial shape; safe to run again.

    `with_records=False` leaves out the apps' invented cases, referrals and inspections.
    """
    for ensure in _defaults:
        ensure()
    agencies = seed_agencies()
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
    names = {spec.key: spec.name for spec in AGENCIES}
    rows = []
    for spec in USERS:
        where = names[spec.agency] if spec.agency else ""
        if spec.unit:
            where = current_unit(spec.unit).name
        # str(): the label is lazy; seed_demo translates it inside its translation.override().
        rows.append((spec.username, str(Role(spec.role).label), where))
    return rows
