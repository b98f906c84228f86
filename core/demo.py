"""The demo world of Ninh Bình: two communes, the agencies of a referral (and four agencies of the
structure before 2025, with their successors), one user per role.

Everything here is invented. Each app adds its own demo records through `register_seeder`, each
step of a record at the time it happened (`at`), so its history, audit trail, deadlines and
notifications tell the same story as a real record's would.
"""

import contextlib
import datetime
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.agency_kinds import ensure_default_agency_kinds
from core.celery import app as celery_app
from core.models import Agency, AgencyKind, Clock, Role, RoleMembership, Unit, User
from core.policy import escalation_chain

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


def seed_demo(*, with_records: bool = True) -> dict[str, User]:
    """Create the demo world, or bring it back to its initial shape; safe to run again.

    `with_records=False` leaves out the apps' invented cases, referrals and inspections. They are
    written step by step, each step in its own transaction at its own time, as the officers would
    have: their notifications are delivered as they are written, to nobody (`quiet_delivery`).
    Then the clock sweep runs at each moment a reminder or an escalation fell due.
    """
    users = seed_world()
    if with_records:
        with quiet_delivery(), unsynced_commits():
            for seeder in _seeders:
                seeder(users)
            catch_up_sweeps(timezone.now())
    return users


@transaction.atomic
def seed_world() -> dict[str, User]:
    """The agencies and the users with their roles, all or nothing."""
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


# --- The seed's clock ---------------------------------------------------------------------------

# How long before the real now the last invented step happens at the latest.
MARGIN = datetime.timedelta(minutes=10)


def real_now() -> datetime.datetime:
    """The machine's time, also inside `travel`."""
    hatch = time_machine.escape_hatch
    return hatch.datetime.datetime.now(datetime.UTC) if hatch.is_travelling() else timezone.now()


@contextlib.contextmanager
def travel(when: datetime.datetime) -> Iterator[None]:
    """Run the block as if the clock had read `when` as it began, and ran on from there.

    time-machine moves the process's clock, so `timezone.now()`, the fields' `default=
    timezone.now` and `auto_now` all follow. Only for the seed (and tests), which run alone."""
    with time_machine.travel(when, tick=True):
        yield


def at(when: datetime.datetime) -> contextlib.AbstractContextManager[None]:
    """Take a demo step at `when`, at the latest a few minutes ago."""
    return travel(min(when, real_now() - MARGIN))


def schedule(
    start: datetime.datetime,
    gaps: Sequence[datetime.timedelta],
    *,
    until: datetime.datetime | None = None,
) -> list[datetime.datetime]:
    """When each step happens: each gap after the step before, from `start`; squeezed evenly
    when they would not all be over by `until` (default: a few minutes ago)."""
    until = until or real_now() - MARGIN
    total = sum(gaps, datetime.timedelta())
    room = max(until - start, datetime.timedelta())
    scale = min(1.0, room / total) if total else 1.0
    times, moment = [], start
    for gap in gaps:
        moment += gap * scale
        times.append(moment)
    return times


def local_time(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """That hour of that day in Vietnam."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def clock_sweep() -> Any:
    """The clock sweep of the beat schedule, found by its task's name as a worker finds it
    (importing each app's tasks module): core runs it without importing the notifications,
    which sit above it."""
    celery_app.autodiscover_tasks(force=True)
    beat: dict[str, dict[str, Any]] = settings.CELERY_BEAT_SCHEDULE
    return celery_app.tasks[beat["sweep-clocks"]["task"]]


def catch_up_sweeps(until: datetime.datetime) -> int:
    """Run the clock sweep at each moment until `until` when an open clock was due a reminder
    or an escalation, as of that moment: what the minute sweep would have done, had it run
    while the demo's past happened. Returns how many moments it swept.

    Once every record is written, not between their steps: the apps write their records one
    after the other, each through its own past, so a sweep between two steps could remind of a
    deadline that a later app's record meets earlier. A clock still open now was open then."""
    chain = escalation_chain()
    due = Q(remind_at__lte=until, reminded_at__isnull=True)
    for level, (_role, hours) in enumerate(chain):
        due |= Q(escalation_level=level, due_at__lte=until - datetime.timedelta(hours=hours))
    moments = set()
    for clock in Clock.objects.open().filter(due):
        reminder = clock.remind_at
        if clock.reminded_at is None and reminder is not None and reminder < clock.due_at:
            moments.add(reminder)
        for _role, hours in chain[clock.escalation_level :]:
            moments.add(clock.due_at + datetime.timedelta(hours=hours))
    moments = {moment for moment in moments if moment <= until}
    if moments:
        sweep = clock_sweep()
        for moment in sorted(moments):
            with travel(moment):
                sweep()
    return len(moments)


@contextlib.contextmanager
def quiet_delivery() -> Iterator[None]:
    """The demo's notifications belong to its invented past: delivered in this process as they
    are written (never queued for a worker), their e-mails to nobody. Without this, the seed
    would print hundreds of e-mails above the logins."""
    eager, backend = celery_app.conf.task_always_eager, settings.EMAIL_BACKEND
    celery_app.conf.task_always_eager = True
    # Set and put back by hand: django.test's override_settings would load the test utilities
    # into every process that imports this module (each app's ready() does).
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = eager
        settings.EMAIL_BACKEND = backend


@contextlib.contextmanager
def unsynced_commits() -> Iterator[None]:
    """On SQLite, commits that do not wait for the disk while the seed runs: it commits each
    step and each delivery, a thousand times, and the demo's database is rebuilt at will.
    (In WAL mode a crash loses the last commits, never the file.)"""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {int(previous)}")
