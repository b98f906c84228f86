"""The forms of the inspection pages: they parse and check input; the services decide and write."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import AbuseForm, Sex, Situation
from core import validators
from core.forms import DateField, RecordsChoiceField, form_field
from core.models import Agency, Unit, User
from core.typing import StrOrPromise
from inspections import selectors
from inspections.models import (
    Finding,
    InspectedSubject,
    Inspection,
    Kind,
    Sanction,
    Status,
    SubjectKind,
    Topic,
)
from inspections.services import ChildAtRisk

TEXTAREA = forms.Textarea(attrs={"rows": 3})
FREE_TEXT = validators.FREE_TEXT_MAX_LENGTH


def blank(choices: Any, label: StrOrPromise | None = None) -> list[tuple[str, Any]]:
    return [("", label or "—"), *choices]


class SubjectLabels:
    def label_from_instance(self, obj: InspectedSubject) -> str:
        return f"{obj.name} · {obj.get_kind_display()} · {obj.unit.name}"


class SubjectChoiceField(SubjectLabels, RecordsChoiceField):
    pass


class OneSubjectField(SubjectLabels, forms.ModelChoiceField):
    pass


class UserChoiceField(RecordsChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


# --- The list -----------------------------------------------------------------------------------


class InspectionFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=blank(Kind.choices), required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=blank(Topic.choices), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=blank(Status.choices), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        years = [(str(y), str(y)) for y in range(this_year + 1, this_year - 10, -1)]
        form_field(self, "year", forms.ChoiceField).choices = blank(years)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data["kind"] or None,
            "topic": data["topic"] or None,
            "status": data["status"] or None,
            "year": data["year"],
        }


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        required=False,
        validators=[validators.planned_day],
    )

    def first_day(self) -> datetime.date:
        day = self.cleaned_data.get("month") if self.is_valid() else None
        return (day or timezone.localdate()).replace(day=1)


# --- Planning -----------------------------------------------------------------------------------


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=blank(Kind.choices))
    topic = forms.ChoiceField(label=_("Topic"), choices=blank(Topic.choices))
    title = forms.CharField(label=_("Title"), max_length=200)
    lead_agency = forms.ModelChoiceField(label=_("Lead agency"), queryset=Agency.objects.none())
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    decision_date = DateField(label=_("Decision date"), validators=[validators.past_day])
    planned_start = DateField(label=_("Planned start"), validators=[validators.planned_day])
    planned_end = DateField(label=_("Planned end"), validators=[validators.planned_day])
    member_agencies = RecordsChoiceField(
        label=_("Member agencies"),
        queryset=Agency.objects.none(),  # today's agencies, set for each form
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    subjects = SubjectChoiceField(
        label=_("Inspected subjects"),
        queryset=InspectedSubject.objects.none(),  # the registry of the user's provinces
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    members = UserChoiceField(
        label=_("Other members of the team"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("You lead the team."),
    )

    def __init__(self, *args: Any, actor: User, lead_agency_ids: frozenset[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        lead = form_field(self, "lead_agency", forms.ModelChoiceField)
        lead.queryset = Agency.objects.filter(pk__in=lead_agency_ids).order_by("name")
        if len(lead_agency_ids) == 1:
            lead.initial = next(iter(lead_agency_ids))
        provinces = selectors.inspecting_provinces(actor)
        subjects = form_field(self, "subjects", forms.ModelMultipleChoiceField)
        subjects.queryset = selectors.registry_subjects(provinces)
        members = form_field(self, "member_agencies", forms.ModelMultipleChoiceField)
        members.queryset = selectors.team_agencies(provinces).order_by("name")
        form_field(self, "members", forms.ModelChoiceField).queryset = (
            selectors.team_inspectors(provinces)
            .exclude(pk=actor.pk)
            .order_by("last_name", "first_name", "username")
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The end cannot come before the start."))
        return data

    def plan_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("member_agencies", "subjects", "members"):
            data[name] = tuple(data[name])
        return data


class SubjectForm(forms.Form):
    """A new organisation for the registry, typed while planning or on the inspection's page."""

    kind = forms.ChoiceField(label=_("Kind of subject"), choices=blank(SubjectKind.choices))
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = UnitChoiceField(label=_("Where"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "unit", forms.ModelChoiceField).queryset = units


class NameSubjectForm(forms.Form):
    """A subject of the registry named for an inspection already planned."""

    subject = OneSubjectField(
        label=_("From the registry"), queryset=InspectedSubject.objects.none()
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        registry = selectors.registry_subjects([selectors.inspection_province(inspection)])
        form_field(self, "subject", forms.ModelChoiceField).queryset = registry.exclude(
            pk__in=inspection.subjects.values("pk")
        )


# --- The inspection's steps ---------------------------------------------------------------------


class ConcludeForm(forms.Form):
    conclusion = forms.CharField(label=_("Conclusion"), widget=TEXTAREA, max_length=FREE_TEXT)
    no_violation_found = forms.BooleanField(label=_("No violation was found"), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the inspection is cancelled"), widget=TEXTAREA, max_length=FREE_TEXT
    )


class NoPayloadForm(forms.Form):
    """A step that takes nothing but the button."""


# Steps that take a payload; the others are a button (NoPayloadForm).
TRANSITION_FORMS: dict[str, type[forms.Form]] = {"conclude": ConcludeForm, "cancel": CancelForm}


# --- Findings and recommendations ---------------------------------------------------------------


class FindingForm(forms.Form):
    description = forms.CharField(label=_("What was found"), widget=TEXTAREA, max_length=FREE_TEXT)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255)
    responsible = forms.CharField(label=_("Responsible organisation or person"), max_length=200)
    subject = forms.ModelChoiceField(
        label=_("Inspected subject"),
        queryset=InspectedSubject.objects.none(),
        required=False,
        empty_label="—",
    )
    sanction = forms.ChoiceField(label=_("Sanction"), choices=blank(Sanction.choices))
    fine_amount = forms.IntegerField(
        label=_("Fine (VND)"), required=False, min_value=1, help_text=_("Only for a fine.")
    )
    head_held_accountable = forms.BooleanField(
        label=_("The head of the institution was held to account"), required=False
    )

    # A child found at risk: a case is opened for the child's commune.
    child_found = forms.BooleanField(label=_("A child at risk was found"), required=False)
    commune = UnitChoiceField(
        label=_("The child's commune or ward"), queryset=Unit.objects.none(), required=False
    )
    child_name = forms.CharField(label=_("Child's full name"), max_length=120, required=False)
    child_sex = forms.ChoiceField(label=_("Sex"), choices=blank(Sex.choices), required=False)
    child_age = forms.IntegerField(
        label=_("Estimated age"), min_value=0, max_value=17, required=False
    )
    situation = forms.ChoiceField(
        label=_("Situation"), choices=blank(Situation.choices), required=False
    )
    abuse_forms = forms.MultipleChoiceField(
        label=_("Forms of abuse"),
        choices=AbuseForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    child_description = forms.CharField(
        label=_("What was seen"), widget=TEXTAREA, required=False, max_length=FREE_TEXT
    )

    CHILD_FIELDS = (
        "commune",
        "child_name",
        "child_sex",
        "child_age",
        "situation",
        "abuse_forms",
        "child_description",
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "subject", forms.ModelChoiceField).queryset = inspection.subjects.all()
        form_field(self, "commune", forms.ModelChoiceField).queryset = selectors.finding_communes(
            inspection
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("child_found"):
            for name in self.CHILD_FIELDS:
                if name not in self.errors and data.get(name) in (None, "", []):
                    self.add_error(name, _("Needed when a child at risk was found."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        child = None
        if data["child_found"]:
            child = ChildAtRisk(
                commune=data["commune"],
                full_name=data["child_name"],
                sex=data["child_sex"],
                estimated_age=data["child_age"],
                situation=data["situation"],
                abuse_forms=tuple(data["abuse_forms"]),
                description=data["child_description"],
            )
        return {
            "description": data["description"],
            "legal_basis": data["legal_basis"],
            "responsible": data["responsible"],
            "sanction": data["sanction"],
            "fine_amount": data["fine_amount"],
            "head_held_accountable": data["head_held_accountable"],
            "subject": data["subject"],
            "child": child,
        }


# Service error keys that name something other than the form's field.
FINDING_ERROR_ALIASES: dict[str, str | None] = {"child": None}


class RecommendationForm(forms.Form):
    action = forms.CharField(label=_("What must be done"), widget=TEXTAREA, max_length=FREE_TEXT)
    responsible = forms.CharField(label=_("Responsible organisation"), max_length=200)
    due_date = DateField(label=_("Due date"), validators=[validators.planned_day])
    finding = forms.ModelChoiceField(
        label=_("Finding it answers"),
        queryset=Finding.objects.none(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args: Any, inspection: Inspection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "finding", forms.ModelChoiceField).queryset = inspection.findings.all()


class DoneForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence that it was done"), widget=TEXTAREA, max_length=FREE_TEXT
    )


class WaiveForm(forms.Form):
    reason = forms.CharField(label=_("Why it is waived"), widget=TEXTAREA, max_length=FREE_TEXT)
