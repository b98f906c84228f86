"""The referrals section of the case page: what was referred, what the pathway still needs."""

from cases.choices import Service
from cases.models import Case
from cases.services import may_act_on
from core.models import Role
from core.navigation import Panel
from core.roles import CASE_HANDLERS
from core.scope import scope_for
from core.typing import AuthenticatedHttpRequest
from referrals.forms import ReferralForm, WaiveForm
from referrals.models import LIVE_STATES, RESOLVED_STATES
from referrals.pathways import EMERGENCY_SERVICES, pathway_for
from referrals.selectors import referral_list


def case_referrals_section(request: AuthenticatedHttpRequest, case: Case) -> Panel | None:
    if not scope_for(request.user).acts_for_unit(case.unit_path, *CASE_HANDLERS):
        return None
    referrals = list(referral_list(request.user, case_id=case.pk))
    pathway = pathway_for(case)
    taken = {r.service for r in referrals if r.status in (*LIVE_STATES, *RESOLVED_STATES)}
    missing_required = sorted(
        s for s, need in pathway.items() if need == "required" and s not in taken
    )
    suggested = sorted(s for s, need in pathway.items() if need == "suggested" and s not in taken)
    if case.status == "emergency":
        urgent = [s for s in EMERGENCY_SERVICES if s not in taken and s not in missing_required]
        suggested = urgent + [s for s in suggested if s not in urgent]
    may_refer = case.is_open and may_act_on(request.user, case, Role.COMMUNE_OFFICER)
    may_waive = case.is_open and may_act_on(request.user, case, Role.COMMUNE_CHAIR)
    initial_service = next(iter([*missing_required, *suggested]), None)
    context = {
        "case": case,
        "referrals": referrals,
        "missing_required": [(s, Service(s).label) for s in missing_required],
        "suggested": [(s, Service(s).label) for s in suggested],
        "referral_form": ReferralForm(prefix="refer", initial={"service": initial_service})
        if may_refer
        else None,
        "waive_form": WaiveForm(prefix="waive") if may_waive and missing_required else None,
    }
    return Panel("referrals/case_section.html", context, order=50)
