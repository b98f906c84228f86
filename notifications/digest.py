"""Once a day, each user with overdue items is told how many (not which: the list is in the app).

The counts come from two grouped queries over the overdue clocks — a case's by its commune, a
referral's by its receiving agency — and each user's total from their roles, so the digest for
every user of the country costs a bounded number of queries, not several per user. Users with
the same count are told in one call (docs/performance.md).
"""

import datetime
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from cases.models import Case
from core.models import Clock, RoleMembership, User
from core.roles import AGENCY_WORKERS, COMMUNE_STAFF
from notifications.outbox import notify
from referrals.models import Referral


def overdue_counts(now: datetime.datetime) -> tuple[dict[str, int], dict[int, int]]:
    """Open clocks past due: of cases by their commune's path, of referrals by their agency."""
    overdue = Clock.objects.open().filter(due_at__lte=now).order_by()
    by_commune = dict(
        overdue.filter(subject_type=ContentType.objects.get_for_model(Case))
        .values("unit_path")
        .annotate(count=Count("id"))
        .values_list("unit_path", "count")
    )
    agency = Referral.objects.filter(pk=OuterRef("subject_id")).values("agency_id")[:1]
    by_agency = dict(
        overdue.filter(subject_type=ContentType.objects.get_for_model(Referral))
        .annotate(agency=Subquery(agency))
        .exclude(agency=None)
        .values("agency")
        .annotate(count=Count("id"))
        .values_list("agency", "count")
    )
    return by_commune, by_agency


def overdue_per_user(now: datetime.datetime) -> dict[int, int]:
    """How many overdue items each active user answers for: the cases of the communes they
    serve (commune roles are held for a commune, whose cases carry its path) and the referrals
    of the agencies they work for, each counted once however many of their roles reach it."""
    by_commune, by_agency = overdue_counts(now)
    communes: dict[int, set[str]] = defaultdict(set)
    agencies: dict[int, set[int]] = defaultdict(set)
    memberships = RoleMembership.objects.filter(
        user__is_active=True, role__in=[*COMMUNE_STAFF, *AGENCY_WORKERS]
    ).values_list("user_id", "role", "unit__path", "agency_id")
    for user_id, role, path, agency_id in memberships:
        if role in COMMUNE_STAFF and path:
            communes[user_id].add(path)
        elif role in AGENCY_WORKERS and agency_id:
            agencies[user_id].add(agency_id)
    totals = {
        user_id: sum(by_commune.get(path, 0) for path in communes[user_id])
        + sum(by_agency.get(agency, 0) for agency in agencies[user_id])
        for user_id in {*communes, *agencies}
    }
    return {user_id: total for user_id, total in totals.items() if total}


def send_daily_digests(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    totals = overdue_per_user(now)
    by_count: dict[int, list[int]] = defaultdict(list)
    for user_id, count in totals.items():
        by_count[count].append(user_id)
    users = User.objects.in_bulk(list(totals))
    for count, user_ids in sorted(by_count.items()):
        notify(
            key=f"digest:{today.isoformat()}",
            recipients=[users[user_id] for user_id in user_ids if user_id in users],
            event="daily_digest",
            params={"count": count},
            link="/",
        )
    return len(totals)
