"""Once a day, each user with overdue items is told how many (not which: the list is in the app).

The counts come from three grouped queries over the overdue clocks — a case's by its commune, a
referral's by its receiving agency, a recommendation's by its inspection — and each user's total
from their roles and inspection teams, so the digest for every user of the country costs a
bounded number of queries, not several per user. Users with
the same count are told in one call (docs/performance.md).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, OuterRef, Subquery
from django.utils import timezone

from cases.models import Case
from core.models import Clock, RoleMembership, User
from core.roles import AGENCY_WORKERS, CASE_SUPERVISORS, COMMUNE_STAFF
from inspections.models import Membership, Recommendation
from notifications.outbox import notify
from referrals.models import Referral


@dataclass(frozen=True)
class Overdue:
    """Open clocks past due, counted where someone answers for them."""

    by_commune: dict[str, int]  # a case's, by its commune's path
    by_agency: dict[int, int]  # a referral's, by its receiving agency
    by_inspection: dict[int, int]  # a recommendation's, by its inspection


def overdue_counts(now: datetime.datetime) -> Overdue:
    overdue = Clock.objects.open().filter(due_at__lte=now).order_by()

    def counted_by(model: type[Model], owner: Subquery | None = None) -> dict[Any, int]:
        clocks = overdue.filter(subject_type=ContentType.objects.get_for_model(model))
        if owner is None:
            key = "unit_path"
        else:
            clocks, key = clocks.annotate(owner=owner).exclude(owner=None), "owner"
        return dict(clocks.values(key).annotate(count=Count("id")).values_list(key, "count"))

    def of_subject(model: type[Model], field: str) -> Subquery:
        return Subquery(model._default_manager.filter(pk=OuterRef("subject_id")).values(field)[:1])

    return Overdue(
        by_commune=counted_by(Case),
        by_agency=counted_by(Referral, of_subject(Referral, "agency_id")),
        by_inspection=counted_by(Recommendation, of_subject(Recommendation, "inspection_id")),
    )


def overdue_per_user(now: datetime.datetime) -> dict[int, int]:
    """How many overdue items each active user answers for, each counted once however many of
    their roles reach it:
    - the cases of the communes they serve (commune roles are held for a commune, whose cases
      carry its path), and, for the district and provincial officers, of every commune under
      the unit they oversee (the escalation's last step: they watch where deadlines slip);
    - the referrals of the agencies they work for;
    - the recommendations of the inspections whose team they are on."""
    overdue = overdue_counts(now)
    communes: dict[int, set[str]] = defaultdict(set)
    agencies: dict[int, set[int]] = defaultdict(set)
    inspections: dict[int, set[int]] = defaultdict(set)
    memberships = RoleMembership.objects.filter(
        user__is_active=True, role__in=[*COMMUNE_STAFF, *CASE_SUPERVISORS, *AGENCY_WORKERS]
    ).values_list("user_id", "role", "unit__path", "agency_id")
    for user_id, role, path, agency_id in memberships:
        if role in COMMUNE_STAFF and path:
            communes[user_id].add(path)
        elif role in CASE_SUPERVISORS and path:
            communes[user_id].update(p for p in overdue.by_commune if p.startswith(path))
        elif role in AGENCY_WORKERS and agency_id:
            agencies[user_id].add(agency_id)
    teams = Membership.objects.filter(
        user__is_active=True, inspection_id__in=list(overdue.by_inspection)
    ).values_list("user_id", "inspection_id")
    for user_id, inspection_id in teams:
        inspections[user_id].add(inspection_id)
    totals = {
        user_id: sum(overdue.by_commune.get(path, 0) for path in communes[user_id])
        + sum(overdue.by_agency.get(agency, 0) for agency in agencies[user_id])
        + sum(overdue.by_inspection.get(inspection, 0) for inspection in inspections[user_id])
        for user_id in {*communes, *agencies, *inspections}
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
