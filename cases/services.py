"""Every write to a case, one service per step of the Decree 56/2017 procedure.

Who may run each step, from which states, its guards and its clocks are declared once in
cases/workflow.py. Each service runs in one transaction, in the kernel's order (core/workflow.py):
find the case among those the actor may see (else NotFound) → lock the row → the actor's role for
the case's commune (else Forbidden) → the state and the guards (else InvalidTransition) → write
the step's record → run the transition → save, clocks, history, audit and event. A refused call
raises before anything is written, or rolls back everything it wrote.
"""

import datetime
import pathlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import ages, clocks, events
from cases.attachments import checked_upload
from cases.choices import (
    AbuseForm,
    AdministrativeSanctionKind,
    ClosureReason,
    Confirmation,
    DismissReason,
    SanctionAuthority,
    SexualAbuseForm,
    SpecialCircumstance,
    Status,
    Violator,
)
from cases.closure import KEEP_OPEN, WAIVED, OpenWork, WorkChoice, apply_work_choices, open_work
from cases.consent import Consent, check_consent
from cases.history import record_event
from cases.models import (
    AdministrativeSanction,
    Case,
    CaseAbuseForm,
    CaseAttachment,
    CaseCodeSequence,
    CaseNote,
    CaseReview,
    CaseTransfer,
    Child,
    ClosureAssessment,
    ClosureWorkDecision,
    EmergencyDeclaration,
    EmergencyEnd,
    InitialAssessment,
    Plan,
    PlanDecision,
    PlanMeasure,
    PlanRefusal,
    SeparationDecision,
    SeparationExtension,
)
from cases.page import may_open_attachment, signables
from cases.sections import HISTORY
from cases.selectors import cases_visible_to, intake_communes
from cases.visibility import may_add_notes, sections_for
from cases.workflow import (
    CASE_WORKFLOW,
    has_separation_in_force,
    no_separation_open,
    since_information,
)
from core import clocks as core_clocks
from core.audit import audit
from core.errors import Forbidden, InvalidTransition, NotFound
from core.events import publish
from core.models import Agency, Clock, Role, Unit, UnitLevel, User
from core.scope import scope_for
from core.staff import province_of
from core.workflow import Option
from core.working_days import end_of_day, local_date

OFFICER = Role.COMMUNE_OFFICER
CHAIR = Role.COMMUNE_CHAIR


# --- Shared steps --------------------------------------------------------------------------------


def may_act_on(user: User, case: Case, role: str) -> bool:
    return scope_for(user).acts_for_unit(case.unit_path, role)


def visible_case(*, actor: User, case_id: int) -> Case:
    """The case if the actor may see it; NotFound otherwise — and the attempt is audited."""
    case = cases_visible_to(actor).filter(pk=case_id).first()
    if case is None:
        audit_denied_read(actor, case_id)
        raise NotFound()
    return case


# Every route that shows a child's data records the read (Law on Children Art. 21: the child's
# privacy): the page, the history, the steps offered, a step's form, the sanctions, a search by
# name, the possible duplicates. A read refused because the case is out of scope is recorded too
# (outside a transaction that rolls back: the reads are not inside one).


def audit_read(actor: User, case: Case, view: str, **pages: int) -> None:
    """A read of the case; `pages` says which page of its history or notes was shown."""
    audit(actor=actor, action="case.read", target=case, details={"view": view, **pages})


def audit_denied_read(actor: User, case_id: int) -> None:
    audit(actor=actor, action="case.read_denied", details={"case_id": case_id})


def locked_case(*, actor: User, case_id: int, role: str) -> Case:
    """The case, locked for this transaction, if the actor may see it and act in `role`."""
    case = visible_case(actor=actor, case_id=case_id)
    # Re-read under a row lock, then judged: a concurrent step on the same case waits here,
    # then sees the state the winner left (a transfer accepted meanwhile moved the case to a
    # commune this actor does not act for) and is refused.
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not may_act_on(actor, case, role):
        raise Forbidden()
    return case


def begin_transition(*, actor: User, case_id: int, name: str) -> tuple[Case, str]:
    """The case, locked, once the kernel allows the step: role (403), state and guards (409)."""
    case = visible_case(actor=actor, case_id=case_id)
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    CASE_WORKFLOW.check(name, actor=actor, subject=case)
    return case, case.status


def finish_transition(
    *, case: Case, actor: User, name: str, from_status: str, details: dict | None = None
) -> Case:
    if case.recorded_by_hotline and case.taken_by_commune_at is None:
        case.taken_by_commune_at = timezone.now()
    return CASE_WORKFLOW.finish(
        name, actor=actor, subject=case, from_status=from_status, details=details
    )


# --- Intake (Form 01) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildData:
    full_name: str
    sex: str
    date_of_birth: datetime.date | None = None
    estimated_age: int | None = None
    ethnicity: str = "01"
    disability: bool = False
    special_circumstances: tuple[str, ...] = ()
    address: str = ""
    school: str = ""
    # The parents or carers (Form 01): name, relation, age, occupation, contact.
    carers: tuple[dict[str, Any], ...] = ()
    family_circumstances: str = ""


CARER_KEYS = ("name", "relation", "age", "occupation", "contact")


def clean_carers(carers: Any) -> list[dict[str, Any]]:
    """The parents' or carers' rows of Form 01, each with the same keys; a name is needed."""
    rows: list[dict[str, Any]] = []
    for carer in carers or ():
        if not isinstance(carer, dict) or not str(carer.get("name") or "").strip():
            raise ValidationError({"carers": [_("Give each parent's or carer's name.")]})
        age = carer.get("age")
        if age in ("", None):
            age = None
        elif not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= 120:
            raise ValidationError({"carers": [_("A parent's or carer's age is a whole number.")]})
        row = {key: str(carer.get(key) or "").strip() for key in CARER_KEYS if key != "age"}
        rows.append(row | {"age": age})
    return [{key: row[key] for key in CARER_KEYS} for row in rows]


def clean_circumstances(codes: Any, *, disability: bool) -> list[str]:
    """The groups of the Law on Children Art. 10, in the law's order; a child with a
    disability is in group `d`."""
    chosen = set(codes or ())
    unknown = chosen - set(SpecialCircumstance.values)
    if unknown:
        raise ValidationError(
            {
                "special_circumstances": [
                    _("Not a group of Art. 10: %s.") % ", ".join(sorted(unknown))
                ]
            }
        )
    if disability:
        chosen.add(SpecialCircumstance.DISABLED)
    return [code for code in SpecialCircumstance.values if code in chosen]


def check_is_child(
    *, child: "ChildData | None", existing: Child | None, day: datetime.date
) -> None:
    """Law on Children Art. 1: a child is a person under 16 (a setting) on the report's day."""
    if child is not None:
        if child.date_of_birth is not None and child.date_of_birth > day:
            raise ValidationError(
                {"date_of_birth": [_("The date of birth is after the report's date.")]}
            )
        age = ages.age_on_report(
            date_of_birth=child.date_of_birth, estimated_age=child.estimated_age, day=day
        )
        field = "date_of_birth" if child.date_of_birth else "estimated_age"
    else:
        age = existing.age_on(day) if existing is not None else None
        field = "child_id"
    if age is not None and not ages.is_child(age):
        raise ValidationError({field: [ages.not_a_child_message(age)]})


def may_record_for(user: User, commune: Unit) -> bool:
    """The commune's officer, or the hotline for the communes of its jurisdiction: whoever may
    choose the commune on the intake form."""
    return intake_communes(user).filter(pk=commune.pk).exists()


# The year's first number, or the next: one statement that creates or increments the row and
# holds its lock until the intake commits, so concurrent intakes never share a number.
NEXT_NUMBER = f"""
INSERT INTO {CaseCodeSequence._meta.db_table} (province_code, year, last) VALUES (%s, %s, 1)
ON CONFLICT (province_code, year) DO UPDATE SET last = {CaseCodeSequence._meta.db_table}.last + 1
RETURNING last
"""


def next_case_code(*, province_code: str, year: int) -> str:
    """`<province>-<year>-<seq>`. A rolled-back intake gives its number back; a number is never
    reused once committed."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_NUMBER, [province_code, year])
        (number,) = cursor.fetchone()
    return f"{province_code}-{year}-{number:06d}"


@transaction.atomic
def case_create(
    *,
    actor: User,
    commune: Unit,
    received_at: datetime.datetime,
    channel: str,
    source: str,
    description: str,
    situation: str,
    abuse_forms: list[str],
    setting: str,
    perpetrator_relation: str = "unknown",
    sexual_abuse_forms: list[str] | None = None,
    child: ChildData | None = None,
    existing_child: Child | None = None,
    reporter_name: str = "",
    reporter_contact: str = "",
    reporter_address: str = "",
    harm_location: str = "",
    child_location: str = "",
    child_condition: str = "",
    likely_harm: str = "",
    actions_taken: str = "",
    receiving_body: str = "",
    report_number: str = "",
    may_record: Callable[[User, Unit], bool] = may_record_for,
) -> Case:
    """Decree 56/2017 Art. 25, Form 01: record a report and start the 12-hour clock.

    Who may record is `may_record_for`, unless the caller holds a narrower authority of its own:
    an inspection hands a child it found at risk to a commune of its province (Law on Children
    Art. 51; inspections/services.py), which no request can claim by naming its source.

    Only a child's report: a person under 16 on the report's date (Law on Children Art. 1; the
    limit is the setting CHECHO_CHILD_AGE_LIMIT). Special circumstances are the groups of Law on
    Children Art. 10. Form 01 also records the parents or carers, the family's circumstances, the
    harm likely if nobody acts, what was already done, and the receiving body's report number.
    """
    if commune.level != UnitLevel.COMMUNE or not commune.is_valid_on(timezone.localdate()):
        raise ValidationError({"commune": [_("Choose a commune or ward valid today.")]})
    if not may_record(actor, commune):
        raise Forbidden(_("You may not record reports for this commune."))
    if (child is None) == (existing_child is None):
        raise ValidationError({"child": [_("Give the child's details or choose a known child.")]})
    if received_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"received_at": [_("The report cannot be received in the future.")]})
    if existing_child is not None and existing_child.residence_id != commune.pk:
        raise ValidationError({"child_id": [_("This child is not known in this commune.")]})
    report_day = timezone.localtime(received_at).date()
    check_is_child(child=child, existing=existing_child, day=report_day)
    if child is not None:
        existing_child = Child.objects.create(
            full_name=child.full_name.strip(),
            sex=child.sex,
            date_of_birth=child.date_of_birth,
            estimated_age=None if child.date_of_birth else child.estimated_age,
            estimated_on=None if child.date_of_birth else report_day,
            ethnicity=child.ethnicity,
            disability=child.disability,
            special_circumstances=clean_circumstances(
                child.special_circumstances, disability=child.disability
            ),
            residence=commune,
            address=child.address,
            school=child.school,
            carers=clean_carers(child.carers),
            family_circumstances=child.family_circumstances,
        )
    province_code = commune.path.split("/")[1]
    case = Case.objects.create(
        code=next_case_code(province_code=province_code, year=timezone.localtime(received_at).year),
        child=existing_child,
        commune=commune,
        unit_path=commune.path,
        received_at=received_at,
        channel=channel,
        source=source,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        reporter_address=reporter_address,
        receiving_body=receiving_body,
        report_number=report_number,
        harm_location=harm_location,
        child_location=child_location,
        child_condition=child_condition,
        description=description,
        likely_harm=likely_harm,
        actions_taken=actions_taken,
        situation=situation,
        sexual_abuse_forms=sexual_abuse_forms or [],
        setting=setting,
        perpetrator_relation=perpetrator_relation,
        recorded_by=actor,
        recorded_by_hotline=scope_for(actor).has_role(Role.HOTLINE_OPERATOR)
        and not scope_for(actor).acts_for_unit(commune.path, OFFICER),
    )
    CaseAbuseForm.objects.bulk_create(
        [CaseAbuseForm(case=case, form=form) for form in sorted(set(abuse_forms))]
    )
    core_clocks.start_clock(
        kind=clocks.INITIAL_ASSESSMENT, subject=case, start=received_at, unit_path=case.unit_path
    )
    history = record_event(case=case, actor=actor, action="create", details={"channel": channel})
    publish(events.CaseRecorded(case=case, actor=actor, history_id=history.pk))
    return case


# --- The transitions (DOMAIN §5) -----------------------------------------------------------------


def check_form_02_answer(found: dict[str, list[str]], confirmed: str) -> None:
    """Form 02 says whether the abuse or the risk of it is confirmed (Decree 56/2017 Art. 26(2)),
    whichever step records it: the initial assessment, or an emergency declared on receipt."""
    if confirmed not in Confirmation.values:
        found["confirmed"] = [_("Say whether the abuse or the risk of it is confirmed.")]


@transaction.atomic
def case_assess_initial(
    *,
    actor: User,
    case_id: int,
    harm_level: str,
    immediate_danger: bool,
    findings: str,
    confirmed: str,
    safety_measures: str,
) -> Case:
    """Decree 56/2017 Art. 26(2), Form 02: the initial assessment of the risk and the harm, no
    immediate danger: whether the abuse or the risk of it is confirmed, and the temporary
    measures taken to keep the child safe."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="assess_initial")
    found: dict[str, list[str]] = {}
    if immediate_danger:
        found["immediate_danger"] = [_("A child in immediate danger needs “declare emergency”.")]
    check_form_02_answer(found, confirmed)
    if not safety_measures.strip():
        found["safety_measures"] = [
            _("Describe the temporary measures taken to keep the child safe.")
        ]
    if found:
        raise ValidationError(found)
    InitialAssessment.objects.create(
        case=case,
        author=actor,
        harm_level=harm_level,
        immediate_danger=False,
        findings=findings,
        confirmed=confirmed,
        safety_measures=safety_measures.strip(),
    )
    case.assess_initial()
    return finish_transition(case=case, actor=actor, name="assess_initial", from_status=before)


@transaction.atomic
def case_declare_emergency(
    *,
    actor: User,
    case_id: int,
    danger: str,
    measures_taken: str,
    separation_proposed: bool = False,
    placement: str = "",
    harm_level: str | None = None,
    findings: str = "",
    confirmed: str = "",
) -> Case:
    """Decree 56/2017 Art. 26(3): the child is in danger; separation needs the chair (Form 07),
    who decides within 12 hours on the place of care the officer proposes (Art. 32). Declared
    from "received", the emergency is also the Form 02 assessment (Art. 26(2)): the level of
    harm and whether the abuse or the risk of it is confirmed, which the figures count."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="declare_emergency")
    found: dict[str, list[str]] = {}
    if separation_proposed and not placement.strip():
        found["placement"] = [_("Say where the child will be cared for.")]
    if separation_proposed and (already := no_separation_open(case)):
        # One proposal awaits the chair at a time, as through propose_separation: a second one
        # beside it would have its 12 hours met by the chair's decision on the first.
        found["separation_proposed"] = list(map(str, already))
    if before == Status.RECEIVED:
        if not harm_level:
            found["harm_level"] = [_("Form 02 is needed: give the level of harm.")]
        check_form_02_answer(found, confirmed)
    if found:
        raise ValidationError(found)
    if before == Status.RECEIVED:
        assert harm_level is not None
        InitialAssessment.objects.create(
            case=case,
            author=actor,
            harm_level=harm_level,
            immediate_danger=True,
            confirmed=confirmed,
            findings=findings or danger,
            # Form 02's temporary safety measures are the emergency's measures.
            safety_measures=measures_taken,
        )
    declaration = EmergencyDeclaration.objects.create(
        case=case,
        author=actor,
        danger=danger,
        measures_taken=measures_taken,
        separation_proposed=separation_proposed,
    )
    case.declare_emergency()
    finish_transition(
        case=case,
        actor=actor,
        name="declare_emergency",
        from_status=before,
        details={"separation_proposed": separation_proposed},
    )
    if separation_proposed:
        proposal = SeparationDecision.objects.create(
            case=case,
            author=actor,
            emergency=declaration,
            placement=placement.strip(),
            grounds=danger,
        )
        core_clocks.start_clock(
            kind=clocks.SEPARATION_DECISION,
            subject=case,
            start=since_information(case),
            unit_path=case.unit_path,
        )
        history = case.events.latest("at", "id")
        publish(
            events.SeparationProposed(
                case=case, actor=actor, history_id=history.pk, decision_id=proposal.pk
            )
        )
    return case


def duplicated_case(actor: User, case: Case, code: str) -> Case:
    """The case a report duplicates, among those the officer may see; each refusal says which
    mistake it is (nothing typed, this very case, a code the officer has no case under)."""
    if not code:
        message = _("Give the code of the case this one duplicates.")
    elif code == case.code:
        message = _("A report cannot duplicate itself: give the code of the other case.")
    elif found := cases_visible_to(actor).filter(code=code).first():
        return found
    else:
        message = _("No case of yours has the code %(code)s.") % {"code": code}
    raise ValidationError({"duplicate_of": [message]})


@transaction.atomic
def case_dismiss(
    *,
    actor: User,
    case_id: int,
    reason: str,
    duplicate_of_code: str = "",
    verification: str = "",
) -> Case:
    """Close a report that needs no procedure: unfounded, duplicate, not ours, transferred out.

    Decree 56/2017 Art. 25(2): the report is checked for truth before anything else; a report
    dismissed as unfounded records what was verified and how.
    """
    case, before = begin_transition(actor=actor, case_id=case_id, name="dismiss")
    if reason not in DismissReason.values:
        raise ValidationError({"reason": [_("Choose a reason for dismissing the report.")]})
    if reason == DismissReason.UNFOUNDED and not verification.strip():
        raise ValidationError(
            {"verification": [_("Say what was verified, and how, before calling it unfounded.")]}
        )
    duplicate_of = None
    if reason == DismissReason.DUPLICATE:
        duplicate_of = duplicated_case(actor, case, duplicate_of_code.strip())
    case.dismiss(reason, duplicate_of, verification.strip())
    details = {"reason": reason, "duplicate_of": duplicate_of.code if duplicate_of else ""}
    return finish_transition(
        case=case, actor=actor, name="dismiss", from_status=before, details=details
    )


@transaction.atomic
def case_end_emergency(
    *, actor: User, case_id: int, measures_applied: str, safe_location: str
) -> Case:
    """Decree 56/2017 Art. 26, 28 (DOMAIN §7): end of the emergency: the child is safe; the
    5-working-day plan clock starts now."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="end_emergency")
    EmergencyEnd.objects.create(
        case=case, author=actor, measures_applied=measures_applied, safe_location=safe_location
    )
    case.end_emergency()
    return finish_transition(case=case, actor=actor, name="end_emergency", from_status=before)


@dataclass(frozen=True)
class MeasureData:
    service: str
    description: str
    timeframe_days: int
    responsible_agency: Agency | None = None


def not_before_the_report(case: Case, field: str, moment: datetime.datetime) -> None:
    """What the commune or an agency did for the case happened after its report was received:
    an earlier time, printed on the official forms, would be a typing mistake."""
    if moment < case.received_at:
        received = timezone.localtime(case.received_at).strftime("%d/%m/%Y %H:%M")
        raise ValidationError(
            {
                field: [
                    _("This cannot be before the case's report was received (%(at)s).")
                    % {"at": received}
                ]
            }
        )


@transaction.atomic
def case_submit_plan(
    *,
    actor: User,
    case_id: int,
    assessment_summary: str,
    needs: str,
    meeting_held_at: datetime.datetime,
    meeting_participants: str,
    meeting_minutes: str,
    goals: str,
    measures: list[MeasureData],
    consent: Consent | None = None,
) -> Case:
    """Decree 56/2017 Art. 27–28: Form 03, the needs meeting and the Form 04 plan to the chair.

    When measures name agencies, the plan records the ground for sharing the case with them:
    approving it refers the child to those agencies.
    """
    case, before = begin_transition(actor=actor, case_id=case_id, name="submit_plan")
    not_before_the_report(case, "meeting_held_at", meeting_held_at)
    if not measures:
        raise ValidationError({"measures": [_("A plan needs at least one measure.")]})
    if any(m.responsible_agency and not m.service for m in measures):
        # An agency receives a referral for a service; the commune's own work names none.
        raise ValidationError(
            {"measures": [_("A measure that names an agency needs the service it provides.")]}
        )
    if any(m.responsible_agency for m in measures):
        check_consent(consent or Consent(basis=""), case.child)
    for validate in _plan_validators:
        validate(case=case, measures=measures)
    consent = consent or Consent(basis="")
    plan = Plan.objects.create(
        case=case,
        author=actor,
        assessment_summary=assessment_summary,
        needs=needs,
        meeting_held_at=meeting_held_at,
        meeting_participants=meeting_participants,
        meeting_minutes=meeting_minutes,
        goals=goals,
        consent_basis=consent.basis,
        consent_by_carer=consent.by_carer,
        consent_by_child=consent.by_child,
    )
    PlanMeasure.objects.bulk_create(
        [
            PlanMeasure(
                plan=plan,
                service=m.service,
                description=m.description,
                timeframe_days=m.timeframe_days,
                responsible_agency=m.responsible_agency,
            )
            for m in measures
        ]
    )
    case.submit_plan()
    return finish_transition(
        case=case, actor=actor, name="submit_plan", from_status=before, details={"plan": plan.pk}
    )


def submitted_plan(case: Case) -> Plan:
    return (
        Plan.objects.select_for_update()
        .filter(case=case, outcome=Plan.Outcome.SUBMITTED)
        .latest("created_at")
    )


# Other apps (referrals) act on an approved plan: raise referrals for its measures.
PlanApprovedHook = Callable[..., Any]
_plan_approved_hooks: list[PlanApprovedHook] = []


# Other apps (referrals) check a plan's measures before it goes to the chair: an agency named for
# a measure must provide its service, or approving the plan could not refer the child.
_plan_validators: list[Callable[..., None]] = []


def register_plan_validator(validator: Callable[..., None]) -> None:
    if validator not in _plan_validators:
        _plan_validators.append(validator)


# Other apps (referrals) say which agencies a plan's measure may name: those providing a service
# where the case is (the plan validator above refuses the others).
_measure_agencies: list[Callable[[Case], QuerySet[Agency]]] = []


def register_measure_agencies(chooser: Callable[[Case], QuerySet[Agency]]) -> None:
    _measure_agencies[:] = [chooser]


def measure_agencies(case: Case) -> QuerySet[Agency]:
    """The agencies the plan form offers for a measure; none while no app refers children."""
    if not _measure_agencies:
        return Agency.objects.none()
    return _measure_agencies[0](case)


def register_plan_approved_hook(hook: PlanApprovedHook) -> PlanApprovedHook:
    if hook not in _plan_approved_hooks:
        _plan_approved_hooks.append(hook)
    return hook


@transaction.atomic
def case_approve_plan(
    *, actor: User, case_id: int, decision_number: str, comments: str = ""
) -> Case:
    """Decree 56/2017 Art. 28, Law on Children Art. 52: the chair approves the plan (Form 05)."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="approve_plan")
    plan = submitted_plan(case)
    PlanDecision.objects.create(
        case=case,
        author=actor,
        plan=plan,
        approved=True,
        decision_number=decision_number,
        comments=comments,
    )
    Plan.objects.filter(case=case, outcome=Plan.Outcome.APPROVED).update(
        outcome=Plan.Outcome.SUPERSEDED
    )
    plan.outcome = Plan.Outcome.APPROVED
    plan.save(update_fields=["outcome"])
    case.approve_plan()
    finish_transition(
        case=case, actor=actor, name="approve_plan", from_status=before, details={"plan": plan.pk}
    )
    for hook in _plan_approved_hooks:
        hook(case=case, plan=plan, actor=actor)
    return case


@transaction.atomic
def case_return_plan(*, actor: User, case_id: int, comments: str) -> Case:
    """Decree 56/2017 Art. 28: the chair returns the plan with comments; the officer revises and
    submits again."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="return_plan")
    plan = submitted_plan(case)
    PlanDecision.objects.create(
        case=case, author=actor, plan=plan, approved=False, comments=comments
    )
    plan.outcome = Plan.Outcome.RETURNED
    plan.save(update_fields=["outcome"])
    case.return_plan()
    return finish_transition(
        case=case,
        actor=actor,
        name="return_plan",
        from_status=before,
        details={"comments": comments},
    )


@transaction.atomic
def case_start_review(*, actor: User, case_id: int, notes: str = "") -> Case:
    """Decree 56/2017 Art. 30: review how the plan is working."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="start_review")
    case.start_review()
    return finish_transition(
        case=case, actor=actor, name="start_review", from_status=before, details={"notes": notes}
    )


@transaction.atomic
def case_revise_plan(*, actor: User, case_id: int, reason: str) -> Case:
    """Decree 56/2017 Art. 30: the plan must change; back to assessment."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="revise_plan")
    case.revise_plan()
    return finish_transition(
        case=case, actor=actor, name="revise_plan", from_status=before, details={"reason": reason}
    )


def approved_plan(case: Case) -> Plan | None:
    return (
        Plan.objects.filter(case=case, outcome=Plan.Outcome.APPROVED)
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def case_record_review(
    *, actor: User, case_id: int, notes: str, measure_progress: dict[int, str]
) -> Case:
    """Decree 56/2017 Art. 30: a periodic review of the intervention, with the progress of each
    measure of the approved plan; the next review is due 30 days later (policy default)."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="record_review")
    plan = approved_plan(case)
    if plan is None:
        raise InvalidTransition(_("The case has no approved plan to review."))
    measures = {m.pk: m for m in plan.measures.all()}
    unknown = sorted(set(measure_progress) - set(measures))
    if unknown:
        listed = ", ".join(str(pk) for pk in unknown)
        message = _("Not a measure of the approved plan: %(ids)s.") % {"ids": listed}
        raise ValidationError({"measure_progress": [message]})
    if any(not (measure_progress.get(pk) or "").strip() for pk in measures):
        raise ValidationError(
            {"measure_progress": [_("Give the progress of every measure of the plan.")]}
        )
    review = CaseReview.objects.create(
        case=case,
        author=actor,
        plan=plan,
        notes=notes,
        measure_progress=[
            {"measure": pk, "progress": measure_progress[pk].strip()} for pk in measures
        ],
    )
    case.record_review()
    return finish_transition(
        case=case,
        actor=actor,
        name="record_review",
        from_status=before,
        details={"review": review.pk},
    )


@transaction.atomic
def case_record_plan_refusal(
    *, actor: User, case_id: int, refused_by: str, reasons: str, commune_action: str
) -> Case:
    """Law on Children 2016 Art. 52: the parents or carers refuse to carry out the plan; the
    refusal and what the commune did about it are recorded (a separation may follow, Decree
    56/2017 Art. 32(1))."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="record_plan_refusal")
    plan = approved_plan(case)
    if plan is None:
        raise InvalidTransition(_("The case has no approved plan to refuse."))
    refusal = PlanRefusal.objects.create(
        case=case,
        author=actor,
        plan=plan,
        refused_by=refused_by,
        reasons=reasons,
        commune_action=commune_action,
    )
    return finish_transition(
        case=case,
        actor=actor,
        name="record_plan_refusal",
        from_status=before,
        details={"refusal": refusal.pk},
    )


@transaction.atomic
def case_propose_closure(
    *,
    actor: User,
    case_id: int,
    remaining_harm: str,
    perpetrator_access: str,
    care_obstacles: str,
    resilience: str,
    reason: str,
    notes: str = "",
) -> Case:
    """Decree 56/2017 Art. 30, Form 06: the officer assesses the remaining harm, the
    perpetrator's access, the obstacles in the care setting and the child's resilience, and
    proposes to close the case; every required service is completed or waived."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="propose_closure")
    if reason == ClosureReason.TURNED_16:
        refusal = ages.turned_16_refusal(case.child.age_on(timezone.localdate()))
        if refusal is not None:
            raise ValidationError({"reason": [refusal]})
    closure = ClosureAssessment.objects.create(
        case=case,
        author=actor,
        remaining_harm=remaining_harm,
        perpetrator_access=perpetrator_access,
        care_obstacles=care_obstacles,
        resilience=resilience,
        reason=reason,
        notes=notes,
    )
    case.propose_closure()
    return finish_transition(
        case=case,
        actor=actor,
        name="propose_closure",
        from_status=before,
        details={"reason": reason, "closure": closure.pk},
    )


def proposed_closure(case: Case) -> ClosureAssessment:
    closure = (
        ClosureAssessment.objects.select_for_update()
        .filter(case=case, outcome=ClosureAssessment.Outcome.PROPOSED)
        .order_by("-created_at", "-id")
        .first()
    )
    if closure is None:
        raise InvalidTransition(_("No closure proposal awaits a decision."))
    return closure


@transaction.atomic
def case_return_closure(*, actor: User, case_id: int, comments: str) -> Case:
    """Decree 56/2017 Art. 30: the chair does not close the case and returns the proposal to
    the officer with comments; the case is under review again."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="return_closure")
    closure = proposed_closure(case)
    closure.outcome = ClosureAssessment.Outcome.RETURNED
    closure.decided_by = actor
    closure.decided_at = timezone.now()
    closure.decision_comments = comments
    closure.save()
    case.return_closure()
    return finish_transition(
        case=case,
        actor=actor,
        name="return_closure",
        from_status=before,
        details={"comments": comments, "closure": closure.pk},
    )


def work_errors(items: dict[str, OpenWork], work: dict[str, WorkChoice]) -> list[str]:
    """What is wrong with the chair's decisions on the open work (empty: nothing)."""
    errors = [
        _("“%(key)s” is not open work of this case.") % {"key": key}
        for key in sorted(set(work) - set(items))
    ]
    for key, item in items.items():
        choice = work.get(key)
        if choice is None:
            errors.append(_("Decide on “%(work)s”.") % {"work": item.label})
        elif choice.decision not in item.decisions:
            errors.append(_("This decision is not possible for “%(work)s”.") % {"work": item.label})
        elif choice.decision == KEEP_OPEN:
            errors.append(
                _("“%(work)s” keeps the case open: return the proposal instead.")
                % {"work": item.label}
            )
        elif choice.decision == WAIVED and not choice.reason.strip():
            errors.append(_("Say why “%(work)s” is no longer needed.") % {"work": item.label})
    return errors


@transaction.atomic
def case_close(
    *,
    actor: User,
    case_id: int,
    decision_number: str = "",
    comments: str = "",
    work: dict[str, WorkChoice] | None = None,
) -> Case:
    """Decree 56/2017 Art. 30: the chair closes the case on the officer's Form 06. Closing never
    silently cancels approved work: each live referral and each measure no agency reports on
    needs the chair's decision (done, or no longer needed with the reason); "keep the case open"
    refuses the closing."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="close")
    closure = proposed_closure(case)
    work = work or {}
    items = {item.key: item for item in open_work(case)}
    errors = work_errors(items, work)
    if errors:
        raise ValidationError({"work": errors})
    ClosureWorkDecision.objects.bulk_create(
        [
            ClosureWorkDecision(
                closure=closure,
                key=key,
                label=items[key].label[:255],
                decision=work[key].decision,
                reason=work[key].reason.strip(),
            )
            for key in items
        ]
    )
    apply_work_choices(case, actor, {key: work[key] for key in items})
    closure.outcome = ClosureAssessment.Outcome.CLOSED
    closure.decided_by = actor
    closure.decided_at = timezone.now()
    closure.decision_number = decision_number
    closure.decision_comments = comments
    closure.save()
    case.close(closure.reason)
    return finish_transition(
        case=case,
        actor=actor,
        name="close",
        from_status=before,
        details={
            "reason": closure.reason,
            "closure": closure.pk,
            "work": {key: work[key].decision for key in items},
        },
    )


@transaction.atomic
def case_reopen(*, actor: User, case_id: int, information: str) -> Case:
    """New information about a closed case is a new report: a new 12-hour initial assessment
    (Decree 56/2017 Art. 26)."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="reopen")
    case.reopen()
    return finish_transition(
        case=case,
        actor=actor,
        name="reopen",
        from_status=before,
        details={"information": information},
    )


# --- Temporary separation (Law on Children Art. 53; Decree 56/2017 Art. 32) ----------------------

# The longest separation, extensions included, unless a competent authority requires more.
SEPARATION_MAX_DAYS = 15


@transaction.atomic
def case_propose_separation(*, actor: User, case_id: int, placement: str, grounds: str) -> Case:
    """Law on Children 2016 Art. 53, Decree 56/2017 Art. 32: the officer proposes to separate
    the child temporarily from the parents or carer, with the place of care, at any open state;
    the chair decides within 12 hours (Form 07)."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="propose_separation")
    if not placement.strip():
        raise ValidationError({"placement": [_("Say where the child will be cared for.")]})
    emergency = None
    if case.status == Status.EMERGENCY:
        emergency = (
            EmergencyDeclaration.objects.filter(case=case, separation__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
    proposal = SeparationDecision.objects.create(
        case=case, author=actor, emergency=emergency, placement=placement.strip(), grounds=grounds
    )
    return finish_transition(
        case=case,
        actor=actor,
        name="propose_separation",
        from_status=before,
        details={"decision": proposal.pk},
    )


def separation_ends(decided_at: datetime.datetime, days: int) -> datetime.datetime:
    """The end of a separation of `days` days in all (Decree 56/2017 Art. 32): counted from the
    day after the decision, it ends at 24:00 of its last day (Civil Code 2015 Art. 147(1),
    148(1)). It is not moved past a day off as a deadline to act is (Art. 148(2)): that would
    keep the child from the family beyond the period the chair decided."""
    return end_of_day(local_date(decided_at) + datetime.timedelta(days=days))


def decide(
    *,
    case: Case,
    decision: SeparationDecision,
    actor: User,
    approve: bool,
    period_days: int | None,
    placement: str,
    decision_number: str,
    comments: str,
) -> None:
    """The chair's Form 07 on a pending proposal; an approved one runs until its end (a clock)."""
    if approve:
        placement = placement.strip() or decision.placement
        found: dict[str, list[str]] = {}
        if not placement:
            found["placement"] = [_("Say where the child is placed.")]
        if not period_days or not 1 <= period_days <= SEPARATION_MAX_DAYS:
            found["period_days"] = [
                _("Give the period: from 1 to %(max)s days (Decree 56 Art. 32).")
                % {"max": SEPARATION_MAX_DAYS}
            ]
        if found:
            raise ValidationError(found)
        decision.placement = placement
    now = timezone.now()
    decision.outcome = (
        SeparationDecision.Outcome.APPROVED if approve else SeparationDecision.Outcome.REFUSED
    )
    decision.period_days = period_days if approve else None
    decision.ends_at = separation_ends(now, period_days or 0) if approve else None
    decision.decision_number = decision_number
    decision.comments = comments
    decision.decided_by = actor
    decision.decided_at = now
    decision.save()
    core_clocks.meet_clocks(subject=case, kinds=[clocks.SEPARATION_DECISION])
    if decision.ends_at is not None:
        # The end of an earlier period that ran out before the sweep met it (the sweep calls
        # each minute, later when the scheduler was down): met as of that end, as the sweep
        # would, so that one end runs at a time (clock_one_open_per_subject).
        Clock.objects.for_object(case).open().filter(
            kind=clocks.SEPARATION_END, due_at__lte=now
        ).update(met_at=F("due_at"), next_action_at=None)
        core_clocks.start_clock(
            kind=clocks.SEPARATION_END,
            subject=case,
            start=now,
            due_at=decision.ends_at,
            unit_path=case.unit_path,
        )


def pending_separation(case: Case) -> SeparationDecision:
    return (
        SeparationDecision.objects.select_for_update()
        .filter(case=case, outcome=SeparationDecision.Outcome.PENDING)
        .latest("created_at")
    )


def separation_in_force_locked(case: Case) -> SeparationDecision:
    """The separation in force, locked. Its period may have run out since the step's guards
    were asked: then the step is refused as they would refuse it now."""
    separation = (
        SeparationDecision.objects.select_for_update()
        .filter(case=case, outcome=SeparationDecision.Outcome.APPROVED)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now()))
        .order_by("-decided_at", "-pk")
        .first()
    )
    if separation is None:
        raise InvalidTransition(" ".join(str(reason) for reason in has_separation_in_force(case)))
    return separation


@transaction.atomic
def case_decide_separation(
    *,
    actor: User,
    case_id: int,
    approve: bool,
    period_days: int | None = None,
    placement: str = "",
    decision_number: str = "",
    comments: str = "",
) -> Case:
    """Decree 56/2017 Art. 32, Form 07: within 12 hours of the proposal the chair approves the
    separation, with the place of care and its period (at most 15 days), or refuses it."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="decide_separation")
    decision = pending_separation(case)
    decide(
        case=case,
        decision=decision,
        actor=actor,
        approve=approve,
        period_days=period_days,
        placement=placement,
        decision_number=decision_number,
        comments=comments,
    )
    return finish_transition(
        case=case,
        actor=actor,
        name="decide_separation",
        from_status=before,
        details={"approved": approve, "decision": decision.pk, "period_days": period_days},
    )


@transaction.atomic
def case_extend_separation(
    *,
    actor: User,
    case_id: int,
    days: int,
    reason: str,
    decision_number: str = "",
    authority_request: str = "",
) -> Case:
    """Decree 56/2017 Art. 32: the chair extends the separation; beyond 15 days in all only
    when a competent authority requires the child to stay separated (its request recorded)."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="extend_separation")
    separation = separation_in_force_locked(case)
    if days < 1:
        raise ValidationError({"days": [_("Extend by at least one day.")]})
    total = (separation.period_days or 0) + days
    if total > SEPARATION_MAX_DAYS and not authority_request.strip():
        raise ValidationError(
            {
                "authority_request": [
                    _(
                        "A separation lasts at most %(max)s days in all unless a competent "
                        "authority requires more: name its request."
                    )
                    % {"max": SEPARATION_MAX_DAYS}
                ]
            }
        )
    ends_at = separation_ends(separation.decided_at or timezone.now(), total)
    extension = SeparationExtension.objects.create(
        case=case,
        author=actor,
        separation=separation,
        days=days,
        ends_at=ends_at,
        reason=reason,
        decision_number=decision_number,
        authority_request=authority_request.strip(),
    )
    separation.period_days = total
    separation.ends_at = ends_at
    separation.save(update_fields=["period_days", "ends_at"])
    clock = Clock.objects.for_object(case).open().filter(kind=clocks.SEPARATION_END).first()
    if clock is None:
        core_clocks.start_clock(
            kind=clocks.SEPARATION_END, subject=case, due_at=ends_at, unit_path=case.unit_path
        )
    else:
        core_clocks.reschedule_clock(clock, ends_at)
    return finish_transition(
        case=case,
        actor=actor,
        name="extend_separation",
        from_status=before,
        details={"decision": separation.pk, "extension": extension.pk, "days": days},
    )


@transaction.atomic
def case_revoke_separation(*, actor: User, case_id: int, reason: str) -> Case:
    """Decree 56/2017 Art. 32: the chair revokes the separation when the parents or carer are
    assessed able to keep the child safe, or it is no longer needed."""
    case, before = begin_transition(actor=actor, case_id=case_id, name="revoke_separation")
    separation = separation_in_force_locked(case)
    separation.outcome = SeparationDecision.Outcome.REVOKED
    separation.revoked_by = actor
    separation.revoked_at = timezone.now()
    separation.revoke_reason = reason
    separation.save()
    return finish_transition(
        case=case,
        actor=actor,
        name="revoke_separation",
        from_status=before,
        details={"decision": separation.pk, "reason": reason},
    )


# --- Decisions and records beside the transitions ------------------------------------------------


@transaction.atomic
def separation_decide(
    *,
    actor: User,
    decision_id: int,
    approve: bool,
    period_days: int | None = None,
    placement: str = "",
    decision_number: str = "",
    comments: str = "",
) -> SeparationDecision:
    """Decree 56/2017 Art. 32, Form 07: the chair decides on the separation proposed with an
    emergency, for a period of at most 15 days (see case_decide_separation)."""
    decision = SeparationDecision.objects.filter(pk=decision_id).select_related("case").first()
    if decision is None:
        raise NotFound()
    case = locked_case(actor=actor, case_id=decision.case_id, role=CHAIR)
    decision = SeparationDecision.objects.select_for_update().get(pk=decision_id)
    if decision.outcome != SeparationDecision.Outcome.PENDING:
        raise InvalidTransition(_("This separation has already been decided."))
    if not case.is_open:
        # As the `decide_separation` step: closing waits for the decision (cases/workflow.py).
        raise InvalidTransition(_("This case is closed: reopen it to decide on a separation."))
    decide(
        case=case,
        decision=decision,
        actor=actor,
        approve=approve,
        period_days=period_days,
        placement=placement,
        decision_number=decision_number,
        comments=comments,
    )
    history = record_event(
        case=case,
        actor=actor,
        action="separation_decided",
        details={"approved": approve, "decision": decision.pk},
    )
    publish(
        events.SeparationDecided(case=case, actor=actor, history_id=history.pk, approved=approve)
    )
    return decision


@transaction.atomic
def case_attach(
    *, actor: User, case_id: int, upload: UploadedFile, description: str = "", signs: str = ""
) -> CaseAttachment:
    """DOMAIN §4, §10: attach a document to the case file (a scanned form, a photo, a letter),
    kept outside the web root and served only after the access check. `signs` links a signed
    scan to the official document of the case it signs (cases.page.signables)."""
    case = locked_case(actor=actor, case_id=case_id, role=OFFICER)
    if signs and signs not in {key for key, _title in signables(case)}:
        raise ValidationError({"signs": [_("This case has no such official document.")]})
    checked = checked_upload(upload)
    attachment = CaseAttachment(
        case=case,
        author=actor,
        original_name=pathlib.Path(checked.name).name[:255],
        content_type=checked.content_type,
        size=checked.size,
        description=description,
        signs=signs,
    )
    attachment.file.save(checked.name, upload, save=False)
    try:
        attachment.save()
        history = record_event(
            case=case, actor=actor, action="attach", details={"attachment": attachment.pk}
        )
        publish(events.DocumentAttached(case=case, actor=actor, history_id=history.pk))
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_open(*, actor: User, case_id: int, attachment_id: int) -> CaseAttachment:
    """An attachment of a case the actor may see; the read is audited like the case's."""
    case = visible_case(actor=actor, case_id=case_id)
    attachment = CaseAttachment.objects.filter(case=case, pk=attachment_id).first()
    # Documents belong to the case's file: an agency reading only its service's part of the
    # case does not open them, nor a reader of part of a signed paper its scan.
    if attachment is None or not may_open_attachment(attachment.signs, sections_for(actor, case)):
        raise NotFound()
    audit(
        actor=actor,
        action="case.attachment.read",
        target=case,
        details={"attachment": attachment.pk},
    )
    return attachment


@transaction.atomic
def case_add_note(*, actor: User, case_id: int, text: str) -> CaseNote:
    """DOMAIN §4: a note in the case's history, by the commune's officer or by someone the
    commune let in to read and add notes (access/)."""
    case = visible_case(actor=actor, case_id=case_id)
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)  # judged as locked
    if not (may_act_on(actor, case, OFFICER) or may_add_notes(actor, case)):
        raise Forbidden()
    if not case.is_open:
        # As the page, which offers no note on a closed case: new information reopens it.
        raise InvalidTransition(
            _("A closed case takes no notes; reopen it with the new information.")
        )
    note = CaseNote.objects.create(case=case, author=actor, text=text)
    history = record_event(case=case, actor=actor, action="note", details={"note": note.pk})
    publish(events.NoteAdded(case=case, actor=actor, history_id=history.pk))
    return note


# --- Administrative sanctions ------------------------------------------------------------------


def sanction_case(*, actor: User, case_id: int) -> Case:
    """The case if this actor may record a sanction on it, in the API's order of refusal: not
    visible (404), not the officer or the chair of the case's commune (403); before any payload
    is judged."""
    case = visible_case(actor=actor, case_id=case_id)
    if not (may_act_on(actor, case, OFFICER) or may_act_on(actor, case, CHAIR)):
        raise Forbidden(_("Only the commune's officer or chair may record a sanction."))
    return case


def sanction_errors(
    *,
    case: Case,
    decided_by: str,
    decision_number: str,
    decided_on: datetime.date,
    violator: str,
    sanction: str,
    fine_amount: int | None,
) -> dict[str, list[str]]:
    """Every mistake in a sanction's record at once, by field."""
    errors: dict[str, list[str]] = {}
    unknown = _("Choose one of the codes listed.")
    for field, value, codes in (
        ("decided_by", decided_by, SanctionAuthority.values),
        ("violator", violator, Violator.values),
        ("sanction", sanction, AdministrativeSanctionKind.values),
    ):
        if value not in codes:
            errors[field] = [unknown]
    if not decision_number.strip():
        errors["decision_number"] = [_("Give the number of the decision.")]
    received = timezone.localtime(case.received_at).date()
    if decided_on > timezone.localdate():
        errors["decided_on"] = [_("This cannot be in the future.")]
    elif decided_on < received:
        errors["decided_on"] = [
            _("The decision cannot be dated before the report was received (%(day)s).")
            % {"day": received.strftime("%d/%m/%Y")}
        ]
    is_fine = sanction == AdministrativeSanctionKind.FINE
    if is_fine and (fine_amount is None or fine_amount <= 0):
        errors["fine_amount"] = [_("Give the amount of the fine in VND.")]
    if not is_fine and fine_amount is not None:
        errors["fine_amount"] = [_("Only a fine has an amount.")]
    if not errors and already_recorded(case, decided_by, decision_number, violator, sanction):
        errors["decision_number"] = [
            _("This sanction of this decision is already recorded for the case.")
        ]
    return errors


def already_recorded(
    case: Case, decided_by: str, decision_number: str, violator: str, sanction: str
) -> bool:
    """The same sanction of the same decision, sent twice (a double click, a form sent again),
    would be counted twice by the yearly indicators. One decision may impose several sanctions
    (a fine and a confiscation) or sanction several violators: each is a record of its own."""
    numbers = AdministrativeSanction.objects.filter(
        case=case, decided_by=decided_by, violator=violator, sanction=sanction
    ).values_list("decision_number", flat=True)
    # Compared in Python: SQLite folds the case of ASCII letters only, and numbers hold "Đ".
    return decision_number.strip().casefold() in {number.casefold() for number in numbers}


@transaction.atomic
def case_record_sanction(
    *,
    actor: User,
    case_id: int,
    decided_by: str,
    decision_number: str,
    decided_on: datetime.date,
    violator: str,
    sanction: str,
    fine_amount: int | None = None,
    legal_basis: str = "",
    notes: str = "",
) -> AdministrativeSanction:
    """DOMAIN §9: an administrative sanction decided for the abuse reported in the case, by the
    commune's chair, the police or another competent authority (Law on Handling Administrative
    Violations 2012, Art. 21, 38–39), recorded by the officer or the chair of the case's commune
    so that the yearly indicators count it beside the inspections' sanctions."""
    sanction_case(actor=actor, case_id=case_id)
    # Locked as `locked_case` locks it (the history is written in order), and asked again under
    # the lock: a transfer accepted meanwhile moved the case to another commune.
    Case.objects.select_for_update(of=("self",)).get(pk=case_id)
    case = sanction_case(actor=actor, case_id=case_id)
    errors = sanction_errors(
        case=case,
        decided_by=decided_by,
        decision_number=decision_number,
        decided_on=decided_on,
        violator=violator,
        sanction=sanction,
        fine_amount=fine_amount,
    )
    if errors:
        raise ValidationError(errors)
    record = AdministrativeSanction(
        case=case,
        author=actor,
        decided_by=decided_by,
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        violator=violator,
        sanction=sanction,
        fine_amount=fine_amount,
        legal_basis=legal_basis.strip(),
        notes=notes,
    )
    record.full_clean(exclude=["case", "author"])
    record.save()
    history = record_event(
        case=case,
        actor=actor,
        action="sanction",
        details={"sanction": record.pk},
    )
    publish(
        events.SanctionRecorded(
            case=case, actor=actor, history_id=history.pk, sanction_id=record.pk
        )
    )
    return record


def case_sanctions(*, actor: User, case_id: int) -> QuerySet[AdministrativeSanction]:
    """The sanctions recorded on a case the actor may see, newest first. They belong to the
    case's file (its history): an agency reading only its service's part does not read them."""
    case = visible_case(actor=actor, case_id=case_id)
    if HISTORY not in sections_for(actor, case):
        raise Forbidden(_("Your service does not need the case's sanctions."))
    audit_read(actor, case, "sanctions")
    return case.administrativesanctions.select_related("author")


# Fields of the report and the concern an officer may correct after intake.
CORRECTABLE_CASE_FIELDS = frozenset(
    {
        "channel",
        "source",
        "reporter_name",
        "reporter_contact",
        "reporter_address",
        "receiving_body",
        "report_number",
        "harm_location",
        "child_location",
        "child_condition",
        "description",
        "likely_harm",
        "actions_taken",
        "situation",
        "sexual_abuse_forms",
        "setting",
        "perpetrator_relation",
    }
)
# The child's recorded facts an officer may correct, or complete later (the carers, the family).
CORRECTABLE_CHILD_FIELDS = frozenset(
    {
        "full_name",
        "sex",
        "ethnicity",
        "disability",
        "special_circumstances",
        "address",
        "school",
        "carers",
        "family_circumstances",
        "date_of_birth",
        "estimated_age",
    }
)
# Their old and new values stay out of the history: it is read more widely than the report
# (the REPORTER section is the case's commune's only). Every other field's section is open to
# every reader of the history, so the previous value is kept there.
CONFIDENTIAL_FIELDS = frozenset({"reporter_name", "reporter_contact", "reporter_address"})


# Kept in step with the date of birth or the estimate; the history names what the officer changed.
DERIVED_CHILD_FIELDS = frozenset({"birth_year", "estimated_on"})


def as_json(value: Any) -> Any:
    """A value as the history's JSON keeps it: dates as ISO text."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def corrected_child_values(
    child: Child, changes: dict[str, Any], *, report_day: datetime.date
) -> dict[str, Any]:
    """The child's new values, checked; disability and group `d` (Law Art. 10(1)(d)) agree, and
    a corrected date of birth or estimated age is still a child's on the report's day (Law on
    Children Art. 1)."""
    unknown = set(changes) - CORRECTABLE_CHILD_FIELDS
    if unknown:
        raise ValidationError({name: [_("This field cannot be corrected.")] for name in unknown})
    values = dict(changes)
    if "date_of_birth" in values or "estimated_age" in values:
        values |= corrected_age(child, values, report_day=report_day)
    if "carers" in values:
        values["carers"] = clean_carers(values["carers"])
    if "disability" in values or "special_circumstances" in values:
        disability = values.get("disability", child.disability)
        codes = list(values.get("special_circumstances", child.special_circumstances))
        if "disability" in values and "special_circumstances" not in values and not disability:
            codes = [code for code in codes if code != SpecialCircumstance.DISABLED]
        if "disability" not in values:
            disability = SpecialCircumstance.DISABLED in codes
        if not disability and SpecialCircumstance.DISABLED in codes:
            raise ValidationError(
                {"disability": [_("A child in group (d) of Art. 10 has a disability.")]}
            )
        values["disability"] = bool(disability)
        values["special_circumstances"] = clean_circumstances(codes, disability=bool(disability))
    return values


def corrected_age(
    child: Child, values: dict[str, Any], *, report_day: datetime.date
) -> dict[str, Any]:
    """The age fields after a correction: the date of birth wins; an estimated age is the age on
    the report's day. Refused, naming the field, when it makes the person no child that day."""
    born = values.get("date_of_birth", child.date_of_birth)
    estimated = values.get("estimated_age", child.estimated_age)
    if born is not None:
        if born > report_day:
            message = _("The date of birth is after the report's date.")
            raise ValidationError({"date_of_birth": [message]})
        check_child_age(ages.full_years(born, report_day), field="date_of_birth")
        return {"date_of_birth": born, "birth_year": born.year}
    if estimated is None:
        message = _("Give the date of birth or an estimated age.")
        raise ValidationError({"estimated_age": [message]})
    check_child_age(estimated, field="estimated_age")
    # The estimate is the age on the report's day: the year of birth follows from it.
    return {
        "date_of_birth": None,
        "estimated_age": estimated,
        "estimated_on": report_day,
        "birth_year": report_day.year - estimated,
    }


def check_child_age(age: int, *, field: str) -> None:
    if not ages.is_child(age):
        raise ValidationError({field: [ages.not_a_child_message(age)]})


def correctable_case(*, actor: User, case_id: int) -> Case:
    """The case if this actor may correct it now, in the API's order of refusal: not visible
    (404), not the commune's officer (403), closed (409); before any payload is judged."""
    case = visible_case(actor=actor, case_id=case_id)
    if not may_act_on(actor, case, OFFICER):
        raise Forbidden(_("Only the commune's officer may correct the record."))
    if not case.is_open:
        raise InvalidTransition(_("A closed case cannot be corrected; reopen it first."))
    return case


@transaction.atomic
def case_correct(
    *,
    actor: User,
    case_id: int,
    changes: dict[str, Any] | None = None,
    abuse_forms: list[str] | None = None,
    child_changes: dict[str, Any] | None = None,
) -> Case:
    """Correct or complete the recorded report (Form 01, Decree 56/2017 Art. 25) and the child's
    facts, carers and family included; the history keeps each previous value, by whom and when
    (the reporter's identity stays out of it: Form 01 takes it only with the reporter's
    agreement and DOMAIN §4 keeps it confidential)."""
    changes = changes or {}
    child_changes = child_changes or {}
    correctable_case(actor=actor, case_id=case_id)
    unknown = set(changes) - CORRECTABLE_CASE_FIELDS
    if unknown:
        raise ValidationError({name: [_("This field cannot be corrected.")] for name in unknown})
    Case.objects.select_for_update(of=("self",)).get(pk=case_id)
    # Asked again under the lock: a transfer accepted or a closure meanwhile changed the answer.
    case = correctable_case(actor=actor, case_id=case_id)
    if "sexual_abuse_forms" in changes:
        codes = changes["sexual_abuse_forms"]
        if not isinstance(codes, list) or set(codes) - set(SexualAbuseForm.values):
            raise ValidationError({"sexual_abuse_forms": [_("Choose among the forms listed.")]})
    changed: dict[str, Any] = {}
    for name, value in changes.items():
        old = getattr(case, name)
        if old != value:
            changed[name] = "…" if name in CONFIDENTIAL_FIELDS else [old, value]
            setattr(case, name, value)
    if abuse_forms is not None and sorted(set(abuse_forms)) != case.abuse_forms:
        if not abuse_forms:
            raise ValidationError({"abuse_forms": [_("Choose at least one form of abuse.")]})
        if set(abuse_forms) - set(AbuseForm.values):
            raise ValidationError({"abuse_forms": [_("Choose among the forms listed.")]})
        changed["abuse_forms"] = [case.abuse_forms, sorted(set(abuse_forms))]
        case.abuse_form_rows.all().delete()
        CaseAbuseForm.objects.bulk_create(
            [CaseAbuseForm(case=case, form=form) for form in sorted(set(abuse_forms))]
        )
    child = Child.objects.select_for_update().get(pk=case.child_id)
    child_changed: dict[str, Any] = {}
    report_day = timezone.localtime(case.received_at).date()
    for name, value in corrected_child_values(child, child_changes, report_day=report_day).items():
        old = getattr(child, name)
        if name == "carers" and clean_carers(old) == value:
            continue
        if old != value:
            setattr(child, name, value)
            if name not in DERIVED_CHILD_FIELDS:
                child_changed[name] = [as_json(old), as_json(value)]
    if not changed and not child_changed:
        return case
    if changed:
        case.clean_fields(exclude=[f.name for f in Case._meta.fields if f.name not in changes])
        case.save()
    if child_changed:
        child.clean_fields(
            exclude=[f.name for f in Child._meta.fields if f.name not in child_changed]
        )
        child.save()
        changed["child"] = child_changed
    history = record_event(case=case, actor=actor, action="correct", details={"changed": changed})
    publish(events.ReportCorrected(case=case, actor=actor, history_id=history.pk))
    return case


# --- Transfer to another commune -----------------------------------------------------------------


def check_transferable(case: Case) -> None:
    """Refuse (409) to offer a case that is closed or offered already."""
    if not case.is_open:
        raise InvalidTransition(_("A closed case cannot be transferred."))
    if case.casetransfers.filter(outcome=CaseTransfer.Outcome.PENDING).exists():
        raise InvalidTransition(_("A transfer of this case is already waiting for an answer."))


@transaction.atomic
def case_transfer_request(
    *, actor: User, case_id: int, to_commune: Unit, reason: str
) -> CaseTransfer:
    """DOMAIN §5 (transfer): the child moved; offer the case to the commune where the child now
    lives, which carries on the procedure of Decree 56/2017 where it stands."""
    case = locked_case(actor=actor, case_id=case_id, role=OFFICER)
    check_transferable(case)
    if to_commune.level != UnitLevel.COMMUNE or to_commune.pk == case.commune_id:
        raise ValidationError({"to_commune": [_("Choose another commune or ward valid today.")]})
    if not to_commune.is_valid_on(timezone.localdate()):
        raise ValidationError({"to_commune": [_("Choose another commune or ward valid today.")]})
    # The communes the transfer form offers: the case's code, its province's officers and the
    # agencies its referrals went to all belong to its province.
    if not to_commune.path.startswith(province_of(case.unit_path)):
        raise ValidationError(
            {"to_commune": [_("A case moves only between communes of its own province.")]}
        )
    try:
        with transaction.atomic():
            transfer = CaseTransfer.objects.create(
                case=case,
                author=actor,
                from_commune=case.commune,
                to_commune=to_commune,
                to_unit_path=to_commune.path,
                reason=reason,
            )
    except IntegrityError:
        raise InvalidTransition(
            _("A transfer of this case is already waiting for an answer.")
        ) from None
    history = record_event(
        case=case, actor=actor, action="transfer_requested", details={"to": to_commune.code}
    )
    publish(
        events.TransferRequested(
            case=case, actor=actor, history_id=history.pk, to_unit_path=to_commune.path
        )
    )
    return transfer


@transaction.atomic
def case_transfer_decide(
    *, actor: User, transfer_id: int, accept: bool, comments: str = ""
) -> CaseTransfer:
    """DOMAIN §5 (transfer): the receiving commune's officer accepts the case (it moves, history
    and all) or declines."""
    transfer = CaseTransfer.objects.filter(pk=transfer_id).first()
    if transfer is None or not cases_visible_to(actor).filter(pk=transfer.case_id).exists():
        raise NotFound()
    if not scope_for(actor).acts_for_unit(transfer.to_unit_path, OFFICER):
        raise Forbidden()
    transfer = CaseTransfer.objects.select_for_update().get(pk=transfer_id)
    if transfer.outcome != CaseTransfer.Outcome.PENDING:
        raise InvalidTransition(_("This transfer has already been answered."))
    case = Case.objects.select_for_update(of=("self",)).get(pk=transfer.case_id)
    if accept and not case.is_open:
        # Closing waits for the offer's answer (cases/workflow.py); an offer older than that rule
        # may still wait on a closed case, which must not move.
        raise InvalidTransition(_("This case is closed: it cannot move to your commune."))
    transfer.outcome = CaseTransfer.Outcome.ACCEPTED if accept else CaseTransfer.Outcome.DECLINED
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.decision_comments = comments
    transfer.save()
    if accept:
        # The case, its child and its open deadlines move to the new commune; other apps move
        # what they keep of it when they hear of the transfer (referrals: their unit path).
        Case.objects.filter(pk=case.pk).update(
            commune=transfer.to_commune, unit_path=transfer.to_unit_path, updated_at=timezone.now()
        )
        Child.objects.filter(pk=case.child_id).update(residence=transfer.to_commune)
        Clock.objects.for_object(case).open().update(unit_path=transfer.to_unit_path)
        case.refresh_from_db()
    history = record_event(
        case=case,
        actor=actor,
        action="transfer_accepted" if accept else "transfer_declined",
        details={"from": transfer.from_commune.code, "to": transfer.to_commune.code},
    )
    publish(
        events.TransferDecided(
            case=case,
            actor=actor,
            history_id=history.pk,
            accepted=accept,
            from_unit_path=transfer.from_commune.path,
        )
    )
    return transfer


# --- Reading -------------------------------------------------------------------------------------


def audit_search(actor: User, *, query: str, results: int) -> None:
    """A search of the cases by a child's name or a code: what was looked for, and how much came."""
    audit(actor=actor, action="case.search", details={"query": query, "results": results})


def audit_duplicates(actor: User, *, child_ids: list[int]) -> None:
    """The children shown as possibly already known, when recording a report."""
    audit(actor=actor, action="case.duplicates", details={"children": child_ids})


def case_open(*, actor: User, case_id: int, view: str = "detail") -> Case:
    """Read one case: the read itself is audited (the child's right to privacy, Law Art. 21)."""
    case = visible_case(actor=actor, case_id=case_id)
    audit_read(actor, case, view)
    return case


def transitions_for(*, actor: User, case: Case) -> list[Option]:
    """Every step with whether this user may run it now and, if not, why."""
    return CASE_WORKFLOW.options(actor=actor, subject=case)
