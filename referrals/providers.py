"""Which agencies may receive a referral from a case: those of a kind that provides the service,
that exist today, and whose jurisdiction covers the case's commune (the commune's own, its
province's, or national ones) — so a forensic exam is never offered to a primary school."""

from django.utils import timezone

from core.models import Agency
from core.models.agencies import AgencyQuerySet
from core.staff import path_prefixes
from referrals.services import PROVIDER_KINDS


def providers(unit_path: str, *services: str) -> AgencyQuerySet:
    """The agencies providing any of `services` (all services when none is named)."""
    kinds = {kind for service in services or PROVIDER_KINDS for kind in PROVIDER_KINDS[service]}
    return (
        Agency.objects.filter(is_active=True, jurisdiction__path__in=path_prefixes(unit_path))
        .valid_on(timezone.localdate())
        .with_kind(*sorted(kinds))
        .order_by("name")
    )
