"""Every write to an inspection (DOMAIN §8), in the order of the other apps: find what the actor may
see → check the role → lock → transition → save → clocks → history and audit."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import ConcurrentTransition, can_proceed

from cases import services as case_services
from cases.choices import Source
from core.audit import audit
from core.clocks import meet_clocks, start_clock, stop_clocks
from core.errors import Conflict, Forbidden, InvalidTransition, NotFound
from core.events import publish
from core.models import Agency, Role, Unit, User
from core.scope import scope_for
from core.working_days import local_zone
from inspections import clocks
from inspections.labels import TRANSITION_LABELS
from inspections.models import (
    Finding,
    InspectedSubject,
    Inspection,
    InspectionEvent,
    Membership,
    Recommendation,
    Sanction,
    Status,
)
from inspections.selectors import inspections_visible_to, is_lead, is_member

TRANSITIONS = ("start", "begin_reporting", "conclude", "follow_up", "close", "cancel")
RECORDING_STATES = (Status.IN_PROGRESS, Status.REPORTING)
RECOMMENDING_STATES = (Status.REPORTING, Status.CONCLUDED, Status.FOLLOW_UP)


def record_event(
    *, inspection: Inspection, actor: User, action: str, from_status: str = "", details=None
) -> None:
    audit(actor=actor, action=f"inspection.{action}", target=inspection, details=details or {})
    event = InspectionEvent.objects.create(
        inspection=inspection,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=inspection.status,
        details=details or {},
    )
    publish(f"inspection.{action}", inspection=inspection, actor=actor, event_id=event.pk)


def visible_inspection(*, actor: User, inspection_id: int) -> Inspection:
    inspection = inspections_visible_to(actor).filter(pk=inspection_id).first()
    if inspection is None:
        raise NotFound()
    return inspection


def locked_inspection(*, actor: User, inspection_id: int, lead_only: bool) -> Inspection:
    inspection = visible_inspection(actor=actor, inspection_id=inspection_id)
    allowed = is_lead(actor, inspection) if lead_only else is_member(actor, inspection)
    if not allowed:
        raise Forbidden()
    return Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)


def save(inspection: Inspection) -> None:
    try:
        inspection.save()
    except ConcurrentTransition:
        raise Conflict() from None


# --- Planning ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    kind: str
    topic: str
    title: str
    lead_agency: Agency
    decision_number: str
    decision_date: datetime.date
    planned_start: datetime.date
    planned_end: datetime.date
    member_agencies: tuple[Agency, ...] = ()
    subjects: tuple[InspectedSubject, ...] = ()
    members: tuple[User, ...] = ()


@transaction.atomic
def inspection_plan(*, actor: User, plan: Plan) -> Inspection:
    """Plan 114 §III: the departments inspect, alone (thematic) or together (inter-agency)."""
    scope = scope_for(actor)
    if not scope.has_role(Role.INSPECTOR):
        raise Forbidden(_("Only inspectors plan inspections."))
    errors: dict[str, list[str]] = {}
    if plan.lead_agency.pk not in scope.agency_ids(Role.INSPECTOR):
        errors["lead_agency"] = [_("Lead with your own agency.")]
    if plan.planned_end < plan.planned_start:
        errors["planned_end"] = [_("The end cannot come before the start.")]
    if plan.decision_date > plan.planned_start:
        errors["decision_date"] = [_("The decision must come before the inspection starts.")]
    inspectors = set(
        User.objects.filter(
            pk__in=[u.pk for u in plan.members], memberships__role=Role.INSPECTOR, is_active=True
        ).values_list("pk", flat=True)
    )
    if any(member.pk not in inspectors for member in plan.members):
        errors["members"] = [_("Every member of the team must be an inspector.")]
    if errors:
        raise ValidationError(errors)
    inspection = Inspection.objects.create(
        kind=plan.kind,
        topic=plan.topic,
        title=plan.title,
        lead_agency=plan.lead_agency,
        unit_path=plan.lead_agency.jurisdiction.path,
        decision_number=plan.decision_number,
        decision_date=plan.decision_date,
        planned_start=plan.planned_start,
        planned_end=plan.planned_end,
        created_by=actor,
    )
    inspection.full_clean(exclude=["status", "lead_agency", "created_by", "unit_path"])
    inspection.member_agencies.set([a for a in plan.member_agencies if a.pk != plan.lead_agency.pk])
    inspection.subjects.set(plan.subjects)
    Membership.objects.create(inspection=inspection, user=actor, role=Membership.Role.LEAD)
    Membership.objects.bulk_create(
        [Membership(inspection=inspection, user=m) for m in plan.members if m.pk != actor.pk]
    )
    record_event(inspection=inspection, actor=actor, action="plan")
    return inspection


@transaction.atomic
def subject_register(
    *, actor: User, kind: str, name: str, unit: Unit, agency: Agency | None = None
) -> InspectedSubject:
    """Add an organisation to the registry of inspected subjects (or find it there)."""
    if not scope_for(actor).has_role(Role.INSPECTOR):
        raise Forbidden(_("Only inspectors keep the registry of inspected subjects."))
    subject = InspectedSubject(kind=kind, name=name.strip(), unit=unit, agency=agency)
    subject.full_clean(validate_unique=False, validate_constraints=False)
    subject, _created = InspectedSubject.objects.get_or_create(
        kind=kind, name=subject.name, unit=unit, defaults={"agency": agency}
    )
    return subject


# --- The workflow --------------------------------------------------------------------------------


@transaction.atomic
def inspection_transition(
    *, actor: User, inspection_id: int, name: str, **payload: Any
) -> Inspection:
    """Run one step of the inspection; the head of the team runs them (DOMAIN §8)."""
    if name not in TRANSITIONS:
        raise NotFound()
    inspection = locked_inspection(actor=actor, inspection_id=inspection_id, lead_only=True)
    method = getattr(inspection, name)
    if not can_proceed(method):
        raise InvalidTransition(
            _("“%(step)s” is not possible while the inspection is “%(status)s”.")
            % {"step": TRANSITION_LABELS[name], "status": inspection.get_status_display()}
        )
    before = inspection.status
    blockers = transition_blockers(inspection, name, payload)
    if blockers:
        raise InvalidTransition(" ".join(blockers))
    if name == "conclude":
        method(conclusion=payload["conclusion"], no_violation_found=payload["no_violation_found"])
    elif name == "cancel":
        method(reason=payload["reason"])
    else:
        method()
    save(inspection)
    if name in ("cancel", "close"):
        for recommendation in inspection.recommendations.all():
            stop_clocks(subject=recommendation)
    record_event(
        inspection=inspection, actor=actor, action=name, from_status=before, details=payload
    )
    return inspection


def transition_blockers(inspection: Inspection, name: str, payload: dict) -> list[str]:
    """What stops a step that the state allows: the guards that need other rows."""
    if name == "conclude":
        if not str(payload.get("conclusion", "")).strip():
            raise ValidationError({"conclusion": [_("Write the conclusion.")]})
        has_findings = inspection.findings.exists()
        if payload.get("no_violation_found") and has_findings:
            raise ValidationError(
                {"no_violation_found": [_("Findings were recorded: a violation was found.")]}
            )
        if not payload.get("no_violation_found") and not has_findings:
            return [_("Record at least one finding, or state that no violation was found.")]
    if name == "cancel" and not str(payload.get("reason", "")).strip():
        raise ValidationError({"reason": [_("Say why the inspection is cancelled.")]})
    if name == "close":
        open_count = inspection.recommendations.filter(status=Recommendation.Status.OPEN).count()
        if open_count:
            message = ngettext(
                "%(count)d recommendation is neither done nor waived.",
                "%(count)d recommendations are neither done nor waived.",
                open_count,
            )
            return [message % {"count": open_count}]
    return []


def transitions_for(*, actor: User, inspection: Inspection) -> list[dict[str, Any]]:
    lead = is_lead(actor, inspection)
    rows = []
    for name in TRANSITIONS:
        missing = []
        if not can_proceed(getattr(inspection, name)):
            missing.append(str(_("not possible in the current state")))
        if not lead:
            missing.append(str(_("only the head of the team")))
        if not missing and name == "close":
            missing.extend(str(m) for m in transition_blockers(inspection, name, {}))
        rows.append({"name": name, "allowed": not missing, "missing": missing})
    return rows


# --- Findings and recommendations ----------------------------------------------------------------


@dataclass(frozen=True)
class ChildAtRisk:
    """A child found at risk during the inspection, for whom a case is opened."""

    commune: Unit
    full_name: str
    sex: str
    estimated_age: int
    situation: str
    abuse_forms: tuple[str, ...]
    description: str


@transaction.atomic
def finding_record(
    *,
    actor: User,
    inspection_id: int,
    description: str,
    legal_basis: str,
    responsible: str,
    sanction: str,
    fine_amount: int | None = None,
    head_held_accountable: bool = False,
    subject: InspectedSubject | None = None,
    child: ChildAtRisk | None = None,
) -> Finding:
    """A violation found: its legal basis, who answers for it, the sanction; a child found at risk
    is handed to the commune as a new case (Law on Children Art. 51)."""
    inspection = locked_inspection(actor=actor, inspection_id=inspection_id, lead_only=False)
    if inspection.status not in RECORDING_STATES:
        raise InvalidTransition(_("Findings are recorded while inspecting or reporting."))
    errors: dict[str, list[str]] = {}
    if sanction == Sanction.FINE and not fine_amount:
        errors["fine_amount"] = [_("Give the amount of the fine in VND.")]
    if sanction != Sanction.FINE and fine_amount:
        errors["fine_amount"] = [_("Only a fine has an amount.")]
    if subject is not None and not inspection.subjects.filter(pk=subject.pk).exists():
        errors["subject"] = [_("Choose one of the inspection's subjects.")]
    if errors:
        raise ValidationError(errors)
    finding = Finding(
        inspection=inspection,
        subject=subject,
        description=description,
        legal_basis=legal_basis,
        responsible=responsible,
        sanction=sanction,
        fine_amount=fine_amount if sanction == Sanction.FINE else None,
        head_held_accountable=head_held_accountable,
        author=actor,
    )
    finding.full_clean(exclude=["inspection", "subject", "case", "author"])
    if child is not None:
        finding.case = open_case_for(actor=actor, inspection=inspection, child=child)
    finding.save()
    record_event(
        inspection=inspection,
        actor=actor,
        action="finding",
        details={"finding": finding.pk, "case": finding.case.code if finding.case else ""},
    )
    return finding


def open_case_for(*, actor: User, inspection: Inspection, child: ChildAtRisk):
    try:
        return case_services.case_create(
            actor=actor,
            commune=child.commune,
            received_at=timezone.now(),
            channel="in_person",
            source=Source.INSPECTION,
            description=child.description,
            situation=child.situation,
            abuse_forms=list(child.abuse_forms),
            setting="other",
            child=case_services.ChildData(
                full_name=child.full_name, sex=child.sex, estimated_age=child.estimated_age
            ),
            harm_location=", ".join(s.name for s in inspection.subjects.all())[:255],
        )
    except ValidationError as error:
        # The case's fields are the child's, under "child" on the finding.
        raise ValidationError({"child": error.messages}) from None


def recommendation_due_at(due_date: datetime.date) -> datetime.datetime:
    """The end of the due date in Vietnam's time."""
    return datetime.datetime.combine(due_date, datetime.time(23, 59), tzinfo=local_zone())


@transaction.atomic
def recommendation_add(
    *,
    actor: User,
    inspection_id: int,
    action: str,
    responsible: str,
    due_date: datetime.date,
    finding: Finding | None = None,
) -> Recommendation:
    """What the inspected must do, by whom and by when: a clock until it is done."""
    inspection = locked_inspection(actor=actor, inspection_id=inspection_id, lead_only=False)
    if inspection.status not in RECOMMENDING_STATES:
        raise InvalidTransition(_("Recommendations are made once the inspection reports."))
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": [_("The due date cannot be in the past.")]})
    if finding is not None and finding.inspection_id != inspection.pk:
        raise ValidationError({"finding": [_("Choose one of this inspection's findings.")]})
    recommendation = Recommendation(
        inspection=inspection,
        finding=finding,
        action=action,
        responsible=responsible,
        due_date=due_date,
        author=actor,
    )
    recommendation.full_clean(exclude=["inspection", "finding", "author"])
    recommendation.save()
    start_clock(
        kind=clocks.RECOMMENDATION,
        subject=recommendation,
        unit_path=inspection.unit_path,
        due_at=recommendation_due_at(due_date),
    )
    record_event(
        inspection=inspection,
        actor=actor,
        action="recommendation",
        details={"recommendation": recommendation.pk},
    )
    return recommendation


@transaction.atomic
def recommendation_resolve(
    *, actor: User, recommendation_id: int, done: bool, evidence: str = "", reason: str = ""
) -> Recommendation:
    """Done, with the evidence; or waived by the head of the team, with a reason."""
    recommendation = Recommendation.objects.filter(pk=recommendation_id).first()
    if recommendation is None:
        raise NotFound()
    inspection = locked_inspection(
        actor=actor, inspection_id=recommendation.inspection_id, lead_only=not done
    )
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation_id)
    if recommendation.status != Recommendation.Status.OPEN:
        raise InvalidTransition(_("This recommendation is already resolved."))
    if inspection.status not in RECOMMENDING_STATES:
        raise InvalidTransition(_("The inspection is no longer following up."))
    if done and not evidence.strip():
        raise ValidationError({"evidence": [_("Record the evidence that it was done.")]})
    if not done and not reason.strip():
        raise ValidationError({"reason": [_("Say why it is waived.")]})
    recommendation.status = Recommendation.Status.DONE if done else Recommendation.Status.WAIVED
    recommendation.evidence = evidence
    recommendation.waive_reason = reason
    recommendation.closed_at = timezone.now()
    recommendation.save()
    if done:
        meet_clocks(subject=recommendation, kinds=[clocks.RECOMMENDATION])
    else:
        stop_clocks(subject=recommendation)
    record_event(
        inspection=inspection,
        actor=actor,
        action="recommendation_done" if done else "recommendation_waived",
        details={"recommendation": recommendation.pk},
    )
    return recommendation
