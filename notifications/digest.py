"""Once a day, each user with overdue items is told how many (not which: the list is in the app)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from cases.models import Case
from cases.visibility import COMMUNE_ROLES
from core.models import Clock, User
from core.scope import scope_for
from notifications.services import notify
from referrals.access import AGENCY_ROLES
from referrals.models import Referral


def overdue_clocks_for(user: User, now: datetime.datetime):
    scope = scope_for(user)
    condition = Q(pk__in=[])
    if scope.has_role(*COMMUNE_ROLES):
        condition |= Q(
            scope.units_q("unit_path", *COMMUNE_ROLES),
            subject_type=ContentType.objects.get_for_model(Case),
        )
    agencies = scope.agency_ids(*AGENCY_ROLES)
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
        is_active=True, memberships__role__in=[*COMMUNE_ROLES, *AGENCY_ROLES]
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
