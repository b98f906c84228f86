"""Every write to an inspection (DOMAIN §8), one service per step and per record beside them.

Who may run each step, from which states and what else must hold is declared once in
inspections/workflow.py. Each service runs in one transaction, in the kernel's order
(core/workflow.py): find the inspection among those the actor may see (else NotFound) → lock the
row → the actor's place on the team (else Forbidden) → the state and the guards (else
InvalidTransition) → the payload (else ValidationError) → write → save, clocks, history, audit
and event. A refused call raises before anything is written, or rolls back everything it wrote.

Findings and recommendations are not steps of the workflow, but follow the same order; their
checks (`check_*`) are also what the pages and the API ask before they judge a form, so a
refusal reads the same everywhere.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.choices import Setting, Source
from cases.models import Case
from core.clocks import meet_clocks, start_clock, stop_clocks
from core.errors import Forbidden, InvalidTransition, NotFound
from core.events import publish
from core.models import Agency, Role, Unit, User
from core.scope import scope_for
from core.working_days import end_of_day
from inspections import clocks, events, selectors
from inspections.history import record_event
from inspections.models import (
    RECOMMENDING_STATES,
    Finding,
    InspectedSubject,
    Inspection,
    Membership,
    Recommendation,
    Sanction,
    Status,
    SubjectKind,
)
from inspections.workflow import INSPECTION_WORKFLOW

RECORDING_STATES = (Status.IN_PROGRESS, Status.REPORTING)


# --- Finding the inspection ----------------------------------------------------------------------


def visible_inspection(*, actor: User, inspection_id: int) -> Inspection:
    inspection = selectors.inspections_visible_to(actor).filter(pk=inspection_id).first()
    if inspection is None:
        raise NotFound()
    return inspection


def locked_inspection(*, actor: User, inspection_id: int) -> Inspection:
    """The inspection if the actor may see it, locked for this transaction: a concurrent change
    to the same inspection waits here, then sees the state the winner left."""
    inspection = visible_inspection(actor=actor, inspection_id=inspection_id)
    return Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)


def begin_step(*, actor: User, inspection_id: int, name: str) -> tuple[Inspection, str]:
    """The inspection, locked, once the kernel allows the step: role (403), state and guards
    (409)."""
    inspection = locked_inspection(actor=actor, inspection_id=inspection_id)
    INSPECTION_WORKFLOW.check(name, actor=actor, subject=inspection)
    return inspection, inspection.status


def finish_step(
    *, inspection: Inspection, actor: User, name: str, from_status: str, details: dict | None = None
) -> Inspection:
    return INSPECTION_WORKFLOW.finish(
        name, actor=actor, subject=inspection, from_status=from_status, details=details
    )


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
    # The team works where its lead does: the inspectors and agencies of another province would
    # read its findings and, through them, hand a child of this province to a commune.
    province = {selectors.province_path(plan.lead_agency.jurisdiction)}
    inspectors = set(
        selectors.team_inspectors(province)
        .filter(pk__in=[u.pk for u in plan.members])
        .values_list("pk", flat=True)
    )
    if any(member.pk not in inspectors for member in plan.members):
        errors["members"] = [
            _("Every member of the team must be an inspector of the lead agency's province.")
        ]
    agencies = set(
        selectors.team_agencies(province)
        .filter(pk__in=[a.pk for a in plan.member_agencies])
        .values_list("pk", flat=True)
    )
    if any(agency.pk not in agencies for agency in plan.member_agencies):
        errors["member_agencies"] = [_("Choose agencies of the lead agency's province.")]
    in_province = selectors.registry_subjects(province).filter(
        pk__in=[subject.pk for subject in plan.subjects]
    )
    if in_province.count() != len({subject.pk for subject in plan.subjects}):
        errors["subjects"] = [_("Choose subjects in the lead agency's province.")]
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
    history = record_event(inspection=inspection, actor=actor, action="plan")
    publish(events.InspectionPlanned(inspection=inspection, actor=actor, history_id=history.pk))
    return inspection


@transaction.atomic
def subject_register(
    *, actor: User, kind: str, name: str, unit: Unit, agency: Agency | None = None
) -> InspectedSubject:
    """DOMAIN §8: add an organisation to the registry of inspected subjects (or find it there)."""
    if not scope_for(actor).has_role(Role.INSPECTOR):
        raise Forbidden(_("Only inspectors keep the registry of inspected subjects."))
    if not selectors.subject_units(actor).filter(pk=unit.pk).exists():
        raise ValidationError(
            {"unit": [_("Choose your province or one of its communes or wards, valid today.")]}
        )
    subject = InspectedSubject(kind=kind, name=name.strip(), unit=unit, agency=agency)
    subject.full_clean(validate_unique=False, validate_constraints=False)
    subject, _created = InspectedSubject.objects.get_or_create(
        kind=kind, name=subject.name, unit=unit, defaults={"agency": agency}
    )
    return subject


# Until the conclusion, which names them: a team that finds another organisation at fault while
# inspecting names it, and records its findings against it.
NAMING_STATES = (Status.PLANNED, Status.IN_PROGRESS, Status.REPORTING)


def check_may_name_subject(*, actor: User, inspection: Inspection) -> None:
    """The head of the team names the inspection's subjects until it concludes: role (403),
    state (409)."""
    if not selectors.is_lead(actor, inspection):
        raise Forbidden(_("Only the head of the team names the inspection's subjects."))
    if inspection.status not in NAMING_STATES:
        raise InvalidTransition(_("The subjects are named until the inspection is concluded."))


@transaction.atomic
def subject_add(*, actor: User, inspection_id: int, subject: InspectedSubject) -> InspectedSubject:
    """DOMAIN §8: one more subject of a planned inspection, or one found while inspecting."""
    inspection = locked_inspection(actor=actor, inspection_id=inspection_id)
    check_may_name_subject(actor=actor, inspection=inspection)
    province = selectors.inspection_province(inspection)
    if not selectors.registry_subjects([province]).filter(pk=subject.pk).exists():
        raise ValidationError({"subject": [_("Choose subjects in the lead agency's province.")]})
    if inspection.subjects.filter(pk=subject.pk).exists():
        raise ValidationError({"subject": [_("This subject is already named for the inspection.")]})
    inspection.subjects.add(subject)
    record_event(
        inspection=inspection, actor=actor, action="subject", details={"subject": subject.pk}
    )
    return subject


@transaction.atomic
def subject_register_and_add(
    *, actor: User, inspection_id: int, kind: str, name: str, unit: Unit
) -> InspectedSubject:
    """The organisation typed on the inspection's page: found in the registry or added to it,
    then named for the inspection, both or neither; refused as `subject_add` refuses first."""
    inspection = locked_inspection(actor=actor, inspection_id=inspection_id)
    check_may_name_subject(actor=actor, inspection=inspection)
    subject = subject_register(actor=actor, kind=kind, name=name, unit=unit)
    return subject_add(actor=actor, inspection_id=inspection_id, subject=subject)


# --- The steps (inspections/workflow.py) ---------------------------------------------------------


@transaction.atomic
def inspection_start(*, actor: User, inspection_id: int) -> Inspection:
    """Plan 114/KH-UBND §III, DOMAIN §8: the team begins inspecting on the decision's authority;
    the actual start is today."""
    inspection, before = begin_step(actor=actor, inspection_id=inspection_id, name="start")
    inspection.start()
    return finish_step(inspection=inspection, actor=actor, name="start", from_status=before)


@transaction.atomic
def inspection_begin_reporting(*, actor: User, inspection_id: int) -> Inspection:
    """DOMAIN §8: the inspecting ends today; the team reports and recommends."""
    inspection, before = begin_step(
        actor=actor, inspection_id=inspection_id, name="begin_reporting"
    )
    inspection.begin_reporting()
    return finish_step(
        inspection=inspection, actor=actor, name="begin_reporting", from_status=before
    )


@transaction.atomic
def inspection_conclude(
    *, actor: User, inspection_id: int, conclusion: str, no_violation_found: bool = False
) -> Inspection:
    """DOMAIN §8: the conclusion: the violations found, or the statement that there were none."""
    inspection, before = begin_step(actor=actor, inspection_id=inspection_id, name="conclude")
    if not conclusion.strip():
        raise ValidationError({"conclusion": [_("Write the conclusion.")]})
    # The rule the workflow's table cannot hold, for it depends on the payload
    # (inspections/workflow.py): over recorded findings "no violation" is bad input; without
    # any, concluding is not possible until a finding is recorded or none is stated.
    has_findings = inspection.findings.exists()
    if no_violation_found and has_findings:
        raise ValidationError(
            {"no_violation_found": [_("Findings were recorded: a violation was found.")]}
        )
    if not no_violation_found and not has_findings:
        raise InvalidTransition(
            _("Record at least one finding, or state that no violation was found.")
        )
    inspection.conclude(conclusion=conclusion, no_violation_found=no_violation_found)
    return finish_step(
        inspection=inspection,
        actor=actor,
        name="conclude",
        from_status=before,
        details={"conclusion": conclusion, "no_violation_found": no_violation_found},
    )


@transaction.atomic
def inspection_follow_up(*, actor: User, inspection_id: int) -> Inspection:
    """DOMAIN §8: the team follows up the recommendations until each is done or waived."""
    inspection, before = begin_step(actor=actor, inspection_id=inspection_id, name="follow_up")
    inspection.follow_up()
    return finish_step(inspection=inspection, actor=actor, name="follow_up", from_status=before)


@transaction.atomic
def inspection_close(*, actor: User, inspection_id: int) -> Inspection:
    """DOMAIN §8: every recommendation is done or waived; the inspection is over."""
    inspection, before = begin_step(actor=actor, inspection_id=inspection_id, name="close")
    inspection.close()
    finish_step(inspection=inspection, actor=actor, name="close", from_status=before)
    stop_recommendation_clocks(inspection)
    return inspection


@transaction.atomic
def inspection_cancel(*, actor: User, inspection_id: int, reason: str) -> Inspection:
    """DOMAIN §8: the inspection will not take place or not go on, for the reason given."""
    inspection, before = begin_step(actor=actor, inspection_id=inspection_id, name="cancel")
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the inspection is cancelled.")]})
    inspection.cancel(reason=reason)
    finish_step(
        inspection=inspection,
        actor=actor,
        name="cancel",
        from_status=before,
        details={"reason": reason},
    )
    stop_recommendation_clocks(inspection)
    return inspection


def stop_recommendation_clocks(inspection: Inspection) -> None:
    """An inspection that is over asks nothing more of its recommendations: their clocks stop
    (in one update; the kernel's `stops` reaches only the inspection's own clocks)."""
    selectors.open_recommendation_clocks(inspection).update(stopped_at=timezone.now())


# Each step's service, by the step's name: what the API and the pages call for a step.
StepService = Callable[..., Inspection]
STEP_SERVICES: dict[str, StepService] = {
    "start": inspection_start,
    "begin_reporting": inspection_begin_reporting,
    "conclude": inspection_conclude,
    "follow_up": inspection_follow_up,
    "close": inspection_close,
    "cancel": inspection_cancel,
}
assert list(STEP_SERVICES) == INSPECTION_WORKFLOW.names, "one service per step of the workflow"


# --- Findings and recommendations ----------------------------------------------------------------


def check_team_member(*, actor: User, inspection: Inspection) -> None:
    if not selectors.is_member(actor, inspection):
        raise Forbidden()


def check_may_record_finding(*, actor: User, inspection: Inspection) -> None:
    """Team members record findings while inspecting or reporting: role (403), state (409)."""
    check_team_member(actor=actor, inspection=inspection)
    if inspection.status not in RECORDING_STATES:
        raise InvalidTransition(_("Findings are recorded while inspecting or reporting."))


def check_may_recommend(*, actor: User, inspection: Inspection) -> None:
    """Team members recommend once the inspection reports: role (403), state (409)."""
    check_team_member(actor=actor, inspection=inspection)
    if inspection.status not in RECOMMENDING_STATES:
        raise InvalidTransition(_("Recommendations are made once the inspection reports."))


def check_may_resolve(
    *, actor: User, inspection: Inspection, recommendation: Recommendation, done: bool
) -> None:
    """Any team member marks a recommendation done, only the head of the team waives one:
    role (403), then an open recommendation of an inspection still following up (409)."""
    allowed = selectors.is_member if done else selectors.is_lead
    if not allowed(actor, inspection):
        raise Forbidden()
    if recommendation.status != Recommendation.Status.OPEN:
        raise InvalidTransition(_("This recommendation is already resolved."))
    if inspection.status not in RECOMMENDING_STATES:
        raise InvalidTransition(_("The inspection is no longer following up."))


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
    inspection = locked_inspection(actor=actor, inspection_id=inspection_id)
    check_may_record_finding(actor=actor, inspection=inspection)
    errors: dict[str, list[str]] = {}
    if sanction == Sanction.FINE and not fine_amount:
        errors["fine_amount"] = [_("Give the amount of the fine in VND.")]
    if sanction != Sanction.FINE and fine_amount:
        errors["fine_amount"] = [_("Only a fine has an amount.")]
    if subject is not None and not inspection.subjects.filter(pk=subject.pk).exists():
        errors["subject"] = [_("Choose one of the inspection's subjects.")]
    if child is not None and not in_finding_communes(inspection, child.commune):
        errors["child"] = [_("Choose a commune or ward of the lead agency's province.")]
    same = inspection.findings.filter(
        subject=subject,
        description=description,
        legal_basis=legal_basis,
        responsible=responsible,
        sanction=sanction,
    )
    # The same finding sent again (a double click, a request repeated) would count twice in the
    # indicators and open a second case for the same child; another child is another finding.
    if child is None:
        same = same.filter(case__isnull=True)
    else:
        same = same.filter(case__child__full_name=child.full_name.strip())
    if not errors and same.exists():
        errors["description"] = [_("This finding is already recorded for the inspection.")]
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
        finding.case = open_case_for(
            actor=actor, inspection=inspection, child=child, subject=subject
        )
    finding.save()
    history = record_event(
        inspection=inspection,
        actor=actor,
        action="finding",
        details={"finding": finding.pk, "case": finding.case.code if finding.case else ""},
    )
    publish(
        events.FindingRecorded(
            inspection=inspection, actor=actor, history_id=history.pk, finding_id=finding.pk
        )
    )
    return finding


def in_finding_communes(inspection: Inspection, commune: Unit) -> bool:
    return selectors.finding_communes(inspection).filter(pk=commune.pk).exists()


# Where the harm happened, for the figures "by setting", from the kind of subject inspected.
SETTING_OF_SUBJECT: dict[str, str] = {
    SubjectKind.SCHOOL: Setting.SCHOOL,
    SubjectKind.SOCIAL_SUPPORT_FACILITY: Setting.SOCIAL_SUPPORT_FACILITY,
    SubjectKind.CHILD_PROTECTION_SERVICE: Setting.SOCIAL_SUPPORT_FACILITY,
    SubjectKind.TOURISM_BUSINESS: Setting.TOURISM,
    SubjectKind.ONLINE_SERVICE: Setting.ONLINE,
    SubjectKind.ENTERTAINMENT_VENUE: Setting.PUBLIC_PLACE,
}


def open_case_for(
    *,
    actor: User,
    inspection: Inspection,
    child: ChildAtRisk,
    subject: InspectedSubject | None = None,
) -> Case:
    """The child's case, recorded on the inspection's authority (its member, checked by
    finding_record, for a commune of its province) rather than as the commune's own intake.
    Where the child was harmed is the finding's subject (a school found using the rod is the
    setting "school" in the figures), or the inspection's only one; else left to the officer."""
    subjects = [subject] if subject is not None else list(inspection.subjects.all())
    setting = SETTING_OF_SUBJECT.get(subjects[0].kind) if len(subjects) == 1 else None
    try:
        return case_services.case_create(
            may_record=lambda _actor, commune: in_finding_communes(inspection, commune),
            actor=actor,
            commune=child.commune,
            received_at=timezone.now(),
            channel="in_person",
            source=Source.INSPECTION,
            description=child.description,
            situation=child.situation,
            abuse_forms=list(child.abuse_forms),
            setting=setting or Setting.OTHER.value,
            child=case_services.ChildData(
                full_name=child.full_name, sex=child.sex, estimated_age=child.estimated_age
            ),
            harm_location=", ".join(s.name for s in subjects)[:255],
        )
    except ValidationError as error:
        # The case's fields are the child's, under "child" on the finding.
        raise ValidationError({"child": error.messages}) from None


def recommendation_due_at(due_date: datetime.date) -> datetime.datetime:
    """The end of the due date, 24:00 in Vietnam's time (Civil Code 2015 Art. 148(1)): a
    recommendation done at 23:59 of its due date is on time. The date is the conclusion's own,
    kept as given even when it falls on a day off."""
    return end_of_day(due_date)


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
    """DOMAIN §8: what the inspected must do, by whom and by when: a clock until it is done."""
    inspection = locked_inspection(actor=actor, inspection_id=inspection_id)
    check_may_recommend(actor=actor, inspection=inspection)
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": [_("The due date cannot be in the past.")]})
    if finding is not None and finding.inspection_id != inspection.pk:
        raise ValidationError({"finding": [_("Choose one of this inspection's findings.")]})
    repeated = inspection.recommendations.filter(
        finding=finding, action=action, responsible=responsible, due_date=due_date
    )
    if repeated.exists():  # sent again: a second clock would chase the same action
        raise ValidationError(
            {"action": [_("This recommendation is already recorded for the inspection.")]}
        )
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
    history = record_event(
        inspection=inspection,
        actor=actor,
        action="recommendation",
        details={"recommendation": recommendation.pk},
    )
    publish(
        events.RecommendationAdded(
            inspection=inspection,
            actor=actor,
            history_id=history.pk,
            recommendation_id=recommendation.pk,
        )
    )
    return recommendation


def visible_recommendation(*, actor: User, recommendation_id: int) -> Recommendation:
    recommendation = (
        selectors.recommendations_visible_to(actor)
        .select_related("inspection")
        .filter(pk=recommendation_id)
        .first()
    )
    if recommendation is None:
        raise NotFound()
    return recommendation


@transaction.atomic
def recommendation_resolve(
    *, actor: User, recommendation_id: int, done: bool, evidence: str = "", reason: str = ""
) -> Recommendation:
    """DOMAIN §8: done, with the evidence; or waived by the head of the team, with a reason."""
    found = visible_recommendation(actor=actor, recommendation_id=recommendation_id)
    # The inspection first, then its recommendation: the order every writer locks them in.
    inspection = locked_inspection(actor=actor, inspection_id=found.inspection_id)
    recommendation = Recommendation.objects.select_for_update().get(pk=found.pk)
    check_may_resolve(actor=actor, inspection=inspection, recommendation=recommendation, done=done)
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
    history = record_event(
        inspection=inspection,
        actor=actor,
        action="recommendation_done" if done else "recommendation_waived",
        details={"recommendation": recommendation.pk},
    )
    publish(
        events.RecommendationResolved(
            inspection=inspection,
            actor=actor,
            history_id=history.pk,
            recommendation_id=recommendation.pk,
            done=done,
        )
    )
    return recommendation
