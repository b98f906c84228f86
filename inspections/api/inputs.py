"""What the inspections API accepts: a plan, each workflow step's payload, findings,
recommendations and their outcome, the registry's entries, and the lists' filters."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.choices import AbuseForm, Sex, Situation
from core import validators
from core.api_fields import fine_amount_errors
from core.api_workflow import NoInput, StepPayload
from core.models import Agency, Unit, UnitLevel, User
from core.typing import StrOrPromise
from inspections import selectors
from inspections.api.common import CodeField, CollectingSerializer, unit_valid_today
from inspections.models import Finding, InspectedSubject, Kind, Sanction, Status, SubjectKind, Topic

FREE_TEXT = validators.FREE_TEXT_MAX_LENGTH


def parsed(field: serializers.Field, data: Any, name: str) -> Any:
    """The value of one raw field, or None when it is missing or bad (its own error says why)."""
    try:
        return field.to_internal_value(data[name]) if data.get(name) not in (None, "") else None
    except serializers.ValidationError:
        return None


def filled(params: Any) -> dict[str, str]:
    """The query's parameters without the empty ones: `?status=` means any status."""
    return {name: value for name, value in params.items() if value != ""}


# --- Inspections ---------------------------------------------------------------------------------


class InspectionFilterSerializer(serializers.Serializer):
    kind = CodeField(Kind, required=False)
    topic = CodeField(Topic, required=False)
    status = CodeField(Status, required=False)
    lead_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, help_text=_("The lead agency's id.")
    )
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, help_text=_("The year of planned start.")
    )

    def filters(self) -> dict[str, Any]:
        """The validated filters as `selectors.inspection_list` takes them."""
        filters = dict(self.validated_data)
        if "lead_agency" in filters:
            filters["lead_agency"] = filters["lead_agency"].pk
        return filters


PLAN_FIELDS = (
    "kind",
    "topic",
    "title",
    "lead_agency",
    "decision_number",
    "decision_date",
    "planned_start",
    "planned_end",
)


class CurrentAgencyField(serializers.PrimaryKeyRelatedField):
    """An agency that exists today (its queryset is built at each request, not at import)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Agency.objects.all(), **kwargs)  # the schema reads the model

    def get_queryset(self):
        return Agency.objects.current()


class InspectionPlanSerializer(CollectingSerializer):
    kind = CodeField(Kind)
    topic = CodeField(Topic)
    title = serializers.CharField(max_length=200)
    lead_agency = CurrentAgencyField(
        help_text=_("Your own agency: the inspection is led by the agency you inspect for."),
    )
    decision_number = serializers.CharField(max_length=64)
    decision_date = serializers.DateField(validators=[validators.past_day])
    planned_start = serializers.DateField(validators=[validators.planned_day])
    planned_end = serializers.DateField(validators=[validators.planned_day])
    member_agencies = CurrentAgencyField(many=True, default=list)
    subjects = serializers.PrimaryKeyRelatedField(
        queryset=InspectedSubject.objects.all(), many=True, default=list
    )
    members = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        many=True,
        default=list,
        help_text=_("The other inspectors on the team (user ids); you lead it."),
    )

    def cross_field_errors(self, data: Any) -> dict[str, list[StrOrPromise]]:
        day = serializers.DateField()
        decided, start, end = (
            parsed(day, data, name) for name in ("decision_date", "planned_start", "planned_end")
        )
        found: dict[str, list[StrOrPromise]] = {}
        if start and end and end < start:
            found["planned_end"] = [_("The end cannot come before the start.")]
        if decided and start and decided > start:
            found["decision_date"] = [_("The decision must come before the inspection starts.")]
        return found

    def plan_values(self) -> dict[str, Any]:
        """The validated plan as `services.Plan` takes it."""
        data = self.validated_data
        return {
            **{name: data[name] for name in PLAN_FIELDS},
            "member_agencies": tuple(data["member_agencies"]),
            "subjects": tuple(data["subjects"]),
            "members": tuple(data["members"]),
        }


# --- The steps: one payload per step, matching its service ---------------------------------------


class InspectionStartSerializer(NoInput):
    """Nothing but the step: the actual start is today."""


class InspectionBeginReportingSerializer(NoInput):
    """Nothing but the step: the actual end is today."""


class InspectionConcludeSerializer(StepPayload):
    conclusion = serializers.CharField(max_length=FREE_TEXT)
    no_violation_found = serializers.BooleanField(
        default=False, help_text=_("Needed to conclude without any finding.")
    )


class InspectionFollowUpSerializer(NoInput):
    """Nothing but the step."""


class InspectionCloseSerializer(NoInput):
    """Nothing but the step, once every recommendation is done or waived."""


class InspectionCancelSerializer(StepPayload):
    reason = serializers.CharField(max_length=FREE_TEXT)


STEP_PAYLOADS: dict[str, type[StepPayload]] = {
    "start": InspectionStartSerializer,
    "begin_reporting": InspectionBeginReportingSerializer,
    "conclude": InspectionConcludeSerializer,
    "follow_up": InspectionFollowUpSerializer,
    "close": InspectionCloseSerializer,
    "cancel": InspectionCancelSerializer,
}


# --- Findings and recommendations ----------------------------------------------------------------


class ChildAtRiskSerializer(serializers.Serializer):
    commune = serializers.CharField(
        help_text=_("The code of a commune or ward valid today."), max_length=8
    )
    full_name = serializers.CharField(max_length=120)
    sex = serializers.ChoiceField(choices=Sex.choices)
    estimated_age = serializers.IntegerField(min_value=0, max_value=17)
    situation = serializers.ChoiceField(choices=Situation.choices)
    abuse_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=AbuseForm.choices), min_length=1
    )
    description = serializers.CharField(max_length=FREE_TEXT)

    def validate_commune(self, value: str) -> Unit:
        return unit_valid_today(value, UnitLevel.COMMUNE)


class FindingCreateSerializer(CollectingSerializer):
    description = serializers.CharField(max_length=FREE_TEXT)
    legal_basis = serializers.CharField(max_length=255)
    responsible = serializers.CharField(max_length=200)
    sanction = CodeField(Sanction)
    fine_amount = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("In VND; required for a fine, and only for a fine."),
    )
    head_held_accountable = serializers.BooleanField(default=False)
    subject = serializers.PrimaryKeyRelatedField(
        queryset=InspectedSubject.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("One of the inspection's subjects."),
    )
    child_at_risk = ChildAtRiskSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A child found at risk: a case is opened for the child's commune."),
    )

    def cross_field_errors(self, data: Any) -> dict[str, list[StrOrPromise]]:
        return fine_amount_errors(data)


class RecommendationCreateSerializer(serializers.Serializer):
    """Needs the inspection in its context, to find the finding it answers."""

    action = serializers.CharField(max_length=FREE_TEXT)
    responsible = serializers.CharField(max_length=200)
    due_date = serializers.DateField(validators=[validators.planned_day])
    finding = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The id of one of this inspection's findings."),
    )

    def validate_finding(self, value: int | None) -> Finding | None:
        if value is None:
            return None
        inspection = self.context["inspection"]
        finding = selectors.inspection_findings(inspection).filter(pk=value).first()
        if finding is None:
            raise serializers.ValidationError(_("Choose one of this inspection's findings."))
        return finding


class RecommendationDoneSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=FREE_TEXT)


class RecommendationWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=FREE_TEXT)


class SubjectNameSerializer(serializers.Serializer):
    subject = serializers.PrimaryKeyRelatedField(
        queryset=InspectedSubject.objects.all(),
        help_text=_("A subject of the registry in the lead agency's province."),
    )


# --- The registry of inspected subjects ----------------------------------------------------------


class InspectedSubjectFilterSerializer(serializers.Serializer):
    kind = CodeField(SubjectKind, required=False)
    unit = serializers.CharField(required=False, help_text=_("The code of its unit."), max_length=8)
    q = serializers.CharField(required=False, max_length=100, help_text=_("Part of its name."))

    def validate_unit(self, value: str) -> str:
        if not Unit.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("No administrative unit has this code."))
        return value


class InspectedSubjectCreateSerializer(serializers.Serializer):
    kind = CodeField(SubjectKind)
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField(help_text=_("The code of its unit, valid today."), max_length=8)
    agency = CurrentAgencyField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The agency it is, if it is one of the registered agencies."),
    )

    def validate_unit(self, value: str) -> Unit:
        return unit_valid_today(value)
