"""Once a day, each user with overdue items is told how many (not which: the list is in the app)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case
from core.models import Clock, User
from core.roles import AGENCY_WORKERS, COMMUNE_STAFF
from core.scope import scope_for
from notifications.outbox import notify
from referrals.models import Referral


def overdue_clocks_for(user: User, now: datetime.datetime) -> QuerySet[Clock]:
    scope = scope_for(user)
    condition = Q(pk__in=[])
    if scope.has_role(*COMMUNE_STAFF):
        condition |= Q(
            scope.units_q("unit_path", *COMMUNE_STAFF),
            subject_type=ContentType.objects.get_for_model(Case),
        )
    agencies = scope.agency_ids(*AGENCY_WORKERS)
    if agencies:
        referrals = Referral.objects.filter(agency_id__in=agencies).values("pk")
        condition |= Q(
            subject_type=ContentType.objects.get_for_model(Referral), subject_id__in=referrals
        )
    return Clock.objects.open().filter(condition, due_at__lte=now)


def send_daily_digests(*, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    users = User.objects.filter(
        is_active=True, memberships__role__in=[*COMMUNE_STAFF, *AGENCY_WORKERS]
    ).distinct()
    for user in users:
        count = overdue_clocks_for(user, now).count()
        if count:
            notify(
                key=f"digest:{today.isoformat()}",
                recipients=[user],
                event="daily_digest",
                params={"count": count},
                link="/",
            )
            sent += 1
    return sent
