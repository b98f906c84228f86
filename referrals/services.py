"""Every write to a referral (DOMAIN §6), in the order of cases/services.py: find what the actor
may see → check the role → lock → transition → save → clocks → case history and audit."""

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from cases.choices import Service
from cases.consent import Consent, check_consent
from cases.history import record_event
from cases.models import Case, Plan
from cases.services import locked_case, may_act_on
from core.audit import audit
from core.clocks import meet_clocks, reschedule_clock, start_clock, stop_clocks
from core.errors import Conflict, Forbidden, InvalidTransition, NotFound
from core.events import publish
from core.models import Agency, Clock, Role, RoleMembership, User
from core.scope import scope_for
from referrals import clocks
from referrals.access import AGENCY_ROLES
from referrals.events import ReferralStepTaken
from referrals.models import (
    LIVE_STATES,
    RESOLVED_STATES,
    Referral,
    ReferralOutcome,
    Status,
)
from referrals.pathways import required_services
from referrals.selectors import referrals_visible_to

# Which kinds of agency provide each service.
PROVIDER_KINDS: dict[str, tuple[str, ...]] = {
    Service.POLICE_REPORT: ("police",),
    Service.FORENSIC_EXAM: ("forensic_medicine",),
    Service.MEDICAL_CARE: ("health_facility",),
    Service.LEGAL_AID: ("legal_aid_centre",),
    Service.PSYCHOSOCIAL: (
        "child_protection_service",
        "social_support_facility",
        "health_facility",
    ),
    Service.SOCIAL_SUPPORT: ("social_support_facility", "child_protection_service"),
    Service.EDUCATION_SUPPORT: ("school", "education_department"),
}


def check_provider(agency: Agency, service: str) -> None:
    if not agency.is_active or agency.kind.code not in PROVIDER_KINDS[service]:
        raise ValidationError({"agency": [_("This agency does not provide this service.")]})


def log(referral: Referral, actor: User, action: str, details: dict | None = None) -> None:
    history = record_event(
        case=referral.case,
        actor=actor,
        action=f"referral_{action}",
        details={"referral": referral.pk, "service": referral.service} | (details or {}),
    )
    publish(ReferralStepTaken(referral=referral, actor=actor, step=action, history_id=history.pk))


# --- Sending -------------------------------------------------------------------------------------


def send(
    *,
    case: Case,
    actor: User,
    service: str,
    agency: Agency,
    consent: Consent,
    urgency: str,
    reason: str,
) -> Referral:
    if service not in Service.values:
        raise ValidationError({"service": [_("Choose a service.")]})
    check_provider(agency, service)
    check_consent(consent, case.child)
    if Referral.objects.filter(case=case, service=service, status__in=LIVE_STATES).exists():
        raise ValidationError({"service": [_("This service is already referred and in progress.")]})
    referral = Referral.objects.create(
        case=case,
        unit_path=case.unit_path,
        service=service,
        required=service in required_services(case),
        urgency=urgency,
        reason=reason,
        sent_by=actor,
        agency=agency,
        consent_basis=consent.basis,
        consent_by_carer=consent.by_carer,
        consent_by_child=consent.by_child,
    )
    start_clock(kind=clocks.accept_kind(service), subject=referral, unit_path=case.unit_path)
    log(referral, actor, "sent", {"agency": agency.pk})
    return referral


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case_id: int,
    service: str,
    agency: Agency,
    consent: Consent,
    urgency: str = "routine",
    reason: str = "",
) -> Referral:
    """Decree 56/2017 Art. 29: the commune refers the child to an agency for a service."""
    case = locked_case(actor=actor, case_id=case_id, role=Role.COMMUNE_OFFICER)
    if not case.is_open:
        raise InvalidTransition(_("A closed case cannot be referred."))
    return send(
        case=case,
        actor=actor,
        service=service,
        agency=agency,
        consent=consent,
        urgency=urgency,
        reason=reason,
    )


def check_plan_measures(*, case: Case, measures: list) -> None:
    """Every agency a plan names must provide the measure's service."""
    wrong = [
        m.service
        for m in measures
        if m.responsible_agency is not None
        and (
            not m.responsible_agency.is_active
            or m.responsible_agency.kind.code not in PROVIDER_KINDS[m.service]
        )
    ]
    if wrong:
        raise ValidationError(
            {"measures": [_("The agency named for a measure does not provide its service.")]}
        )


def raise_plan_referrals(*, case: Case, plan: Plan, actor: User) -> list[Referral]:
    """Law on Children Art. 52: an approved plan is carried out by the agencies it names."""
    consent = Consent(plan.consent_basis, plan.consent_by_carer, plan.consent_by_child)
    raised = []
    for measure in plan.measures.select_related("responsible_agency__kind"):
        if measure.responsible_agency is None:
            continue
        if Referral.objects.filter(
            case=case, service=measure.service, status__in=LIVE_STATES
        ).exists():
            continue  # already with an agency, e.g. since the emergency
        raised.append(
            send(
                case=case,
                actor=actor,
                service=measure.service,
                agency=measure.responsible_agency,
                consent=consent,
                urgency="routine",
                reason=measure.description,
            )
        )
    return raised


# --- The receiving agency ------------------------------------------------------------------------


def locked_referral(*, actor: User, referral_id: int) -> Referral:
    referral = referrals_visible_to(actor).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound()
    return (
        Referral.objects.select_for_update(of=("self",)).select_related("case").get(pk=referral.pk)
    )


def acts_for_agency(actor: User, referral: Referral, *roles: str) -> bool:
    return referral.agency_id in scope_for(actor).agency_ids(*roles)


def begin(*, actor: User, referral_id: int, name: str, roles: tuple[str, ...]) -> Referral:
    referral = locked_referral(actor=actor, referral_id=referral_id)
    if not acts_for_agency(actor, referral, *roles):
        raise Forbidden()
    if not referral.case.is_open:
        raise InvalidTransition(_("The case is closed."))
    if not can_proceed(getattr(referral, name)):
        raise InvalidTransition(
            _("“%(step)s” is not possible while the referral is “%(status)s”.")
            % {"step": name, "status": referral.get_status_display()}
        )
    return referral


def save(referral: Referral) -> None:
    try:
        referral.save()
    except ConcurrentTransition:
        raise Conflict() from None


@transaction.atomic
def referral_accept(*, actor: User, referral_id: int) -> Referral:
    """The agency takes the child on; it may now read what its service needs of the case."""
    referral = begin(actor=actor, referral_id=referral_id, name="accept", roles=AGENCY_ROLES)
    referral.accept(actor)
    save(referral)
    meet_clocks(subject=referral, kinds=[clocks.accept_kind(referral.service)])
    start_clock(
        kind=clocks.complete_kind(referral.service),
        subject=referral,
        start=referral.accepted_at,
        unit_path=referral.unit_path,
    )
    log(referral, actor, "accepted")
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral_id: int, reason: str) -> Referral:
    """The agency cannot help; the commune must re-refer or have the chair waive the service."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the referral is declined.")]})
    referral = begin(actor=actor, referral_id=referral_id, name="decline", roles=AGENCY_ROLES)
    referral.decline(actor, reason)
    save(referral)
    stop_clocks(subject=referral)
    log(referral, actor, "declined", {"reason": reason})
    return referral


OUTCOME_FIELDS: dict[str, tuple[str, ...]] = {
    Service.POLICE_REPORT: (
        "report_received_at",
        "police_decision",
        "decision_date",
        "child_friendly_room",
    ),
    Service.FORENSIC_EXAM: ("examined_at", "report_reference"),
    Service.MEDICAL_CARE: ("admitted_at", "discharged_at", "summary"),
    Service.LEGAL_AID: ("provider", "proceedings"),
    Service.SOCIAL_SUPPORT: ("services_given",),
    Service.PSYCHOSOCIAL: ("services_given",),
    Service.EDUCATION_SUPPORT: ("services_given",),
}


def check_outcome(service: str, outcome: dict[str, Any]) -> None:
    expected = OUTCOME_FIELDS[service]
    errors = {
        name: [_("This field is required.")] for name in expected if outcome.get(name) in (None, "")
    }
    errors |= {
        name: [_("This field does not belong to this service's outcome.")]
        for name in outcome
        if name not in expected
    }
    now = timezone.now()
    for name, value in outcome.items():
        if isinstance(value, datetime.datetime) and value > now + datetime.timedelta(minutes=5):
            errors.setdefault(name, []).append(_("This cannot be in the future."))
    admitted, discharged = outcome.get("admitted_at"), outcome.get("discharged_at")
    if admitted and discharged and discharged < admitted:
        errors.setdefault("discharged_at", []).append(_("Discharge cannot precede admission."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def referral_complete(*, actor: User, referral_id: int, outcome: dict[str, Any]) -> Referral:
    """The agency records what it did; its access to the case ends here."""
    referral = begin(actor=actor, referral_id=referral_id, name="complete", roles=AGENCY_ROLES)
    check_outcome(referral.service, outcome)
    record = ReferralOutcome(referral=referral, recorded_by=actor, **outcome)
    record.full_clean(exclude=["referral"])
    record.save()
    referral.complete()
    save(referral)
    meet_clocks(subject=referral, kinds=[clocks.complete_kind(referral.service)])
    decision = outcome.get("police_decision", "")
    log(referral, actor, "completed", {"police_decision": decision} if decision else {})
    return referral


@transaction.atomic
def referral_assign(*, actor: User, referral_id: int, staff: User) -> Referral:
    """The agency head gives the referral to one of the agency's staff."""
    referral = locked_referral(actor=actor, referral_id=referral_id)
    if not acts_for_agency(actor, referral, Role.AGENCY_HEAD):
        raise Forbidden()
    if not referral.is_live:
        raise InvalidTransition(_("Only a pending or accepted referral can be assigned."))
    works_there = RoleMembership.objects.filter(
        user=staff, agency_id=referral.agency_id, role__in=AGENCY_ROLES, user__is_active=True
    ).exists()
    if not works_there:
        raise ValidationError({"assigned_to": [_("Choose a member of this agency's staff.")]})
    referral.assigned_to = staff
    referral.save(update_fields=["assigned_to"])
    log(referral, actor, "assigned", {"assigned_to": staff.pk})
    return referral


@transaction.atomic
def referral_extend(
    *, actor: User, referral_id: int, due_at: datetime.datetime, reason: str
) -> Referral:
    """Criminal Procedure Code 2015, Art. 147: a complex report may take up to 2 months, and the
    procuracy may extend that once more by up to 2 months."""
    referral = begin(actor=actor, referral_id=referral_id, name="complete", roles=AGENCY_ROLES)
    if referral.service != Service.POLICE_REPORT:
        raise InvalidTransition(
            _("Only the police's settlement of a crime report can be extended.")
        )
    if referral.extensions >= 2:
        raise InvalidTransition(_("The time limit has already been extended twice."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why more time is needed.")]})
    clock = (
        Clock.objects.for_object(referral).open().get(kind=clocks.complete_kind(referral.service))
    )
    limit = (
        referral.accepted_at + relativedelta(months=2)
        if referral.extensions == 0
        else clock.due_at + relativedelta(months=2)
    )
    if not clock.due_at < due_at <= limit:
        raise ValidationError(
            {
                "due_at": [
                    _("Choose a date after the current limit and no later than %(limit)s.")
                    % {"limit": timezone.localtime(limit).strftime("%d/%m/%Y %H:%M")}
                ]
            }
        )
    reschedule_clock(clock, due_at)
    referral.extensions += 1
    referral.save(update_fields=["extensions"])
    log(referral, actor, "extended", {"due_at": due_at.isoformat(), "reason": reason})
    return referral


# --- The sending commune -------------------------------------------------------------------------


@transaction.atomic
def referral_cancel(*, actor: User, referral_id: int, reason: str) -> Referral:
    """The commune withdraws the referral; the agency's access to the case ends."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the referral is cancelled.")]})
    referral = locked_referral(actor=actor, referral_id=referral_id)
    if not may_act_on(actor, referral.case, Role.COMMUNE_OFFICER):
        raise Forbidden()
    if not can_proceed(referral.cancel):
        raise InvalidTransition(_("Only a pending or accepted referral can be cancelled."))
    referral.cancel(reason)
    save(referral)
    stop_clocks(subject=referral)
    log(referral, actor, "cancelled", {"reason": reason})
    return referral


@transaction.atomic
def referral_waive(*, actor: User, case_id: int, service: str, reason: str) -> Referral:
    """The commune chair exempts a required service, with a reason, so the case may close."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the service is waived.")]})
    case = locked_case(actor=actor, case_id=case_id, role=Role.COMMUNE_CHAIR)
    if service not in required_services(case):
        raise ValidationError(
            {"service": [_("Only a service the pathway requires can be waived.")]}
        )
    referrals = Referral.objects.select_for_update().filter(case=case, service=service)
    if referrals.filter(status__in=[*LIVE_STATES, *RESOLVED_STATES]).exists():
        raise InvalidTransition(_("This service is in progress or already resolved."))
    declined = referrals.filter(status=Status.DECLINED).order_by("-declined_at").first()
    if declined is not None:
        declined.waive(actor, reason)
        save(declined)
        referral = declined
    else:
        referral = Referral.objects.create(
            case=case,
            unit_path=case.unit_path,
            service=service,
            required=True,
            status=Status.WAIVED,
            sent_by=actor,
            waived_by=actor,
            waived_at=timezone.now(),
            waive_reason=reason,
        )
    log(referral, actor, "waived", {"reason": reason})
    return referral


# --- Reading -------------------------------------------------------------------------------------


def referral_open(*, actor: User, referral_id: int) -> Referral:
    referral = referrals_visible_to(actor).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound()
    audit(actor=actor, action="referral.read", target=referral)
    return referral


def unresolved_required_services(case: Case) -> list[str]:
    """Required services neither completed nor waived: what stops the case from closing."""
    resolved = set(
        Referral.objects.filter(case=case, status__in=RESOLVED_STATES).values_list(
            "service", flat=True
        )
    )
    return sorted(required_services(case) - resolved)


def closure_blocker(case: Case) -> list[str]:
    return [
        _("Required service not completed or waived: %(service)s.") % {"service": Service(s).label}
        for s in unresolved_required_services(case)
    ]


# --- What this user may do now -------------------------------------------------------------------

TRANSITIONS = ("accept", "decline", "complete", "extend", "assign", "cancel")


def transitions_for(*, actor: User, referral: Referral) -> list[dict[str, Any]]:
    """Every referral step with whether this user may run it now and, if not, why."""
    agency_staff = acts_for_agency(actor, referral, *AGENCY_ROLES)
    rows = []
    for name in TRANSITIONS:
        missing: list[str] = []
        if name in ("accept", "decline", "complete", "extend"):
            if not agency_staff:
                missing.append(_("only the receiving agency"))
            state_ok = can_proceed(getattr(referral, "complete" if name == "extend" else name))
            if name == "extend" and (
                referral.service != Service.POLICE_REPORT or referral.extensions >= 2
            ):
                state_ok = False
        elif name == "assign":
            if not acts_for_agency(actor, referral, Role.AGENCY_HEAD):
                missing.append(_("only the head of the receiving agency"))
            state_ok = referral.is_live
        else:
            if not may_act_on(actor, referral.case, Role.COMMUNE_OFFICER):
                missing.append(_("only the sending commune's officer"))
            state_ok = can_proceed(referral.cancel)
        if not state_ok:
            missing.insert(0, _("not possible in the current state"))
        rows.append({"name": name, "allowed": not missing, "missing": [str(m) for m in missing]})
    return rows
