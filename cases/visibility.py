"""Who may see a case, as one SQL condition built from the user's scope.

Apps built on cases (referrals: the receiving agency) add their own grants here.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from cases.models import CaseTransfer
from core.models import Role, User
from core.roles import CASE_HANDLERS, COMMUNE_STAFF
from core.scope import Scope

VisibilityGrant = Callable[[User, Scope], Q | None]
_grants: list[VisibilityGrant] = []


def register_visibility_grant(grant: VisibilityGrant) -> VisibilityGrant:
    if grant not in _grants:
        _grants.append(grant)
    return grant


def case_visibility(user: User, scope: Scope, *, with_grants: bool = True) -> Q:
    """Who may open a case. Lists leave out the grants of other apps (`with_grants=False`): an
    agency reads the one case its referral opens, from its referral, not a list of cases whose
    filters would reveal what its service may not read."""
    condition = scope.units_q("unit_path", *CASE_HANDLERS)
    if scope.has_role(Role.HOTLINE_OPERATOR):
        # The hotline keeps sight of its report only until the commune takes it over.
        condition |= Q(recorded_by=user, recorded_by_hotline=True, taken_by_commune_at__isnull=True)
    if scope.has_role(*COMMUNE_STAFF):
        incoming = CaseTransfer.objects.filter(
            scope.units_q("to_unit_path", *COMMUNE_STAFF),
            case=OuterRef("pk"),
            outcome=CaseTransfer.Outcome.PENDING,
        )
        condition |= Q(Exists(incoming))
    for grant in _grants if with_grants else ():
        extra = grant(user, scope)
        if extra is not None:
            condition |= extra
    return condition
