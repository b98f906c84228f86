"""The forms of the cases pages: they parse and check input; the services decide and write."""

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from cases import ages
from cases.choices import (
    AbuseForm,
    AdministrativeSanctionKind,
    Channel,
    ClosureReason,
    Confirmation,
    ConsentBasis,
    DismissReason,
    Level,
    PerpetratorRelation,
    SanctionAuthority,
    Service,
    Setting,
    Sex,
    SexualAbuseForm,
    Situation,
    Source,
    SpecialCircumstance,
    Status,
    Violator,
    WorkDecision,
)
from cases.closure import WorkChoice, open_work
from cases.ethnicities import ETHNICITIES
from cases.models import Case, Plan
from cases.services import CORRECTABLE_CASE_FIELDS, CORRECTABLE_CHILD_FIELDS, measure_agencies
from core import validators
from core.forms import DateField, DateTimeField, form_field, show_choices
from core.instance_memo import kept_on
from core.models import Agency, Unit
from core.typing import StrOrPromise

FREE_TEXT = validators.FREE_TEXT_MAX_LENGTH
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def blank(choices: Any, label: StrOrPromise | None = None) -> list[tuple[str, Any]]:
    return [("", label or "—"), *choices]


class DateTimeLocalField(DateTimeField):
    """A datetime typed as dd/mm/yyyy hh:mm, in the user's time zone."""


def now_local() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


# --- The case list ------------------------------------------------------------------------------


def commune_choices(communes: QuerySet[Unit]) -> list[tuple[str, str]]:
    """Each commune by its code, those that have ended (merged) saying until when."""
    today = timezone.localdate()
    return [
        (
            code,
            name
            if valid_to is None or valid_to >= today
            else _("%(name)s (until %(date)s)")
            % {"name": name, "date": formats.date_format(valid_to, "SHORT_DATE_FORMAT")},
        )
        for code, name, valid_to in communes.values_list("code", "name", "valid_to")
    ]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Code or child's name"), required=False, max_length=120)
    # Offered to those who read more than one commune's cases (`selectors.list_communes`);
    # its options are read only when the form is rendered or a commune is asked for.
    commune = forms.ChoiceField(label=_("Commune or ward"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=blank(Status.choices), required=False)
    situation = forms.ChoiceField(
        label=_("Situation"), choices=blank(Situation.choices), required=False
    )
    abuse_form = forms.ChoiceField(
        label=_("Form of abuse"), choices=blank(AbuseForm.choices), required=False
    )
    overdue = forms.ChoiceField(
        label=_("Deadlines"),
        choices=[("", "—"), ("yes", _("Overdue")), ("no", _("Not overdue"))],
        required=False,
    )

    def __init__(self, *args: Any, communes: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communes is None:
            del self.fields["commune"]
        else:
            field = cast(forms.ChoiceField, self.fields["commune"])
            field.choices = lambda: blank(commune_choices(communes))

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        overdue = {"yes": True, "no": False}.get(data["overdue"])
        return {
            "q": data["q"].strip() or None,
            "commune": data.get("commune") or None,
            "status": data["status"] or None,
            "situation": data["situation"] or None,
            "abuse_form": data["abuse_form"] or None,
            "overdue": overdue,
        }


# --- Intake (Form 01) ---------------------------------------------------------------------------


class CarerForm(forms.Form):
    """A parent or carer (Form 01): name, relation, age, occupation, contact."""

    name = forms.CharField(label=_("Parent's or carer's name"), max_length=120)
    relation = forms.CharField(label=_("Relation to the child"), required=False, max_length=60)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=120)
    contact = forms.CharField(label=_("Contact"), required=False, max_length=120)


CarerFormSet = forms.formset_factory(CarerForm, extra=2, max_num=8)


def carer_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled rows of a carers formset (an empty row is no carer)."""
    return [dict(row) for row in formset.cleaned_data if row and not row.get("DELETE")]


class IntakeForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune or ward"), queryset=Unit.objects.none())

    # The report
    received_at = DateTimeLocalField(label=_("Received at"), validators=[validators.received_at])
    channel = forms.ChoiceField(label=_("Channel"), choices=blank(Channel.choices))
    source = forms.ChoiceField(label=_("Source"), choices=blank(Source.choices))
    reporter_name = forms.CharField(label=_("Reporter's name"), required=False, max_length=120)
    reporter_contact = forms.CharField(
        label=_("Reporter's contact"), required=False, max_length=120
    )
    reporter_address = forms.CharField(
        label=_("Reporter's address"), required=False, max_length=255
    )
    receiving_body = forms.CharField(
        label=_("Body that received the report"), required=False, max_length=200
    )
    report_number = forms.CharField(label=_("Report number"), required=False, max_length=64)
    harm_location = forms.CharField(
        label=_("Where the harm happened or may happen"), required=False, max_length=255
    )
    child_location = forms.CharField(
        label=_("Where the child is now"), required=False, max_length=255
    )
    child_condition = forms.CharField(
        label=_("The child's current state"), required=False, widget=TEXTAREA, max_length=FREE_TEXT
    )
    description = forms.CharField(
        label=_("What was reported"), widget=TEXTAREA, max_length=FREE_TEXT
    )
    likely_harm = forms.CharField(
        label=_("The harm likely if nobody acts"),
        required=False,
        widget=TEXTAREA,
        max_length=FREE_TEXT,
    )
    actions_taken = forms.CharField(
        label=_("What was already done for the child"),
        required=False,
        widget=TEXTAREA,
        max_length=FREE_TEXT,
    )

    # The concern
    situation = forms.ChoiceField(label=_("Situation"), choices=blank(Situation.choices))
    abuse_forms = forms.MultipleChoiceField(
        label=_("Forms of abuse"),
        choices=AbuseForm.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one form of abuse.")},
    )
    sexual_abuse_forms = forms.MultipleChoiceField(
        label=_("Forms of sexual abuse"),
        choices=SexualAbuseForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    setting = forms.ChoiceField(label=_("Setting"), choices=blank(Setting.choices))
    perpetrator_relation = forms.ChoiceField(
        label=_("Perpetrator's relation to the child"),
        choices=PerpetratorRelation.choices,
        initial=PerpetratorRelation.UNKNOWN,
    )

    # The child
    full_name = forms.CharField(label=_("Child's full name"), max_length=120)
    sex = forms.ChoiceField(label=_("Sex"), choices=blank(Sex.choices))
    date_of_birth = DateField(
        label=_("Date of birth"),
        required=False,
        validators=[validators.date_of_birth],
    )
    estimated_age = forms.IntegerField(
        label=_("Estimated age (if the date of birth is unknown)"),
        required=False,
        min_value=0,
        max_value=120,
    )
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=ETHNICITIES, initial="01")
    disability = forms.BooleanField(label=_("Has a disability"), required=False)
    special_circumstances = forms.MultipleChoiceField(
        label=_("Special circumstances (Law on Children, Art. 10)"),
        choices=SpecialCircumstance.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    school = forms.CharField(label=_("School"), required=False, max_length=200)
    family_circumstances = forms.CharField(
        label=_("The family's circumstances"), required=False, widget=TEXTAREA, max_length=FREE_TEXT
    )

    # Set after the duplicate check: "new", or the id of a known child to link.
    child_choice = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args: Any, communes: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = form_field(self, "commune", forms.ModelChoiceField)
        field.queryset = communes
        only = list(communes[:2])
        if len(only) == 1:
            # One commune: fixed, whatever the request carries.
            field.initial = only[0].pk
            field.disabled = True
            field.widget = forms.HiddenInput()
            self.fixed_commune: Unit | None = only[0]
        else:
            self.fixed_commune = None
        self.fields["received_at"].initial = now_local

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        unknown_age = not data.get("date_of_birth") and data.get("estimated_age") is None
        if unknown_age and not {"date_of_birth", "estimated_age"} & set(self.errors):
            self.add_error(
                "date_of_birth", _("Give the date of birth or, if unknown, an estimated age.")
            )
        # A child is a person under 16 on the report's date (Law on Children Art. 1).
        born = data.get("date_of_birth")
        age = ages.age_on_report(
            date_of_birth=born, estimated_age=data.get("estimated_age"), day=self.report_day()
        )
        if born and born > self.report_day() and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", _("The date of birth is after the report's date."))
        elif age is not None and not ages.is_child(age):
            self.add_error(
                "date_of_birth" if born else "estimated_age", ages.not_a_child_message(age)
            )
        sexual = data.get("sexual_abuse_forms") or []
        if sexual and AbuseForm.SEXUAL_ABUSE not in (data.get("abuse_forms") or []):
            self.add_error(
                "sexual_abuse_forms", _("Forms of sexual abuse need “sexual abuse” chosen above.")
            )
        return data

    def report_day(self) -> datetime.date:
        received_at = self.cleaned_data.get("received_at")
        return timezone.localtime(received_at).date() if received_at else timezone.localdate()

    def birth_year(self) -> int | None:
        data = self.cleaned_data
        if data.get("date_of_birth"):
            return data["date_of_birth"].year
        if data.get("estimated_age") is not None:
            return self.report_day().year - data["estimated_age"]
        return None


# --- The transitions (DOMAIN §5) ----------------------------------------------------------------


class AssessInitialForm(forms.Form):
    """Form 02 (Decree 56/2017 Art. 26(2))."""

    harm_level = forms.ChoiceField(label=_("Level of harm"), choices=blank(Level.choices))
    immediate_danger = forms.BooleanField(
        label=_("The child is in immediate danger"), required=False
    )
    confirmed = forms.ChoiceField(
        label=_("Is the abuse, or the risk of it, confirmed?"),
        choices=blank(Confirmation.choices),
    )
    safety_measures = forms.CharField(
        label=_("Temporary measures taken to keep the child safe"),
        widget=TEXTAREA,
        max_length=FREE_TEXT,
    )
    findings = forms.CharField(label=_("Findings"), widget=TEXTAREA, max_length=FREE_TEXT)


class DeclareEmergencyForm(forms.Form):
    danger = forms.CharField(label=_("The danger"), widget=TEXTAREA, max_length=FREE_TEXT)
    measures_taken = forms.CharField(
        label=_("Measures taken"), widget=TEXTAREA, max_length=FREE_TEXT
    )
    separation_proposed = forms.BooleanField(
        label=_("Separation from the carer is proposed (the chair decides, Form 07)"),
        required=False,
    )
    placement = forms.CharField(
        label=_("Where the child will be cared for (when separation is proposed)"),
        required=False,
        max_length=255,
    )
    harm_level = forms.ChoiceField(
        label=_("Level of harm (Form 02, needed when the case is just received)"),
        choices=blank(Level.choices),
        required=False,
    )
    confirmed = forms.ChoiceField(
        label=_("Abuse or risk confirmed (Form 02, needed when the case is just received)"),
        choices=blank(Confirmation.choices),
        required=False,
    )
    findings = forms.CharField(
        label=_("Findings"), widget=TEXTAREA, required=False, max_length=FREE_TEXT
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["harm_level"] = data["harm_level"] or None
        return data


class DismissForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=blank(DismissReason.choices))
    duplicate_of_code = forms.CharField(
        label=_("Code of the case this one duplicates"), required=False, max_length=24
    )
    verification = forms.CharField(
        label=_("What was verified, and how (needed when the report is unfounded)"),
        required=False,
        widget=TEXTAREA,
        max_length=FREE_TEXT,
    )


class EndEmergencyForm(forms.Form):
    measures_applied = forms.CharField(
        label=_("Measures applied"), widget=TEXTAREA, max_length=FREE_TEXT
    )
    safe_location = forms.CharField(label=_("Where the child is safe now"), max_length=255)


class SubmitPlanForm(forms.Form):
    assessment_summary = forms.CharField(
        label=_("Detailed assessment (Form 03)"), widget=TEXTAREA, max_length=FREE_TEXT
    )
    needs = forms.CharField(label=_("The child's needs"), widget=TEXTAREA, max_length=FREE_TEXT)
    meeting_held_at = DateTimeLocalField(
        label=_("Needs meeting held at"), validators=[validators.past_moment]
    )
    meeting_participants = forms.CharField(
        label=_("Needs meeting participants"), widget=TEXTAREA, max_length=FREE_TEXT
    )
    meeting_minutes = forms.CharField(
        label=_("Needs meeting minutes"), widget=TEXTAREA, max_length=FREE_TEXT
    )
    goals = forms.CharField(
        label=_("Goals of the plan (Form 04)"), widget=TEXTAREA, max_length=FREE_TEXT
    )
    consent_basis = forms.ChoiceField(
        label=_("Ground for sharing the case with the agencies named"),
        choices=blank(ConsentBasis.choices, _("— (no agency named)")),
        required=False,
    )
    consent_by_carer = forms.BooleanField(label=_("The carer consented"), required=False)
    consent_by_child = forms.BooleanField(label=_("The child consented"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_held_at"].initial = now_local


class MeasureForm(forms.Form):
    service = forms.ChoiceField(
        label=_("Service"),
        choices=blank(Service.choices, _("— (the commune's own work, e.g. home visits)")),
        required=False,
    )
    description = forms.CharField(
        label=_("What will be done"), widget=TEXTAREA, max_length=FREE_TEXT
    )
    responsible_agency = forms.ModelChoiceField(
        label=_("Responsible agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("— (the commune itself)"),
    )
    timeframe_days = forms.IntegerField(label=_("Timeframe (days)"), min_value=1, max_value=365)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = form_field(self, "responsible_agency", forms.ModelChoiceField)
        agencies.queryset = offered = measure_agencies(case)
        # Every row of the plan's formset offers the same agencies: read once for the case.
        choices = kept_on(
            case,
            "_measure_agencies",
            lambda: [(agency.pk, agencies.label_from_instance(agency)) for agency in offered],
        )
        show_choices(agencies, choices)


# Any number of measures: "Add a measure" copies the empty form (core/static/core/app.js).
MeasureFormSet = forms.formset_factory(MeasureForm, extra=2, max_num=100, validate_max=True)


def returned_plan(case: Case) -> Plan | None:
    """The plan the chair returned, when the officer now writes the next one: its text and
    measures are the starting point, its comments what to change."""
    if case.status != "assessment":
        return None
    last = Plan.objects.filter(case=case).order_by("-id").first()
    return last if last is not None and last.outcome == Plan.Outcome.RETURNED else None


def plan_initial(plan: Plan) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The submit-plan form and its measures, filled in from a returned plan."""
    fields = (
        "assessment_summary",
        "needs",
        "meeting_held_at",
        "meeting_participants",
        "meeting_minutes",
        "goals",
        "consent_basis",
        "consent_by_carer",
        "consent_by_child",
    )
    measures = [
        {
            "service": m.service,
            "description": m.description,
            "responsible_agency": m.responsible_agency_id,
            "timeframe_days": m.timeframe_days,
        }
        for m in plan.measures.all()
    ]
    return {name: getattr(plan, name) for name in fields}, measures


def emergency_from_assessment(assessment: dict[str, Any]) -> dict[str, Any]:
    """What the officer typed in Form 02, carried into the emergency step when the child turned
    out to be in immediate danger: the same facts, not typed twice."""
    return {
        "harm_level": assessment.get("harm_level") or "",
        "confirmed": assessment.get("confirmed") or "",
        "findings": assessment.get("findings") or "",
        "measures_taken": assessment.get("safety_measures") or "",
    }


class ApprovePlanForm(forms.Form):
    decision_number = forms.CharField(
        label=_("Decision number (Form 05)"), required=False, max_length=64
    )
    comments = forms.CharField(
        label=_("Comments"), widget=TEXTAREA, required=False, max_length=FREE_TEXT
    )


class ReturnPlanForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments for the officer"), widget=TEXTAREA, max_length=FREE_TEXT
    )


class StartReviewForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), widget=TEXTAREA, required=False, max_length=FREE_TEXT)


class RevisePlanForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the plan must change"), widget=TEXTAREA, max_length=FREE_TEXT
    )


class RecordReviewForm(forms.Form):
    """Notes and the progress of each measure of the approved plan (Decree 56/2017 Art. 30)."""

    needs_case = True
    notes = forms.CharField(label=_("Review notes"), widget=TEXTAREA, max_length=FREE_TEXT)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = Plan.objects.filter(case=case, outcome=Plan.Outcome.APPROVED).order_by("-id").first()
        measures = list(plan.measures.all()) if plan else []
        self.measure_ids = [m.pk for m in measures]
        for measure in measures:
            self.fields[f"progress_{measure.pk}"] = forms.CharField(
                label=_("Progress: %(what)s") % {"what": measure.description},
                widget=TEXTAREA,
                max_length=FREE_TEXT,
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "notes": data["notes"],
            "measure_progress": {pk: data[f"progress_{pk}"] for pk in self.measure_ids},
        }


class RecordPlanRefusalForm(forms.Form):
    refused_by = forms.CharField(label=_("Who refused the plan"), max_length=255)
    reasons = forms.CharField(label=_("Why they refuse"), widget=TEXTAREA, max_length=FREE_TEXT)
    commune_action = forms.CharField(
        label=_("What the commune did"), widget=TEXTAREA, max_length=FREE_TEXT
    )


class ReturnClosureForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments for the officer"), widget=TEXTAREA, max_length=FREE_TEXT
    )


class CloseForm(forms.Form):
    """The chair's decision on each live referral and each measure no agency reports on."""

    needs_case = True
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=64)
    comments = forms.CharField(
        label=_("Comments"), widget=TEXTAREA, required=False, max_length=FREE_TEXT
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.work = open_work(case)
        labels = dict(WorkDecision.choices)
        for number, item in enumerate(self.work):
            self.fields[f"work_{number}"] = forms.ChoiceField(
                label=item.label,
                choices=blank([(d, labels[d]) for d in item.decisions]),
            )
            self.fields[f"reason_{number}"] = forms.CharField(
                label=_("Reason"), required=False, max_length=1000
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        work = {
            item.key: WorkChoice(data[f"work_{number}"], data[f"reason_{number}"])
            for number, item in enumerate(self.work)
        }
        return {
            "decision_number": data["decision_number"],
            "comments": data["comments"],
            "work": work,
        }


class ProposeSeparationForm(forms.Form):
    placement = forms.CharField(label=_("Where the child will be cared for"), max_length=255)
    grounds = forms.CharField(
        label=_("Why the child must be separated"), widget=TEXTAREA, max_length=FREE_TEXT
    )


class DecideSeparationForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve the separation")), ("no", _("Refuse the separation"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    period_days = forms.IntegerField(
        label=_("Period (days, at most 15)"), min_value=1, max_value=15, required=False
    )
    placement = forms.CharField(
        label=_("Where the child is placed (if not as proposed)"), required=False, max_length=255
    )
    decision_number = forms.CharField(
        label=_("Decision number (Form 07)"), required=False, max_length=64
    )
    comments = forms.CharField(
        label=_("Comments"), widget=TEXTAREA, required=False, max_length=FREE_TEXT
    )


class ExtendSeparationForm(forms.Form):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Why it is extended"), widget=TEXTAREA, max_length=FREE_TEXT)
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=64)
    authority_request = forms.CharField(
        label=_("Request of the competent authority (beyond 15 days in all)"),
        required=False,
        max_length=255,
    )


class RevokeSeparationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the separation ends"), widget=TEXTAREA, max_length=FREE_TEXT
    )


class ProposeClosureForm(forms.Form):
    remaining_harm = forms.ChoiceField(label=_("Remaining harm"), choices=blank(Level.choices))
    perpetrator_access = forms.ChoiceField(
        label=_("Perpetrator's access to the child"), choices=blank(Level.choices)
    )
    care_obstacles = forms.ChoiceField(
        label=_("Obstacles in the care setting"), choices=blank(Level.choices)
    )
    resilience = forms.ChoiceField(label=_("The child's resilience"), choices=blank(Level.choices))
    reason = forms.ChoiceField(label=_("Reason"), choices=blank(ClosureReason.choices))
    notes = forms.CharField(label=_("Notes"), widget=TEXTAREA, required=False, max_length=FREE_TEXT)


class ReopenForm(forms.Form):
    information = forms.CharField(label=_("New information"), widget=TEXTAREA, max_length=FREE_TEXT)


TRANSITION_FORMS: dict[str, type[forms.Form]] = {
    "assess_initial": AssessInitialForm,
    "declare_emergency": DeclareEmergencyForm,
    "dismiss": DismissForm,
    "end_emergency": EndEmergencyForm,
    "submit_plan": SubmitPlanForm,
    "approve_plan": ApprovePlanForm,
    "return_plan": ReturnPlanForm,
    "record_review": RecordReviewForm,
    "record_plan_refusal": RecordPlanRefusalForm,
    "start_review": StartReviewForm,
    "revise_plan": RevisePlanForm,
    "propose_closure": ProposeClosureForm,
    "return_closure": ReturnClosureForm,
    "close": CloseForm,
    "reopen": ReopenForm,
    "propose_separation": ProposeSeparationForm,
    "decide_separation": DecideSeparationForm,
    "extend_separation": ExtendSeparationForm,
    "revoke_separation": RevokeSeparationForm,
}

# Service error keys that name something other than the form's field.
ERROR_ALIASES = {"duplicate_of": "duplicate_of_code", "child_id": None, "child": None}


# --- Correcting the record ---------------------------------------------------------------------

# The report's fields and the child's that an officer may correct (the service's lists; the
# carers come in their own formset).
CORRECTION_CASE_FIELDS = tuple(sorted(CORRECTABLE_CASE_FIELDS))
CORRECTION_CHILD_FIELDS = tuple(sorted(CORRECTABLE_CHILD_FIELDS - {"carers"}))


class CorrectionForm(IntakeForm):
    """The recorded report and the child's facts, to correct or complete (the intake form without
    the commune and the time received, which a correction does not change). A corrected date of
    birth or estimated age is checked again against the report's date (Law on Children Art. 1)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        forms.Form.__init__(self, *args, **kwargs)
        for name in ("commune", "received_at", "child_choice"):
            del self.fields[name]
        self.fixed_commune = None

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        sexual = data.get("sexual_abuse_forms") or []
        if sexual and AbuseForm.SEXUAL_ABUSE not in (data.get("abuse_forms") or []):
            self.add_error(
                "sexual_abuse_forms", _("Forms of sexual abuse need “sexual abuse” chosen above.")
            )
        return data

    @classmethod
    def initial_for(cls, case: Any) -> dict[str, Any]:
        child = case.child
        return {
            **{name: getattr(case, name) for name in CORRECTION_CASE_FIELDS},
            **{name: getattr(child, name) for name in CORRECTION_CHILD_FIELDS},
            "abuse_forms": case.abuse_forms,
        }

    def service_kwargs(self, carers: list[dict[str, Any]]) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "changes": {name: data[name] for name in CORRECTION_CASE_FIELDS},
            "abuse_forms": list(data["abuse_forms"]),
            "child_changes": {
                **{name: data[name] for name in CORRECTION_CHILD_FIELDS},
                "carers": carers,
            },
        }


# --- Beside the transitions ---------------------------------------------------------------------


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=TEXTAREA, max_length=FREE_TEXT)


class SanctionForm(forms.Form):
    """An administrative sanction decided for the abuse; the service checks the date against the
    report's and the amount against the sanction."""

    decided_by = forms.ChoiceField(label=_("Decided by"), choices=blank(SanctionAuthority.choices))
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    decided_on = DateField(
        label=_("Decided on"),
        validators=[validators.past_day],
    )
    violator = forms.ChoiceField(label=_("Violator"), choices=blank(Violator.choices))
    sanction = forms.ChoiceField(
        label=_("Sanction"), choices=blank(AdministrativeSanctionKind.choices)
    )
    fine_amount = forms.IntegerField(
        label=_("Fine (VND)"), required=False, min_value=1, help_text=_("Only for a fine.")
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        max_length=255,
        help_text=_("The decree and article applied, e.g. “Nghị định 130/2021/NĐ-CP”."),
    )
    notes = forms.CharField(label=_("Notes"), widget=TEXTAREA, required=False, max_length=FREE_TEXT)


class AttachmentForm(forms.Form):
    # The service checks the type by content and the size; the browser's hint is only a hint.
    upload = forms.FileField(
        label=_("Document"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt"}),
    )
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    signs = forms.ChoiceField(
        label=_("The signed copy of"),
        choices=[("", _("— (not a signed official document)"))],
        required=False,
    )

    def __init__(self, *args: Any, documents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "signs", forms.ChoiceField).choices = [
            ("", _("— (not a signed official document)")),
            *documents,
        ]


class TransferForm(forms.Form):
    to_commune = forms.ModelChoiceField(
        label=_("Commune or ward the child moved to"), queryset=Unit.objects.none()
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=FREE_TEXT)

    def __init__(self, *args: Any, communes: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "to_commune", forms.ModelChoiceField).queryset = communes


class SeparationDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve the separation")), ("no", _("Refuse the separation"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    placement = forms.CharField(
        label=_("Where the child is placed"), required=False, max_length=255
    )
    period_days = forms.IntegerField(
        label=_("Period (days, at most 15)"), min_value=1, max_value=15, required=False
    )
    decision_number = forms.CharField(
        label=_("Decision number (Form 07)"), required=False, max_length=64
    )
    comments = forms.CharField(
        label=_("Comments"), widget=TEXTAREA, required=False, max_length=FREE_TEXT
    )


class TransferDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("yes", _("Accept the case")), ("no", _("Decline"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments"), widget=TEXTAREA, required=False, max_length=FREE_TEXT
    )


# The steps with legal weight ask before they run (core/static/core/app.js shows the question);
# their forms pre-select no answer.
CONFIRMATIONS: dict[str, StrOrPromise] = {
    "close": _("Close this case? Your decision ends the commune's intervention for the child."),
    "dismiss": _("Close this report without opening a case for the child?"),
    "approve_plan": _(
        "Approve the plan (Form 05)? The agencies it names receive their referrals at once."
    ),
    "declare_emergency": _(
        "Declare an emergency? The commune's leaders and the agencies needed are alerted."
    ),
    "extend_separation": _(
        "Extend the separation of the child from the carer? It has legal effect."
    ),
    "revoke_separation": _(
        "End the separation of the child from the carer now? It has legal effect."
    ),
}
