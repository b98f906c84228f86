"""Which report a user may see, and the report itself, suppressed where it must be."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import policy
from core.audit import audit
from core.errors import Forbidden, NotFound
from core.models import Agency, Role, Unit, UnitLevel, User
from core.roles import CASE_HANDLERS, INDICATOR_READERS
from core.scope import scope_for, under_paths
from reports import suppression
from reports.indicators import Period, indicator_report

# Case-handling staff see exact counts on the page; everyone else, and every export, sees them
# suppressed — except the official submission, exact and confidential, for those who sign it.


def report_units(user: User) -> QuerySet[Unit]:
    """Units the user may report on: those of their roles and everything under them, plus, in
    the other structure, the provinces (with all under them) and the communes that became theirs
    or that theirs became."""
    paths = scope_for(user).unit_paths(*INDICATOR_READERS)
    if not paths:
        return Unit.objects.none()
    mine = Unit.objects.filter(under_paths("path", paths))
    linked = Q()
    for level in (UnitLevel.PROVINCE, UnitLevel.COMMUNE):
        own = mine.filter(level=level)
        linked |= Q(level=level) & (Q(successors__in=own) | Q(predecessors__in=own))
    linked_units = Unit.objects.filter(linked)
    other_provinces = list(
        linked_units.filter(level=UnitLevel.PROVINCE).values_list("path", flat=True)
    )
    near = under_paths("path", [*paths, *other_provinces])
    return Unit.objects.filter(near | Q(pk__in=linked_units.values("pk")))


def parse_unit(value: str) -> tuple[str, str]:
    """ "2025:37" or "37" (the structure valid today) → (structure, code)."""
    structure, _sep, code = value.rpartition(":")
    if not structure:
        today = timezone.localdate()
        unit = Unit.objects.valid_on(today).filter(code=code).first()
        structure = unit.structure if unit else ""
    return structure, code


@dataclass
class Request:
    year: int
    unit: Unit
    suppress: bool


# The first year a report may be asked for (the forms offer it as their lower bound).
FIRST_YEAR = 2000


def parse_year(value: int | str | None) -> int:
    """The year asked for, from FIRST_YEAR to this year; anything else (or none) is a
    ValidationError."""
    try:
        year = int(value or "")
        if not FIRST_YEAR <= year <= timezone.localdate().year:
            raise ValueError
    except (TypeError, ValueError):
        message = _("Choose a year between %(first)s and this year.") % {"first": FIRST_YEAR}
        raise ValidationError({"year": [message]}) from None
    return year


def resolve(*, user: User, year: int | str | None, unit: str, export: bool = False) -> Request:
    year = parse_year(year)
    structure, code = parse_unit(unit or "")
    found = report_units(user).filter(structure=structure, code=code).first()
    if found is None:
        raise NotFound(_("No such unit among those you may report on."))
    scope = scope_for(user)
    handles_cases = scope.acts_for_unit(found.path, *CASE_HANDLERS)
    return Request(year=year, unit=found, suppress=export or not handles_cases)


def shown_indicators(*, actor: User, year: int, unit: Unit, suppress: bool, action: str) -> dict:
    """The indicators for `year` and `unit` as they may be shown, and the audit row saying who
    computed them, when, for which year and unit, and whether exact."""
    with policy.held():  # one threshold for every hidden cell, read once
        # Suppressed, the report counts its siblings too, so that it hides what theirs would
        # give away.
        raw = indicator_report(Period(year, unit, siblings=suppress), now=timezone.now())
        hidden = suppression.hidden_in(raw) if suppress else {}
        audit(
            actor=actor,
            action=action,
            target=unit,
            details={"year": year, "unit": f"{unit.structure}:{unit.code}", "exact": not suppress},
        )
        return {
            "year": year,
            "unit": {
                "code": unit.code,
                "name": unit.name,
                "structure": unit.structure,
                "level": unit.level,
            },
            "suppressed": suppress,
            "confidential": not suppress and action == OFFICIAL_SUBMISSION,
            "generated_at": timezone.now(),
            "tables": [
                suppression.shown_table(t, hidden=hidden.get(t.key, set()) if suppress else None)
                for t in raw.tables
            ],
            "timeliness": [
                suppression.shown_deadline(d, hidden=hidden.get(suppression.deadline_key(d)))
                for d in raw.timeliness
            ],
        }


def indicators_for(*, user: User, year: int | str | None, unit: str, export: bool = False) -> dict:
    request = resolve(user=user, year=year, unit=unit, export=export)
    action = "report.export" if export else "report.indicators"
    return shown_indicators(
        actor=user, year=request.year, unit=request.unit, suppress=request.suppress, action=action
    )


# --- The official statistical submission (DOMAIN §9) --------------------------------------------

OFFICIAL_SUBMISSION = "report.official_submission"
LEAD_KIND = "provincial_child_protection_lead"


def submission_units(user: User) -> QuerySet[Unit]:
    """Units whose exact figures the user may submit: a provincial officer's province, and the
    jurisdiction of a provincial lead agency whose head the user is — each with all under it."""
    scope = scope_for(user)
    paths = list(scope.unit_paths(Role.PROVINCIAL_OFFICER))
    leads = Agency.objects.filter(
        pk__in=scope.agency_ids(Role.AGENCY_HEAD), is_active=True
    ).with_kind(LEAD_KIND)
    paths += leads.values_list("jurisdiction__path", flat=True)
    return Unit.objects.filter(under_paths("path", paths)) if paths else Unit.objects.none()


def may_submit(user: User) -> bool:
    return submission_units(user).exists()


def official_submission(*, user: User, year: int | str | None, unit: str) -> dict:
    """The exact figures, marked confidential, for the ministry; every one is an audit row."""
    if not may_submit(user):
        raise Forbidden(
            _(
                "Only provincial officers and the head of the provincial child-protection lead "
                "agency produce the official statistical submission."
            )
        )
    year = parse_year(year)
    structure, code = parse_unit(unit or "")
    found = submission_units(user).filter(structure=structure, code=code).first()
    if found is None:
        raise NotFound(_("No such unit among those you may report on."))
    return shown_indicators(
        actor=user, year=year, unit=found, suppress=False, action=OFFICIAL_SUBMISSION
    )


def default_unit(user: User) -> str:
    units = report_units(user).order_by("path")
    first = units.filter(structure="2025").first() or units.first()
    return f"{first.structure}:{first.code}" if first else ""
