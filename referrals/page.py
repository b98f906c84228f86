"""The referrals on the case page: what was referred, what the pathway still needs, the form
that sends every needed referral at once, and the referral work in the page's to-do."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.forms import BaseForm
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.choices import Service
from cases.models import Case
from cases.services import may_act_on
from cases.todo import TodoItem
from core.instance_memo import kept_on
from core.models import Role
from core.navigation import Panel
from core.roles import AGENCY_WORKERS, CASE_HANDLERS
from core.scope import scope_for
from core.typing import AuthenticatedHttpRequest
from referrals.forms import ReferAllForm, ReferralForm, WaiveForm
from referrals.models import LIVE_STATES, RESOLVED_STATES, Referral, Status
from referrals.pathways import EMERGENCY_SERVICES, pathway_for
from referrals.selectors import ReferralRow, referral_list

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


@dataclass
class PathwayState:
    referrals: "list[WithAnnotations[Referral, ReferralRow]]"
    missing_required: list[str]
    suggested: list[str]


def pathway_state(request: AuthenticatedHttpRequest, case: Case) -> PathwayState:
    """The case's referrals as this user sees them, and the services not yet referred; read
    once for each case instance and reader (the case page's referrals section and its to-do
    both show it)."""
    return kept_on(
        case, f"_pathway_state:{request.user.pk}", lambda: read_pathway_state(request, case)
    )


def read_pathway_state(request: AuthenticatedHttpRequest, case: Case) -> PathwayState:
    referrals = list(referral_list(request.user, case_id=case.pk))
    pathway = pathway_for(case)
    taken = {r.service for r in referrals if r.status in (*LIVE_STATES, *RESOLVED_STATES)}
    missing = sorted(s for s, need in pathway.items() if need == "required" and s not in taken)
    suggested = sorted(s for s, need in pathway.items() if need == "suggested" and s not in taken)
    if case.status == "emergency":
        # An emergency needs the police and a hospital at once, whatever the pathway says.
        urgent = [s for s in EMERGENCY_SERVICES if s not in taken and s not in missing]
        suggested = urgent + [s for s in suggested if s not in urgent]
    return PathwayState(referrals, missing, suggested)


def case_referrals_section(
    request: AuthenticatedHttpRequest, case: Case, bound: Mapping[str, BaseForm]
) -> Panel | None:
    if not scope_for(request.user).acts_for_unit(case.unit_path, *CASE_HANDLERS):
        return None
    state = pathway_state(request, case)
    may_refer = case.is_open and may_act_on(request.user, case, Role.COMMUNE_OFFICER)
    may_waive = case.is_open and may_act_on(request.user, case, Role.COMMUNE_CHAIR)
    initial_service = next(iter([*state.missing_required, *state.suggested]), None)
    refer_all = bound.get("refer_all")
    if may_refer and refer_all is None and (state.missing_required or state.suggested):
        refer_all = ReferAllForm(
            case=case, required=state.missing_required, suggested=state.suggested, prefix="all"
        )
    context = {
        "case": case,
        "referrals": state.referrals,
        "missing_required": [(s, Service(s).label) for s in state.missing_required],
        "suggested": [(s, Service(s).label) for s in state.suggested],
        "refer_all_form": refer_all if may_refer else None,
        "referral_form": ReferralForm(
            prefix="refer", case=case, initial={"service": initial_service}
        )
        if may_refer
        else None,
        "waive_form": WaiveForm(prefix="waive", missing=state.missing_required)
        if may_waive and state.missing_required
        else None,
    }
    return Panel("referrals/case_section.html", context, order=50)


def agency_name(referral: Referral) -> str:
    return referral.agency.name if referral.agency else "—"


def referral_todo(request: AuthenticatedHttpRequest, case: Case) -> list[TodoItem]:
    """The referral work on this case for this user: the commune's officer refers what the
    pathway needs and answers declines; the receiving agency accepts and completes."""
    if not case.is_open:
        return []
    scope = scope_for(request.user)
    items: list[TodoItem] = []
    is_officer = may_act_on(request.user, case, Role.COMMUNE_OFFICER)
    agencies = scope.agency_ids(*AGENCY_WORKERS)
    if not (is_officer or agencies):
        return []
    state = pathway_state(request, case)
    if is_officer:
        if state.missing_required:
            names = ", ".join(str(Service(s).label) for s in state.missing_required)
            items.append(
                TodoItem(
                    _("Refer the child for what the pathway requires: %(services)s")
                    % {"services": names},
                    url="#refer-all",
                    kind="refer",
                )
            )
        live = {r.service for r in state.referrals if r.status in LIVE_STATES}
        for r in state.referrals:
            if r.status == Status.DECLINED and r.service not in live:
                items.append(
                    TodoItem(
                        _("%(agency)s declined %(service)s: refer again or ask for a waiver")
                        % {"agency": agency_name(r), "service": r.get_service_display()},
                        url=reverse("referrals:detail", args=[r.pk]),
                        kind="declined",
                    )
                )
            elif r.status == Status.PENDING:
                items.append(
                    TodoItem(
                        _("Waiting for %(agency)s to accept %(service)s")
                        % {"agency": agency_name(r), "service": r.get_service_display()},
                        url=reverse("referrals:detail", args=[r.pk]),
                        due_at=r.next_due_at,
                        kind="waiting",
                    )
                )
    for r in state.referrals:
        if r.agency_id in agencies and r.status in LIVE_STATES:
            text = (
                _("Accept or decline %(service)s")
                if r.status == Status.PENDING
                else _("Complete %(service)s and record its outcome")
            )
            items.append(
                TodoItem(
                    text % {"service": r.get_service_display()},
                    url=reverse("referrals:detail", args=[r.pk]),
                    due_at=r.next_due_at,
                    kind="agency",
                )
            )
    return items
