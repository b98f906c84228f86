"""Every write to a referral (DOMAIN §6), each in one transaction and in the kernel's order
(core/workflow.py): find the referral among those the actor may see (else NotFound) → lock the
row → the actor's part and the referral's state, as the table of referrals/workflow.py says
(else Forbidden, then InvalidTransition) → the step's own record and the payload (else
ValidationError) → the transition → save, clocks, case history, audit and event.

Sending and waiving are not steps of an existing referral; they are recorded the same way.
"""

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.choices import Service
from cases.consent import Consent, check_consent
from cases.models import Case, Plan
from cases.services import may_act_on, not_before_the_report, visible_case
from core.audit import audit
from core.clocks import reschedule_clock, span_of, start_clock
from core.errors import Forbidden, InvalidTransition, NotFound
from core.models import Agency, Clock, Role, User
from core.workflow import Option, save_or_conflict
from core.working_days import (
    display_due,
    end_of_day,
    last_day,
    local_date,
    working_day_on_or_after,
)
from referrals import clocks, selectors
from referrals.models import (
    LIVE_STATES,
    RESOLVED_STATES,
    PoliceDecision,
    Referral,
    ReferralExtension,
    ReferralOutcome,
    Status,
)
from referrals.pathways import required_services
from referrals.workflow import (
    REFERRAL_EVENT_STEPS as REFERRAL_EVENT_STEPS,  # re-exported: the notifications are held to it
)
from referrals.workflow import REFERRAL_WORKFLOW, record_step

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


def check_provider(agency: Agency, service: str, *, case: Case) -> None:
    """The agency provides the service (one of its kinds does), exists today (DOMAIN §3:
    agencies have a period of validity; a referral goes to one that can act on it) and works
    where the case is: the agencies the referral form offers (referrals/providers.py)."""
    if not agency.is_active or not agency.has_kind(*PROVIDER_KINDS[service]):
        raise ValidationError({"agency": [_("This agency does not provide this service.")]})
    today = timezone.localdate()
    if not agency.is_valid_on(today):
        raise ValidationError({"agency": [not_valid_message(agency, today)]})
    if not works_for(agency, case):
        raise ValidationError({"agency": [NOT_HERE]})


NOT_HERE = gettext_lazy(
    "This agency does not work where the case is: choose one of its commune, its province or "
    "the whole country."
)


def works_for(agency: Agency, case: Case) -> bool:
    """The agency's jurisdiction is the case's commune, its province or the whole country."""
    return case.unit_path.startswith(agency.jurisdiction.path)


def not_valid_message(agency: Agency, day: datetime.date) -> str:
    """Why an agency cannot receive a referral on this day, and who took over its work."""
    if agency.valid_from is not None and day < agency.valid_from:
        return _("%(agency)s does not exist yet (valid from %(date)s).") % {
            "agency": agency.name,
            "date": f"{agency.valid_from:%d/%m/%Y}",
        }
    ended = _("%(agency)s no longer exists (valid until %(date)s).") % {
        "agency": agency.name,
        "date": f"{agency.valid_to:%d/%m/%Y}",
    }
    successors = [s.name for s in agency.successors.all() if s.is_active and s.is_valid_on(day)]
    if not successors:
        return ended
    return _("%(ended)s Its work passed to %(successors)s.") % {
        "ended": ended,
        "successors": ", ".join(successors),
    }


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
    check_provider(agency, service, case=case)
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
    record_step(referral, actor, "send", "", {"agency": agency.pk})
    return referral


def check_may_refer(*, actor: User, case: Case) -> None:
    """Only the case's commune officer refers (403), and only while the case is open (409)."""
    if not may_act_on(actor, case, Role.COMMUNE_OFFICER):
        raise Forbidden()
    if not case.is_open:
        raise InvalidTransition(_("A closed case cannot be referred."))


def locked_for_referral(*, actor: User, case_id: int) -> Case:
    """The case, under its row lock, if this user may refer the child now: a concurrent close
    either waits for the referrals or is seen."""
    case = visible_case(actor=actor, case_id=case_id)
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    check_may_refer(actor=actor, case=case)
    return case


def referable_case(*, actor: User, case_id: int) -> Case:
    """The case if this user may refer the child now: the API and the web ask before they judge
    a request's body, so a refusal is 404, 403 or 409 whatever was sent."""
    case = visible_case(actor=actor, case_id=case_id)
    check_may_refer(actor=actor, case=case)
    return case


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
    case = locked_for_referral(actor=actor, case_id=case_id)
    return send(
        case=case,
        actor=actor,
        service=service,
        agency=agency,
        consent=consent,
        urgency=urgency,
        reason=reason,
    )


@transaction.atomic
def referral_create_many(
    *,
    actor: User,
    case_id: int,
    requests: list[tuple[str, Agency, str]],
    consent: Consent,
    reason: str,
) -> list[Referral]:
    """Every referral the pathway needs, sent together: all of them, or none when one is refused
    (its error is keyed `<service>-<field>`, so the form shows it on that service's row)."""
    case = locked_for_referral(actor=actor, case_id=case_id)
    if not requests:
        raise ValidationError(_("Choose at least one service to refer."))
    if len({service for service, _agency, _urgency in requests}) != len(requests):
        raise ValidationError(_("Each service may be referred once."))
    sent = []
    for service, agency, urgency in requests:
        try:
            sent.append(
                send(
                    case=case,
                    actor=actor,
                    service=service,
                    agency=agency,
                    consent=consent,
                    urgency=urgency,
                    reason=reason,
                )
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            raise ValidationError(
                {
                    f"{service}-{field}" if field in ("agency", "service") else field: messages
                    for field, messages in error.message_dict.items()
                }
            ) from error
    return sent


def check_plan_measures(*, case: Case, measures: list[Any]) -> None:
    """Every agency a plan names provides the measure's service, exists today and works where
    the case is."""
    wrong = [
        m.service
        for m in measures
        if m.responsible_agency is not None
        and (
            not m.responsible_agency.is_active
            or not m.responsible_agency.has_kind(*PROVIDER_KINDS[m.service])
        )
    ]
    if wrong:
        raise ValidationError(
            {"measures": [_("The agency named for a measure does not provide its service.")]}
        )
    today = timezone.localdate()
    gone = [
        not_valid_message(m.responsible_agency, today)
        for m in measures
        if m.responsible_agency is not None and not m.responsible_agency.is_valid_on(today)
    ]
    if gone:
        raise ValidationError({"measures": gone})
    # Last: an agency that no longer exists is better told by who took over its work.
    if any(
        m.responsible_agency is not None and not works_for(m.responsible_agency, case)
        for m in measures
    ):
        raise ValidationError({"measures": [NOT_HERE]})


def raise_plan_referrals(*, case: Case, plan: Plan, actor: User) -> list[Referral]:
    """Law on Children Art. 52: an approved plan is carried out by the agencies it names."""
    consent = Consent(plan.consent_basis, plan.consent_by_carer, plan.consent_by_child)
    raised = []
    for measure in plan.measures.select_related("responsible_agency").prefetch_related(
        "responsible_agency__kinds"
    ):
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


# --- The steps of a referral (referrals/workflow.py) ---------------------------------------------


def visible_referral(*, actor: User, referral_id: int) -> Referral:
    referral = selectors.visible_referral(actor, referral_id)
    if referral is None:
        raise NotFound()
    return referral


def begin_step(*, actor: User, referral_id: int, name: str) -> tuple[Referral, str]:
    """The referral, locked, once the table allows the step: the actor's part (403), then the
    state and the guards (409). Returns it with the state it had before the step."""
    referral = visible_referral(actor=actor, referral_id=referral_id)
    # The case first, as the case's own steps lock it: a referral's step that took the audit
    # chain's lock before the case's row would deadlock with a case step doing the reverse.
    Case.objects.select_for_update(of=("self",)).only("pk").get(pk=referral.case_id)
    # Re-read under a row lock: a concurrent step on the same referral waits here, then sees the
    # state the winner left and is refused (only one of two accepts wins, DOMAIN §6).
    referral = (
        Referral.objects.select_for_update(of=("self",)).select_related("case").get(pk=referral.pk)
    )
    REFERRAL_WORKFLOW.check(name, actor=actor, subject=referral)
    return referral, referral.status


# --- The police's receipt of the crime report (Criminal Procedure Code 2015 Art. 147) -----------


DECIDED_SINCE_RECEIPT = gettext_lazy(
    "The decision's date is between the receipt of the report and today."
)


def decided_since_receipt(day: datetime.date, received: datetime.datetime) -> bool:
    """A decision on a crime report (the police's, the procuracy's) is dated from the day the
    report was received to today."""
    return timezone.localdate(received) <= day <= timezone.localdate()


def check_receipt(referral: Referral, received_at: datetime.datetime) -> None:
    """When the investigating body received the report: not in the future, and not before the
    case's own report was received."""
    if received_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"report_received_at": [_("This cannot be in the future.")]})
    not_before_the_report(referral.case, "report_received_at", received_at)


def months_after(day: datetime.date, months: int) -> datetime.datetime:
    """A limit counted in months: 24:00 of the same day `months` later, or of the next working
    day when that day is a day off (Criminal Procedure Code 2015 Art. 134)."""
    return end_of_day(working_day_on_or_after(day + relativedelta(months=months)))


def first_extension_limit(received_at: datetime.datetime) -> datetime.datetime:
    """Art. 147(2): a complex report may take up to 2 months from its receipt."""
    return months_after(local_date(received_at), 2)


def procuracy_extension_limit(due_at: datetime.datetime) -> datetime.datetime:
    """Art. 147(2): the procuracy may extend once more, by up to 2 months beyond the limit in
    force (whose last day is the one it ends on: 24:00 is that day's end)."""
    return months_after(last_day(due_at), 2)


def shifted_limit(due_at: datetime.datetime, days: int) -> datetime.datetime:
    """A limit counted in days, moved by whole days: 24:00 of its last day `days` later, or of
    the next working day when that is a day off (Criminal Procedure Code 2015 Art. 134)."""
    return end_of_day(working_day_on_or_after(last_day(due_at) + datetime.timedelta(days=days)))


def move_receipt(referral: Referral, received_at: datetime.datetime) -> datetime.datetime | None:
    """Set a new receipt time and move the open Art. 147 clock with it: 20 days from receipt;
    after the investigating body's extension, its limit by as many days as the receipt moved,
    ending at 24:00 and within 2 months of the receipt; the procuracy's extension stays where
    its decision put it. Returns the time it replaced."""
    check_receipt(referral, received_at)
    previous = referral.report_received_at
    referral.report_received_at = received_at
    clock = Clock.objects.for_object(referral).open().filter(kind=clocks.complete_clock(referral))
    current = clock.first()
    if current is None:  # suspended, or completing: nothing runs to move
        return previous
    if referral.extensions == 0:
        due_at = span_of(current.kind).after(received_at)
    elif referral.extensions == 1:
        days = (local_date(received_at) - local_date(previous or current.started_at)).days
        due_at = min(shifted_limit(current.due_at, days), first_extension_limit(received_at))
    else:  # the procuracy's decision, with its own date: not counted from the receipt
        due_at = current.due_at
    reschedule_clock(current, due_at)
    clock.update(started_at=received_at)
    return previous


@transaction.atomic
def referral_accept(
    *, actor: User, referral_id: int, report_received_at: datetime.datetime | None = None
) -> Referral:
    """DOMAIN §6: the agency takes the child on; it may now read what its service needs. The
    police say when the investigating body received the crime report (by default, now): the 20
    days of Criminal Procedure Code Art. 147 count from it."""
    referral, before = begin_step(actor=actor, referral_id=referral_id, name="accept")
    details: dict[str, Any] = {}
    if referral.service == Service.POLICE_REPORT:
        if report_received_at is not None:
            check_receipt(referral, report_received_at)
    elif report_received_at is not None:
        raise ValidationError(
            {"report_received_at": [_("Only the police record when they received a report.")]}
        )
    referral.accept(actor)
    if referral.service == Service.POLICE_REPORT:
        referral.report_received_at = report_received_at or referral.accepted_at
        assert referral.report_received_at is not None
        details = {"report_received_at": referral.report_received_at.isoformat()}
    return REFERRAL_WORKFLOW.finish(
        "accept", actor=actor, subject=referral, from_status=before, details=details
    )


@transaction.atomic
def referral_correct_receipt(
    *, actor: User, referral_id: int, report_received_at: datetime.datetime
) -> Referral:
    """Criminal Procedure Code 2015 Art. 147(1): the police correct when the investigating body
    received the report; the time limit moves with it. The history keeps the time replaced."""
    referral, before = begin_step(actor=actor, referral_id=referral_id, name="correct_receipt")
    if report_received_at == referral.report_received_at:
        raise ValidationError({"report_received_at": [_("This is the time already recorded.")]})
    previous = move_receipt(referral, report_received_at)
    return REFERRAL_WORKFLOW.finish(
        "correct_receipt",
        actor=actor,
        subject=referral,
        from_status=before,
        details={
            "report_received_at": report_received_at.isoformat(),
            "previous": previous.isoformat() if previous else None,
        },
    )


@transaction.atomic
def referral_decline(*, actor: User, referral_id: int, reason: str) -> Referral:
    """DOMAIN §6: the agency cannot help; the commune must re-refer or have the chair waive."""
    referral, before = begin_step(actor=actor, referral_id=referral_id, name="decline")
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the referral is declined.")]})
    referral.decline(actor, reason)
    return REFERRAL_WORKFLOW.finish(
        "decline", actor=actor, subject=referral, from_status=before, details={"reason": reason}
    )


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


# Prefilled from the referral when not given: the police entered it on accepting.
OPTIONAL_OUTCOME_FIELDS = frozenset({"report_received_at"})
# A suspension is not an outcome (Art. 148): it is its own step, and the referral stays open.
FINAL_POLICE_DECISIONS = (PoliceDecision.PROSECUTED, PoliceDecision.NOT_PROSECUTED)


def check_outcome(service: str, outcome: dict[str, Any]) -> None:
    expected = OUTCOME_FIELDS[service]
    errors = {
        name: [_("This field is required.")]
        for name in expected
        if outcome.get(name) in (None, "") and name not in OPTIONAL_OUTCOME_FIELDS
    }
    if outcome.get("police_decision") == PoliceDecision.SUSPENDED:
        errors["police_decision"] = [
            _(
                "A suspension does not end the referral: record it with “Record a suspension "
                "of the settlement”, and complete with the final decision."
            )
        ]
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
    """DOMAIN §6: the agency records what it did; its access to the case ends here."""
    referral, before = begin_step(actor=actor, referral_id=referral_id, name="complete")
    check_outcome(referral.service, outcome)
    details: dict[str, Any] = {}
    if referral.service == Service.POLICE_REPORT:
        # The outcome keeps the receipt the clock counted from; a different one given here is a
        # correction, and the clock is moved before it is met.
        received: datetime.datetime | None = (
            outcome.get("report_received_at") or referral.report_received_at or referral.accepted_at
        )
        assert received is not None  # accepted: it has an acceptance time
        if received != referral.report_received_at:
            previous = move_receipt(referral, received)
            details["report_received_at_corrected_from"] = (
                previous.isoformat() if previous else None
            )
        outcome = outcome | {"report_received_at": received}
        decided = outcome.get("decision_date")
        if decided and not decided_since_receipt(decided, received):
            raise ValidationError({"decision_date": [DECIDED_SINCE_RECEIPT]})
        details["police_decision"] = outcome["police_decision"]
    record = ReferralOutcome(referral=referral, recorded_by=actor, **outcome)
    record.full_clean(exclude=["referral"])
    record.save()
    referral.complete()
    return REFERRAL_WORKFLOW.finish(
        "complete", actor=actor, subject=referral, from_status=before, details=details
    )


@transaction.atomic
def referral_extend(
    *,
    actor: User,
    referral_id: int,
    due_at: datetime.datetime,
    reason: str,
    procuracy_decision_number: str = "",
    procuracy_decision_date: datetime.date | None = None,
) -> Referral:
    """Criminal Procedure Code 2015, Art. 147(2): a complex report may take up to 2 months from
    its receipt; then the procuracy may extend that once more by up to 2 months, by a decision
    whose number and date the police record."""
    referral, before = begin_step(actor=actor, referral_id=referral_id, name="extend")
    clock = Clock.objects.for_object(referral).open().get(kind=clocks.complete_clock(referral))
    received = referral.report_received_at or clock.started_at
    by_procuracy = referral.extensions == 1
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = [_("Say why more time is needed.")]
    number = procuracy_decision_number.strip()
    if by_procuracy:
        if not number:
            errors["procuracy_decision_number"] = [
                _("The second extension is the procuracy's: give its decision's number.")
            ]
        if procuracy_decision_date is None:
            errors["procuracy_decision_date"] = [
                _("The second extension is the procuracy's: give its decision's date.")
            ]
        elif not decided_since_receipt(procuracy_decision_date, received):
            errors["procuracy_decision_date"] = [str(DECIDED_SINCE_RECEIPT)]
    elif number or procuracy_decision_date is not None:
        message = _("The first extension is the investigating body's own; no procuracy decision.")
        for name, value in (
            ("procuracy_decision_number", number),
            ("procuracy_decision_date", procuracy_decision_date),
        ):
            if value:
                errors[name] = [message]
    # First to 2 months from receipt; then 2 more months beyond that, by the procuracy.
    limit = (
        procuracy_extension_limit(clock.due_at) if by_procuracy else first_extension_limit(received)
    )
    if not clock.due_at < due_at <= limit:
        errors["due_at"] = [
            _("Choose a date after the current limit and no later than %(limit)s.")
            % {"limit": display_due(limit)}
        ]
    if errors:
        raise ValidationError(errors)
    referral.extensions += 1
    ReferralExtension.objects.create(
        referral=referral,
        number=referral.extensions,
        due_at=due_at,
        previous_due_at=clock.due_at,
        reason=reason,
        procuracy_decision_number=number,
        procuracy_decision_date=procuracy_decision_date,
        recorded_by=actor,
    )
    reschedule_clock(clock, due_at)
    details: dict[str, Any] = {"due_at": due_at.isoformat(), "reason": reason}
    if by_procuracy:
        assert procuracy_decision_date is not None
        details |= {
            "procuracy_decision_number": number,
            "procuracy_decision_date": procuracy_decision_date.isoformat(),
        }
    return REFERRAL_WORKFLOW.finish(
        "extend", actor=actor, subject=referral, from_status=before, details=details
    )


@transaction.atomic
def referral_record_suspension(
    *, actor: User, referral_id: int, suspended_on: datetime.date, reason: str
) -> Referral:
    """Criminal Procedure Code 2015 Art. 148: the police suspend the settlement (an expert
    opinion, a valuation, documents or judicial assistance awaited; force majeure). It is one of
    the decisions that meet the Art. 147 limit (Art. 147(1)(c)), so its clock is met; but it is
    not final: the referral stays open, and a reminder to resume (Art. 149) runs until the police
    complete it with their decision."""
    referral, before = begin_step(actor=actor, referral_id=referral_id, name="record_suspension")
    errors: dict[str, list[str]] = {}
    received = referral.report_received_at or referral.accepted_at
    earliest = timezone.localdate(received) if received else None
    if suspended_on > timezone.localdate() or (earliest and suspended_on < earliest):
        errors["suspended_on"] = [
            _("The decision's date is between the receipt of the report and today.")
        ]
    if not reason.strip():
        errors["reason"] = [_("Say why the settlement is suspended.")]
    if errors:
        raise ValidationError(errors)
    referral.suspended_on = suspended_on
    referral.suspension_reason = reason
    referral.resumed_on = None  # suspended again within a resumed settlement's month
    return REFERRAL_WORKFLOW.finish(
        "record_suspension",
        actor=actor,
        subject=referral,
        from_status=before,
        details={"suspended_on": suspended_on.isoformat(), "reason": reason},
    )


@transaction.atomic
def referral_record_resumption(
    *, actor: User, referral_id: int, resumed_on: datetime.date, reason: str
) -> Referral:
    """Criminal Procedure Code 2015 Art. 149(1): the grounds of the suspension are gone, and the
    police decide to resume; from that decision they have one month more to settle the report
    (24:00 of the same day a month on, moved off a day off: Art. 134), a limit fixed by law."""
    referral, before = begin_step(actor=actor, referral_id=referral_id, name="record_resumption")
    errors: dict[str, list[str]] = {}
    assert referral.suspended_on is not None  # the step's guard: it is suspended
    if not referral.suspended_on <= resumed_on <= timezone.localdate():
        errors["resumed_on"] = [
            _("The decision's date is between the suspension (%(day)s) and today.")
            % {"day": referral.suspended_on.strftime("%d/%m/%Y")}
        ]
    if not reason.strip():
        errors["reason"] = [_("Say why the settlement resumes.")]
    if errors:
        raise ValidationError(errors)
    referral.resumed_on = resumed_on
    start_clock(
        kind=clocks.RESUMED_KIND,
        subject=referral,
        due_at=months_after(resumed_on, 1),
        unit_path=referral.unit_path,
    )
    return REFERRAL_WORKFLOW.finish(
        "record_resumption",
        actor=actor,
        subject=referral,
        from_status=before,
        details={"resumed_on": resumed_on.isoformat(), "reason": reason},
    )


@transaction.atomic
def referral_assign(*, actor: User, referral_id: int, staff: User) -> Referral:
    """DOMAIN §6: the agency head gives the referral to one of the agency's staff."""
    referral, before = begin_step(actor=actor, referral_id=referral_id, name="assign")
    if not selectors.assignable_staff(referral).filter(pk=staff.pk).exists():
        raise ValidationError({"assigned_to": [_("Choose a member of this agency's staff.")]})
    if referral.assigned_to_id == staff.pk:
        # Sent again (a double click): the history would name the same person twice.
        raise ValidationError({"assigned_to": [_("The referral is already assigned to them.")]})
    referral.assigned_to = staff
    return REFERRAL_WORKFLOW.finish(
        "assign",
        actor=actor,
        subject=referral,
        from_status=before,
        details={"assigned_to": staff.pk},
    )


@transaction.atomic
def referral_cancel(*, actor: User, referral_id: int, reason: str) -> Referral:
    """DOMAIN §6: the commune withdraws the referral; the agency's access to the case ends."""
    referral, before = begin_step(actor=actor, referral_id=referral_id, name="cancel")
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the referral is cancelled.")]})
    referral.cancel(reason)
    return REFERRAL_WORKFLOW.finish(
        "cancel", actor=actor, subject=referral, from_status=before, details={"reason": reason}
    )


# --- Waiving a required service ------------------------------------------------------------------


def check_may_waive(*, actor: User, case: Case) -> None:
    """Only the case's commune chair waives (403), and only while the case is open (409)."""
    if not may_act_on(actor, case, Role.COMMUNE_CHAIR):
        raise Forbidden()
    if not case.is_open:
        raise InvalidTransition(_("A closed case cannot be referred."))


def waivable_case(*, actor: User, case_id: int) -> Case:
    """The case if this user may waive its services (404, 403), asked before a body is judged."""
    case = visible_case(actor=actor, case_id=case_id)
    check_may_waive(actor=actor, case=case)
    return case


@transaction.atomic
def referral_waive(*, actor: User, case_id: int, service: str, reason: str) -> Referral:
    """DOMAIN §6: the commune chair exempts a required service, with a reason, so the case may
    close."""
    case = visible_case(actor=actor, case_id=case_id)
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    check_may_waive(actor=actor, case=case)
    referrals = Referral.objects.select_for_update().filter(case=case, service=service)
    if referrals.filter(status__in=[*LIVE_STATES, *RESOLVED_STATES]).exists():
        raise InvalidTransition(_("This service is in progress or already resolved."))
    if service not in required_services(case):
        raise ValidationError(
            {"service": [_("Only a service the pathway requires can be waived.")]}
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the service is waived.")]})
    declined = referrals.filter(status=Status.DECLINED).order_by("-declined_at").first()
    if declined is not None:
        before = declined.status
        declined.waive(actor, reason)
        save_or_conflict(declined)
        referral = declined
    else:
        before = ""
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
    record_step(referral, actor, "waive", before, {"reason": reason})
    return referral


# --- Reading -------------------------------------------------------------------------------------


def referral_open(*, actor: User, referral_id: int) -> Referral:
    """Read one referral: the read is audited, as a case's is (Law on Children Art. 21)."""
    referral = visible_referral(actor=actor, referral_id=referral_id)
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


def transitions_for(*, actor: User, referral: Referral) -> list[Option]:
    """Every step of the referral with whether this user may run it now and, if not, why."""
    return REFERRAL_WORKFLOW.options(actor=actor, subject=referral)
