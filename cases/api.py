"""The cases API: intake, the list and the record, and the Decree 56 workflow (DOMAIN §4–5).

Thin on purpose: each view parses its input with a serializer, calls one service or selector and
renders the case. Who may see or do what is decided by the services and selectors, never here.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import sections, selectors, services
from cases.choices import (
    AbuseForm,
    Channel,
    ClosureReason,
    ConsentBasis,
    DismissReason,
    Level,
    PerpetratorRelation,
    Service,
    Setting,
    Sex,
    SexualAbuseForm,
    Situation,
    Source,
    SpecialCircumstance,
    Status,
)
from cases.clocks import LABELS
from cases.consent import Consent
from cases.ethnicities import ETHNICITIES
from cases.models import (
    Case,
    CaseEvent,
    CaseNote,
    CaseTransfer,
    Child,
    ClosureAssessment,
    EmergencyDeclaration,
    EmergencyEnd,
    InitialAssessment,
    Plan,
    PlanDecision,
    PlanMeasure,
    SeparationDecision,
)
from core import api_fields
from core.clocks import open_clocks
from core.errors import Forbidden, NotFound
from core.models import Agency, Unit, UnitLevel, User

ERRORS = {
    400: OpenApiResponse(description=_("Bad input: {field: [messages]}; nothing changed.")),
    403: OpenApiResponse(description=_("Your role may not do this to this case.")),
    404: OpenApiResponse(description=_("No such case, or not visible to you.")),
    409: OpenApiResponse(
        description=_(
            'The state forbids it ("code": "invalid_transition") or a concurrent change won '
            '("code": "conflict"); nothing changed.'
        )
    ),
}


ENUM_NAMES = {Status: "CaseStatus", Level: "Rating"}


class CodeField(api_fields.CodeField):
    names = ENUM_NAMES


CollectingSerializer = api_fields.CollectingSerializer


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


def commune_valid_today(code: str) -> Unit:
    unit = (
        Unit.objects.valid_on(timezone.localdate())
        .filter(code=code, level=UnitLevel.COMMUNE)
        .first()
    )
    if unit is None:
        raise serializers.ValidationError(_("Choose a commune or ward valid today."))
    return unit


# --- Intake (Form 01) ----------------------------------------------------------------------------


class CarerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    relation = serializers.CharField(max_length=60, allow_blank=True, default="")
    contact = serializers.CharField(max_length=120, allow_blank=True, default="")


class ChildInputSerializer(CollectingSerializer):
    full_name = serializers.CharField(max_length=120)
    sex = serializers.ChoiceField(choices=Sex.choices)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    estimated_age = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=17
    )
    ethnicity = serializers.ChoiceField(choices=ETHNICITIES, default="01")
    disability = serializers.BooleanField(default=False)
    special_circumstances = serializers.ListField(
        child=serializers.ChoiceField(choices=SpecialCircumstance.choices), default=list
    )
    address = serializers.CharField(max_length=255, allow_blank=True, default="")
    school = serializers.CharField(max_length=200, allow_blank=True, default="")
    carers = CarerSerializer(many=True, default=list)

    def validate_date_of_birth(self, value: Any) -> Any:
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(_("The date of birth cannot be in the future."))
        return value

    def cross_field_errors(self, data: Any) -> dict[str, list[str]]:
        given = [data.get(name) not in (None, "") for name in ("date_of_birth", "estimated_age")]
        if given.count(True) != 1:
            return {
                "date_of_birth": [_("Give either the date of birth or the estimated age.")],
            }
        return {}


class CaseCreateSerializer(CollectingSerializer):
    commune = serializers.CharField(help_text=_("The code of a commune or ward valid today."))
    received_at = serializers.DateTimeField(
        required=False, help_text=_("When the report was received (default: now).")
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    source = serializers.ChoiceField(choices=Source.choices)
    description = serializers.CharField()
    situation = serializers.ChoiceField(choices=Situation.choices)
    abuse_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=AbuseForm.choices), min_length=1
    )
    sexual_abuse_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=SexualAbuseForm.choices), default=list
    )
    setting = serializers.ChoiceField(choices=Setting.choices)
    perpetrator_relation = serializers.ChoiceField(
        choices=PerpetratorRelation.choices, default=PerpetratorRelation.UNKNOWN
    )
    reporter_name = serializers.CharField(max_length=120, allow_blank=True, default="")
    reporter_contact = serializers.CharField(max_length=120, allow_blank=True, default="")
    harm_location = serializers.CharField(max_length=255, allow_blank=True, default="")
    child_location = serializers.CharField(max_length=255, allow_blank=True, default="")
    child_condition = serializers.CharField(allow_blank=True, default="")
    child = ChildInputSerializer(required=False, help_text=_("A child not yet known."))
    child_id = serializers.IntegerField(
        required=False, help_text=_("A child already known from a case you can see.")
    )

    def validate_commune(self, value: str) -> Unit:
        return commune_valid_today(value)

    def validate_child_id(self, value: int) -> Child:
        visible = selectors.cases_visible_to(self.context["request"].user)
        child = Child.objects.filter(pk=value, cases__in=visible).distinct().first()
        if child is None:
            raise serializers.ValidationError(_("No such child among the cases you can see."))
        return child

    def cross_field_errors(self, data: Any) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        if ("child" in data) == ("child_id" in data):
            found["child"] = [_("Give the child's details or the id of a known child, not both.")]
        forms = data.get("abuse_forms") or []
        if data.get("sexual_abuse_forms") and AbuseForm.SEXUAL_ABUSE not in forms:
            found["sexual_abuse_forms"] = [_("Only for a case of sexual abuse.")]
        return found


# --- Reading -------------------------------------------------------------------------------------


def age_from_birth_year(child: Child) -> int | None:
    return timezone.localdate().year - child.birth_year if child.birth_year else None


class ChildSummarySerializer(serializers.Serializer):
    full_name = serializers.CharField()
    sex = serializers.CharField()
    age = serializers.SerializerMethodField()

    def get_age(self, child: Child) -> int | None:
        return age_from_birth_year(child)


class CaseListSerializer(serializers.ModelSerializer):
    status = CodeField(Status)
    status_display = serializers.CharField(source="get_status_display")
    commune = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    child = ChildSummarySerializer()
    abuse_forms = serializers.ListField(child=serializers.CharField())
    next_due_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.BooleanField()

    class Meta:
        model = Case
        fields = [
            "id",
            "code",
            "status",
            "status_display",
            "commune",
            "commune_name",
            "child",
            "situation",
            "abuse_forms",
            "received_at",
            "next_due_at",
            "is_overdue",
        ]
        read_only_fields = fields


class CaseListFilterSerializer(serializers.Serializer):
    status = CodeField(Status, required=False)
    commune = serializers.CharField(required=False, help_text=_("A commune code."))
    situation = serializers.ChoiceField(choices=Situation.choices, required=False)
    abuse_form = serializers.ChoiceField(choices=AbuseForm.choices, required=False)
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("An open deadline has passed.")
    )
    q = serializers.CharField(
        required=False, help_text=_("Case code or the child's name, with or without diacritics.")
    )


class ChildSerializer(serializers.ModelSerializer):
    residence = serializers.CharField(source="residence.code", read_only=True)
    age = serializers.SerializerMethodField()
    ethnicity_name = serializers.CharField(source="get_ethnicity_display", read_only=True)

    class Meta:
        model = Child
        fields = [
            "id",
            "full_name",
            "sex",
            "date_of_birth",
            "estimated_age",
            "birth_year",
            "age",
            "ethnicity",
            "ethnicity_name",
            "disability",
            "special_circumstances",
            "residence",
            "address",
            "school",
            "carers",
        ]
        read_only_fields = fields

    def get_age(self, child: Child) -> int | None:
        return age_from_birth_year(child)


class AuthorField(serializers.CharField):
    """A user shown by username."""

    def to_representation(self, user: User) -> str:
        return user.username


def record_fields(*names: str) -> list[str]:
    return ["id", "author", "created_at", *names]


class InitialAssessmentSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    harm_level = CodeField(Level, read_only=True)

    class Meta:
        model = InitialAssessment
        fields = record_fields("harm_level", "immediate_danger", "findings")


class SeparationDecisionSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    decided_by = AuthorField(read_only=True, allow_null=True)

    class Meta:
        model = SeparationDecision
        fields = record_fields(
            "outcome", "placement", "decision_number", "comments", "decided_by", "decided_at"
        )


class EmergencyDeclarationSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    separation = serializers.SerializerMethodField()

    class Meta:
        model = EmergencyDeclaration
        fields = record_fields("danger", "measures_taken", "separation_proposed", "separation")

    @extend_schema_field(SeparationDecisionSerializer(allow_null=True))
    def get_separation(self, declaration: EmergencyDeclaration) -> dict | None:
        separation = getattr(declaration, "separation", None)
        return SeparationDecisionSerializer(separation).data if separation else None


class EmergencyEndSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)

    class Meta:
        model = EmergencyEnd
        fields = record_fields("measures_applied", "safe_location")


class PlanMeasureSerializer(serializers.ModelSerializer):
    responsible_agency_name = serializers.CharField(
        source="responsible_agency.name", read_only=True, default=None
    )

    class Meta:
        model = PlanMeasure
        fields = [
            "id",
            "service",
            "description",
            "timeframe_days",
            "responsible_agency",
            "responsible_agency_name",
        ]


class PlanDecisionSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)

    class Meta:
        model = PlanDecision
        fields = record_fields("approved", "decision_number", "comments")


class PlanSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    measures = PlanMeasureSerializer(many=True, read_only=True)
    decisions = PlanDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = record_fields(
            "outcome",
            "assessment_summary",
            "needs",
            "meeting_held_at",
            "meeting_participants",
            "meeting_minutes",
            "goals",
            "consent_basis",
            "consent_by_carer",
            "consent_by_child",
            "measures",
            "decisions",
        )


class ClosureAssessmentSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    remaining_harm = CodeField(Level, read_only=True)
    perpetrator_access = CodeField(Level, read_only=True)
    care_obstacles = CodeField(Level, read_only=True)
    resilience = CodeField(Level, read_only=True)
    reason = CodeField(ClosureReason, read_only=True)

    class Meta:
        model = ClosureAssessment
        fields = record_fields(
            "remaining_harm",
            "perpetrator_access",
            "care_obstacles",
            "resilience",
            "reason",
            "notes",
        )


class CaseTransferSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    case_code = serializers.CharField(source="case.code", read_only=True)
    from_commune = serializers.CharField(source="from_commune.code", read_only=True)
    to_commune = serializers.CharField(source="to_commune.code", read_only=True)
    to_commune_name = serializers.CharField(source="to_commune.name", read_only=True)
    decided_by = AuthorField(read_only=True, allow_null=True)

    class Meta:
        model = CaseTransfer
        fields = record_fields(
            "case",
            "case_code",
            "from_commune",
            "to_commune",
            "to_commune_name",
            "reason",
            "outcome",
            "decided_by",
            "decided_at",
            "decision_comments",
        )


class CaseNoteSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)

    class Meta:
        model = CaseNote
        fields = record_fields("text")


class CaseRecordsSerializer(serializers.Serializer):
    initial_assessments = InitialAssessmentSerializer(many=True, source="initialassessments.all")
    emergency_declarations = EmergencyDeclarationSerializer(
        many=True, source="emergencydeclarations.all"
    )
    emergency_ends = EmergencyEndSerializer(many=True, source="emergencyends.all")
    plans = PlanSerializer(many=True, source="plans.all")
    closure_assessments = ClosureAssessmentSerializer(many=True, source="closureassessments.all")
    transfers = CaseTransferSerializer(many=True, source="casetransfers.all")
    notes = CaseNoteSerializer(many=True, source="casenotes.all")


class OpenClockSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.SerializerMethodField()
    due_at = serializers.DateTimeField()
    is_overdue = serializers.SerializerMethodField()

    def get_label(self, clock: Any) -> str:
        return str(LABELS.get(clock.kind, clock.kind))

    def get_is_overdue(self, clock: Any) -> bool:
        return clock.is_overdue()


class CaseDetailSerializer(serializers.ModelSerializer):
    status = CodeField(Status, read_only=True)
    dismiss_reason = CodeField(DismissReason, allow_blank=True, read_only=True)
    closure_reason = CodeField(ClosureReason, allow_blank=True, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    child = ChildSerializer(read_only=True)
    abuse_forms = serializers.ListField(child=serializers.CharField(), read_only=True)
    # Not read-only on purpose: the schema then marks them optional, as they are — the reporter
    # is confidential and shown to the case's commune staff only (DOMAIN §4).
    reporter_name = serializers.CharField(required=False)
    reporter_contact = serializers.CharField(required=False)
    recorded_by = AuthorField(read_only=True)
    duplicate_of = serializers.CharField(source="duplicate_of.code", read_only=True, default=None)
    records = CaseRecordsSerializer(source="*", read_only=True)
    open_clocks = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "code",
            "status",
            "status_display",
            "commune",
            "commune_name",
            "child",
            "received_at",
            "channel",
            "source",
            "reporter_name",
            "reporter_contact",
            "harm_location",
            "child_location",
            "child_condition",
            "description",
            "situation",
            "abuse_forms",
            "sexual_abuse_forms",
            "setting",
            "perpetrator_relation",
            "recorded_by",
            "recorded_by_hotline",
            "dismiss_reason",
            "duplicate_of",
            "closure_reason",
            "closed_at",
            "created_at",
            "updated_at",
            "records",
            "open_clocks",
        ]
        read_only_fields = [f for f in fields if f not in ("reporter_name", "reporter_contact")]

    @extend_schema_field(OpenClockSerializer(many=True))
    def get_open_clocks(self, case: Case) -> list[dict]:
        return OpenClockSerializer(open_clocks(case), many=True).data

    def to_representation(self, case: Case) -> dict[str, Any]:
        """Only the sections of the case this reader may see (need to know, DOMAIN §3 and §6)."""
        data = super().to_representation(case)
        shown = sections.sections_for(self.context["request"].user, case)
        for name, section in FIELD_SECTIONS.items():
            if section not in shown:
                data.pop(name, None)
        for name, section in RECORD_SECTIONS.items():
            if section not in shown:
                data["records"].pop(name, None)
        if sections.CHILD not in shown:
            data.pop("child", None)
        elif sections.CARERS not in shown:
            data["child"].pop("carers", None)
            data["child"].pop("address", None)
        return data


# Which section of the case (cases/sections.py) each part of the detail belongs to.
FIELD_SECTIONS = {
    "received_at": sections.REPORT,
    "channel": sections.REPORT,
    "source": sections.REPORT,
    "harm_location": sections.REPORT,
    "child_location": sections.REPORT,
    "description": sections.REPORT,
    "recorded_by": sections.REPORT,
    "recorded_by_hotline": sections.REPORT,
    "reporter_name": sections.REPORTER,
    "reporter_contact": sections.REPORTER,
    "child_condition": sections.MEDICAL,
    "situation": sections.CONCERN,
    "abuse_forms": sections.CONCERN,
    "sexual_abuse_forms": sections.CONCERN,
    "setting": sections.CONCERN,
    "perpetrator_relation": sections.CONCERN,
    "dismiss_reason": sections.CLOSURE,
    "duplicate_of": sections.CLOSURE,
    "closure_reason": sections.CLOSURE,
    "closed_at": sections.CLOSURE,
}
RECORD_SECTIONS = {
    "initial_assessments": sections.ASSESSMENTS,
    "emergency_declarations": sections.ASSESSMENTS,
    "emergency_ends": sections.ASSESSMENTS,
    "plans": sections.PLAN,
    "closure_assessments": sections.CLOSURE,
    "transfers": sections.HISTORY,
    "notes": sections.HISTORY,
}


class ActorSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")


class CaseEventSerializer(serializers.ModelSerializer):
    actor = ActorSerializer(read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["at", "actor", "action", "from_status", "to_status", "details"]


class CaseTransitionOptionSerializer(serializers.Serializer):
    name = serializers.CharField()
    allowed = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


# --- The transitions: one payload per step, matching its service ---------------------------------


class AssessInitialSerializer(serializers.Serializer):
    harm_level = CodeField(Level)
    immediate_danger = serializers.BooleanField()
    findings = serializers.CharField()


class DeclareEmergencySerializer(serializers.Serializer):
    danger = serializers.CharField()
    measures_taken = serializers.CharField()
    separation_proposed = serializers.BooleanField(default=False)
    harm_level = CodeField(
        Level,
        required=False,
        allow_null=True,
        help_text=_("Needed from “received”: the emergency is also the Form 02 assessment."),
    )
    findings = serializers.CharField(required=False, allow_blank=True, default="")


class DismissSerializer(serializers.Serializer):
    reason = CodeField(DismissReason)
    duplicate_of = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The code of the case this one duplicates; needed when the reason is that."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["reason"] == DismissReason.DUPLICATE and not attrs["duplicate_of"]:
            raise serializers.ValidationError(
                {"duplicate_of": [_("Give the code of the case this one duplicates.")]}
            )
        return attrs


class EndEmergencySerializer(serializers.Serializer):
    measures_applied = serializers.CharField()
    safe_location = serializers.CharField(max_length=255)


class MeasureInputSerializer(serializers.Serializer):
    service = serializers.ChoiceField(choices=Service.choices)
    description = serializers.CharField()
    timeframe_days = serializers.IntegerField(min_value=1, max_value=365)
    responsible_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True
    )


class SubmitPlanSerializer(serializers.Serializer):
    assessment_summary = serializers.CharField()
    needs = serializers.CharField()
    meeting_held_at = serializers.DateTimeField()
    meeting_participants = serializers.CharField()
    meeting_minutes = serializers.CharField()
    goals = serializers.CharField()
    measures = MeasureInputSerializer(many=True, allow_empty=False)
    consent_basis = serializers.ChoiceField(
        choices=ConsentBasis.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Needed when a measure names an agency: the ground for sharing the case."),
    )
    consent_by_carer = serializers.BooleanField(default=False)
    consent_by_child = serializers.BooleanField(default=False)


class ApprovePlanSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=64)
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnPlanSerializer(serializers.Serializer):
    comments = serializers.CharField()


class StartReviewSerializer(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RevisePlanSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CloseSerializer(serializers.Serializer):
    remaining_harm = CodeField(Level)
    perpetrator_access = CodeField(Level)
    care_obstacles = CodeField(Level)
    resilience = CodeField(Level)
    reason = CodeField(ClosureReason)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReopenSerializer(serializers.Serializer):
    information = serializers.CharField()


def submit_plan(actor: User, case_id: int, data: dict[str, Any]) -> Case:
    consent = Consent(
        basis=data.pop("consent_basis"),
        by_carer=data.pop("consent_by_carer"),
        by_child=data.pop("consent_by_child"),
    )
    measures = [services.MeasureData(**m) for m in data.pop("measures")]
    return services.case_submit_plan(
        actor=actor,
        case_id=case_id,
        measures=measures,
        consent=consent if consent.basis else None,
        **data,
    )


def dismiss(actor: User, case_id: int, data: dict[str, Any]) -> Case:
    return services.case_dismiss(
        actor=actor, case_id=case_id, reason=data["reason"], duplicate_of_code=data["duplicate_of"]
    )


def passing(service: Callable[..., Case]) -> Callable[[User, int, dict[str, Any]], Case]:
    """A step whose payload is exactly its service's keyword arguments."""
    return lambda actor, case_id, data: service(actor=actor, case_id=case_id, **data)


Step = Callable[[User, int, dict[str, Any]], Case]
TRANSITIONS: dict[str, tuple[type[serializers.Serializer], Step]] = {
    "assess_initial": (AssessInitialSerializer, passing(services.case_assess_initial)),
    "declare_emergency": (DeclareEmergencySerializer, passing(services.case_declare_emergency)),
    "dismiss": (DismissSerializer, dismiss),
    "end_emergency": (EndEmergencySerializer, passing(services.case_end_emergency)),
    "submit_plan": (SubmitPlanSerializer, submit_plan),
    "approve_plan": (ApprovePlanSerializer, passing(services.case_approve_plan)),
    "return_plan": (ReturnPlanSerializer, passing(services.case_return_plan)),
    "start_review": (StartReviewSerializer, passing(services.case_start_review)),
    "revise_plan": (RevisePlanSerializer, passing(services.case_revise_plan)),
    "close": (CloseSerializer, passing(services.case_close)),
    "reopen": (ReopenSerializer, passing(services.case_reopen)),
}
assert set(TRANSITIONS) == set(services.TRANSITION_ROLES), "every workflow step has a payload"

TransitionPayload = PolymorphicProxySerializer(
    component_name="CaseTransitionPayload",
    serializers=[serializer for serializer, _step in TRANSITIONS.values()],
    resource_type_field_name=None,
)


# --- Beside the transitions ----------------------------------------------------------------------


class TransferRequestSerializer(serializers.Serializer):
    to_commune = serializers.CharField(help_text=_("The code of the commune the child moved to."))
    reason = serializers.CharField()

    def validate_to_commune(self, value: str) -> Unit:
        return commune_valid_today(value)


class TransferDecisionSerializer(serializers.Serializer):
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class SeparationDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    placement = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class DuplicateQuerySerializer(serializers.Serializer):
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField(min_value=1900, max_value=2100)
    commune = serializers.CharField(help_text=_("The code of a commune or ward valid today."))

    def validate_commune(self, value: str) -> Unit:
        return commune_valid_today(value)


class PossibleDuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    sex = serializers.CharField()
    cases = serializers.SerializerMethodField()

    def get_cases(self, child: Child) -> list[str]:
        return self.context["codes"].get(child.pk, [])


# --- Views ---------------------------------------------------------------------------------------


def case_detail(request: Request, case_id: int) -> dict[str, Any]:
    case = selectors.case_with_records(request.user, case_id)
    if case is None:
        raise NotFound()
    return CaseDetailSerializer(case, context={"request": request}).data


TRANSITION_NAME = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(TRANSITIONS)
)


class CaseViewSet(viewsets.GenericViewSet):
    """Cases of children (DOMAIN §4) and their Decree 56 workflow (DOMAIN §5)."""

    serializer_class = CaseDetailSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Case]:
        filters = CaseListFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        return selectors.case_list(self.request.user, **filters.validated_data)

    @extend_schema(
        parameters=[CaseListFilterSerializer],
        responses={200: CaseListSerializer(many=True), **errors(400)},
    )
    def list(self, request: Request) -> Response:
        """The cases you may see, newest report first, with each one's next deadline."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(CaseListSerializer(page, many=True).data)

    @extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, **errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        """Record a report (Form 01), for a new child or a known one; the 12-hour clock starts."""
        payload = CaseCreateSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        child = data.pop("child", None)
        case = services.case_create(
            actor=request.user,
            received_at=data.pop("received_at", None) or timezone.now(),
            child=services.ChildData(
                **{
                    **child,
                    "special_circumstances": tuple(child["special_circumstances"]),
                    "carers": tuple(dict(carer) for carer in child["carers"]),
                }
            )
            if child
            else None,
            existing_child=data.pop("child_id", None),
            **data,
        )
        if not selectors.cases_visible_to(request.user).filter(pk=case.pk).exists():
            # Recorded for a commune the author does not serve (an inspector's finding): the case
            # is the commune's now, and the author keeps only its code.
            return Response({"id": case.pk, "code": case.code}, status=status.HTTP_201_CREATED)
        return Response(case_detail(request, case.pk), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CaseDetailSerializer, **errors(404)})
    def retrieve(self, request: Request, pk: str) -> Response:
        """The whole record; the read is audited."""
        case = services.case_open(actor=request.user, case_id=int(pk))
        return Response(case_detail(request, case.pk))

    @extend_schema(responses={200: CaseEventSerializer(many=True), **errors(403, 404)})
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str) -> Response:
        """The case's history, oldest first."""
        case = services.visible_case(actor=request.user, case_id=int(pk))
        if sections.HISTORY not in sections.sections_for(request.user, case):
            raise Forbidden(_("Your service does not need the case's history."))
        page = self.paginate_queryset(selectors.case_events(case))
        return self.get_paginated_response(CaseEventSerializer(page, many=True).data)

    @extend_schema(responses={200: CaseTransitionOptionSerializer(many=True), **errors(404)})
    @action(detail=True, methods=["get"])
    def transitions(self, request: Request, pk: str) -> Response:
        """Every step with whether you may run it now and, if not, what is missing."""
        case = services.visible_case(actor=request.user, case_id=int(pk))
        rows = services.transitions_for(actor=request.user, case=case)
        return Response(CaseTransitionOptionSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="v1_cases_transitions_run",
        parameters=[TRANSITION_NAME],
        request=TransitionPayload,
        responses={200: CaseDetailSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def run_transition(self, request: Request, pk: str, name: str) -> Response:
        """Run one step of the workflow with its payload (the schema lists one per step)."""
        if name not in TRANSITIONS:
            raise NotFound()
        # Out of scope answers 404 before the payload is judged: nothing about the case leaks.
        services.visible_case(actor=request.user, case_id=int(pk))
        serializer_class, step = TRANSITIONS[name]
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        case = step(request.user, int(pk), dict(payload.validated_data))
        return Response(case_detail(request, case.pk))

    @extend_schema(
        request=TransferRequestSerializer,
        responses={201: CaseTransferSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        """Offer the case to the commune the child moved to."""
        services.visible_case(actor=request.user, case_id=int(pk))
        payload = TransferRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        transfer = services.case_transfer_request(
            actor=request.user, case_id=int(pk), **payload.validated_data
        )
        return Response(CaseTransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[DuplicateQuerySerializer],
        responses={200: PossibleDuplicateSerializer(many=True), **errors(400, 403)},
    )
    @action(detail=False, methods=["get"])
    def duplicates(self, request: Request) -> Response:
        """Children already known in the commune with a similar name and the same birth year."""
        query = DuplicateQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        commune = query.validated_data["commune"]
        if not services.may_record_for(request.user, commune):
            raise Forbidden(_("You may not record reports for this commune."))
        children = list(
            selectors.possible_duplicates(
                request.user,
                full_name=query.validated_data["full_name"],
                birth_year=query.validated_data["birth_year"],
                commune=commune,
            )
        )
        # Only the codes of cases this user may see: the hotline learns that a child is known,
        # not where the child's other cases stand.
        visible = selectors.cases_visible_to(request.user).filter(child__in=children)
        codes: dict[int, list[str]] = {}
        for child_id, code in visible.order_by("received_at").values_list("child_id", "code"):
            codes.setdefault(child_id, []).append(code)
        serializer = PossibleDuplicateSerializer(children, many=True, context={"codes": codes})
        return Response(serializer.data)


class TransferViewSet(viewsets.GenericViewSet):
    """A case offered to another commune; that commune's officer accepts or declines it."""

    serializer_class = CaseTransferSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    def decide(self, request: Request, pk: str, *, accept: bool) -> Response:
        payload = TransferDecisionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        transfer = services.case_transfer_decide(
            actor=request.user, transfer_id=int(pk), accept=accept, **payload.validated_data
        )
        return Response(CaseTransferSerializer(transfer).data)

    @extend_schema(
        request=TransferDecisionSerializer,
        responses={200: CaseTransferSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """The case moves to your commune, history and all."""
        return self.decide(request, pk, accept=True)

    @extend_schema(
        request=TransferDecisionSerializer,
        responses={200: CaseTransferSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        return self.decide(request, pk, accept=False)


class SeparationViewSet(viewsets.GenericViewSet):
    """The chair's decision on separating a child from the carer (Form 07)."""

    serializer_class = SeparationDecisionSerializer
    filter_backends: list = []
    lookup_value_regex = r"\d+"

    @extend_schema(
        request=SeparationDecideSerializer,
        responses={200: SeparationDecisionSerializer, **errors(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str) -> Response:
        payload = SeparationDecideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        decision = services.separation_decide(
            actor=request.user, decision_id=int(pk), **payload.validated_data
        )
        return Response(SeparationDecisionSerializer(decision).data)
