"""What the cases API accepts: the report (Form 01), each workflow step's payload, and the
requests beside the workflow (transfers, separations, the duplicate check)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases import ages, selectors, services
from cases.api.common import CodeField, CollectingSerializer, commune_valid_today
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
    Violator,
    WorkDecision,
)
from cases.closure import WorkChoice
from cases.consent import Consent
from cases.ethnicities import ETHNICITIES
from cases.models import (
    Child,
)
from core import validators
from core.api_fields import fine_amount_errors
from core.api_workflow import StepPayload
from core.models import Agency, Unit
from core.typing import StrOrPromise

FREE_TEXT = validators.FREE_TEXT_MAX_LENGTH

# --- Intake (Form 01) ----------------------------------------------------------------------------


class CarerSerializer(serializers.Serializer):
    """A parent or carer (Form 01): name, relation to the child, age, occupation, contact."""

    name = serializers.CharField(max_length=120)
    relation = serializers.CharField(max_length=60, allow_blank=True, default="")
    age = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=120
    )
    occupation = serializers.CharField(max_length=120, allow_blank=True, default="")
    contact = serializers.CharField(max_length=120, allow_blank=True, default="")


class ChildInputSerializer(CollectingSerializer):
    full_name = serializers.CharField(max_length=120)
    sex = serializers.ChoiceField(choices=Sex.choices)
    date_of_birth = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[validators.date_of_birth]
    )
    estimated_age = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=120,
        help_text=_("The age on the report's date, when the date of birth is unknown."),
    )
    ethnicity = serializers.ChoiceField(choices=ETHNICITIES, default="01")
    disability = serializers.BooleanField(default=False)
    special_circumstances = serializers.ListField(
        child=CodeField(SpecialCircumstance),
        default=list,
        help_text=_("Groups of the Law on Children Art. 10(1), by point: a, b, c, d, dd, e…"),
    )
    address = serializers.CharField(max_length=255, allow_blank=True, default="")
    school = serializers.CharField(max_length=200, allow_blank=True, default="")
    carers = CarerSerializer(many=True, default=list)
    family_circumstances = serializers.CharField(allow_blank=True, default="", max_length=FREE_TEXT)

    def cross_field_errors(self, data: Any) -> dict[str, list[StrOrPromise]]:
        given = [data.get(name) not in (None, "") for name in ("date_of_birth", "estimated_age")]
        if given.count(True) != 1:
            return {
                "date_of_birth": [_("Give either the date of birth or the estimated age.")],
            }
        return {}


class CaseCreateSerializer(CollectingSerializer):
    commune = serializers.CharField(
        help_text=_("The code of a commune or ward valid today."), max_length=8
    )
    received_at = validators.DateTimeField(
        required=False,
        help_text=_("When the report was received (default: now)."),
        validators=[validators.received_at],
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    # A field named like a Field attribute: DRF's metaclass takes declared fields off the class,
    # so nothing is shadowed at run time; the stubs see a class attribute of another type.
    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    description = serializers.CharField(max_length=FREE_TEXT)
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
    reporter_address = serializers.CharField(max_length=255, allow_blank=True, default="")
    receiving_body = serializers.CharField(max_length=200, allow_blank=True, default="")
    report_number = serializers.CharField(max_length=64, allow_blank=True, default="")
    harm_location = serializers.CharField(max_length=255, allow_blank=True, default="")
    child_location = serializers.CharField(max_length=255, allow_blank=True, default="")
    child_condition = serializers.CharField(allow_blank=True, default="", max_length=FREE_TEXT)
    likely_harm = serializers.CharField(allow_blank=True, default="", max_length=FREE_TEXT)
    actions_taken = serializers.CharField(allow_blank=True, default="", max_length=FREE_TEXT)
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

    def cross_field_errors(self, data: Any) -> dict[str, list[StrOrPromise]]:
        found: dict[str, list[StrOrPromise]] = {}
        if ("child" in data) == ("child_id" in data):
            found["child"] = [_("Give the child's details or the id of a known child, not both.")]
        # The raw input, before its fields are checked: a form-encoded list, a JSON list, or
        # anything else a caller sent (then the field's own error says so).
        forms = data.getlist("abuse_forms") if hasattr(data, "getlist") else data.get("abuse_forms")
        if not isinstance(forms, list):
            forms = []
        if data.get("sexual_abuse_forms") and AbuseForm.SEXUAL_ABUSE not in forms:
            found["sexual_abuse_forms"] = [_("Only for a case of sexual abuse.")]
        return found

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """A child is a person under 16 on the report's date (Law on Children Art. 1)."""
        day = timezone.localtime(attrs.get("received_at") or timezone.now()).date()
        child = attrs.get("child")
        if child is not None:
            field = "date_of_birth" if child.get("date_of_birth") else "estimated_age"
            born = child.get("date_of_birth")
            if born is not None and born > day:
                raise serializers.ValidationError(
                    {"child": {field: [_("The date of birth is after the report's date.")]}}
                )
            age = ages.age_on_report(
                date_of_birth=born, estimated_age=child.get("estimated_age"), day=day
            )
            if age is not None and not ages.is_child(age):
                raise serializers.ValidationError(
                    {"child": {field: [ages.not_a_child_message(age)]}}
                )
        known = attrs.get("child_id")
        if known is not None:
            age = known.age_on(day)
            if age is not None and not ages.is_child(age):
                raise serializers.ValidationError({"child_id": [ages.not_a_child_message(age)]})
        return attrs


# --- The transitions: one payload per step, matching its service ---------------------------------


class AssessInitialSerializer(StepPayload):
    """Form 02 (Decree 56/2017 Art. 26(2))."""

    harm_level = CodeField(Level)
    immediate_danger = serializers.BooleanField()
    confirmed = CodeField(
        Confirmation, help_text=_("Whether the abuse, or the risk of it, is confirmed.")
    )
    safety_measures = serializers.CharField(
        help_text=_("The temporary measures taken to keep the child safe."), max_length=FREE_TEXT
    )
    findings = serializers.CharField(max_length=FREE_TEXT)


class DeclareEmergencySerializer(StepPayload):
    danger = serializers.CharField(max_length=FREE_TEXT)
    measures_taken = serializers.CharField(max_length=FREE_TEXT)
    separation_proposed = serializers.BooleanField(default=False)
    placement = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Where the child will be cared for; needed when separation is proposed."),
    )
    harm_level = CodeField(
        Level,
        required=False,
        allow_null=True,
        help_text=_("Needed from “received”: the emergency is also the Form 02 assessment."),
    )
    confirmed = CodeField(
        Confirmation,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Needed from “received”: whether the abuse, or the risk of it, is confirmed."),
    )
    findings = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT
    )


class DismissSerializer(StepPayload):
    reason = CodeField(DismissReason)
    duplicate_of = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The code of the case this one duplicates; needed when the reason is that."),
        max_length=24,
    )
    verification = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("What was verified, and how; needed when the report is unfounded."),
        max_length=FREE_TEXT,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["reason"] == DismissReason.DUPLICATE and not attrs["duplicate_of"]:
            raise serializers.ValidationError(
                {"duplicate_of": [_("Give the code of the case this one duplicates.")]}
            )
        if attrs["reason"] == DismissReason.UNFOUNDED and not attrs["verification"].strip():
            raise serializers.ValidationError(
                {
                    "verification": [
                        _("Say what was verified, and how, before calling it unfounded.")
                    ]
                }
            )
        return attrs

    @classmethod
    def service_kwargs(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "reason": data["reason"],
            "duplicate_of_code": data["duplicate_of"],
            "verification": data["verification"],
        }


class EndEmergencySerializer(StepPayload):
    measures_applied = serializers.CharField(max_length=FREE_TEXT)
    safe_location = serializers.CharField(max_length=255)


class MeasureInputSerializer(serializers.Serializer):
    service = serializers.ChoiceField(
        choices=Service.choices,
        allow_blank=True,
        default="",
        help_text=_("Empty for the commune's own work (home visits), which names no agency."),
    )
    description = serializers.CharField(max_length=FREE_TEXT)
    timeframe_days = serializers.IntegerField(min_value=1, max_value=365)
    responsible_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True
    )


class SubmitPlanSerializer(StepPayload):
    assessment_summary = serializers.CharField(max_length=FREE_TEXT)
    needs = serializers.CharField(max_length=FREE_TEXT)
    meeting_held_at = validators.DateTimeField(validators=[validators.past_moment])
    meeting_participants = serializers.CharField(max_length=FREE_TEXT)
    meeting_minutes = serializers.CharField(max_length=FREE_TEXT)
    goals = serializers.CharField(max_length=FREE_TEXT)
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

    @classmethod
    def service_kwargs(cls, data: dict[str, Any]) -> dict[str, Any]:
        consent = Consent(
            basis=data.pop("consent_basis"),
            by_carer=data.pop("consent_by_carer"),
            by_child=data.pop("consent_by_child"),
        )
        measures = [services.MeasureData(**m) for m in data.pop("measures")]
        return {**data, "measures": measures, "consent": consent if consent.basis else None}


class ApprovePlanSerializer(StepPayload):
    decision_number = serializers.CharField(max_length=64)
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT
    )


class ReturnPlanSerializer(StepPayload):
    comments = serializers.CharField(max_length=FREE_TEXT)


class StartReviewSerializer(StepPayload):
    notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT
    )


class RevisePlanSerializer(StepPayload):
    reason = serializers.CharField(max_length=FREE_TEXT)


class MeasureProgressSerializer(serializers.Serializer):
    measure = serializers.IntegerField(help_text=_("A measure of the approved plan."))
    progress = serializers.CharField(max_length=FREE_TEXT)


class RecordReviewSerializer(StepPayload):
    notes = serializers.CharField(max_length=FREE_TEXT)
    measures = MeasureProgressSerializer(
        many=True, help_text=_("The progress of each measure of the approved plan.")
    )

    sent_as = {"measure_progress": "measures"}

    def validate_measures(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each measure once: a second row for it would silently replace the first."""
        seen = [row["measure"] for row in rows]
        twice = sorted({pk for pk in seen if seen.count(pk) > 1})
        if twice:
            raise serializers.ValidationError(
                _("Give each measure once, not: %(ids)s.")
                % {"ids": ", ".join(str(pk) for pk in twice)}
            )
        return rows

    @classmethod
    def service_kwargs(cls, data: dict[str, Any]) -> dict[str, Any]:
        progress = {row["measure"]: row["progress"] for row in data["measures"]}
        return {"notes": data["notes"], "measure_progress": progress}


class RecordPlanRefusalSerializer(StepPayload):
    refused_by = serializers.CharField(max_length=255, help_text=_("Who refused the plan."))
    reasons = serializers.CharField(max_length=FREE_TEXT)
    commune_action = serializers.CharField(
        help_text=_("What the commune did about it."), max_length=FREE_TEXT
    )


class ProposeClosureSerializer(StepPayload):
    remaining_harm = CodeField(Level)
    perpetrator_access = CodeField(Level)
    care_obstacles = CodeField(Level)
    resilience = CodeField(Level)
    reason = CodeField(ClosureReason)
    notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT
    )


class ReturnClosureSerializer(StepPayload):
    comments = serializers.CharField(max_length=FREE_TEXT)


class WorkDecisionSerializer(serializers.Serializer):
    key = serializers.CharField(
        max_length=40, help_text=_("The open work, as the case lists it: “referral:12”.")
    )
    decision = serializers.ChoiceField(choices=WorkDecision.choices)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT
    )


class CloseSerializer(StepPayload):
    decision_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT
    )
    work = WorkDecisionSerializer(
        many=True,
        required=False,
        default=list,
        help_text=_("A decision on each live referral and each measure no agency reports on."),
    )

    @classmethod
    def service_kwargs(cls, data: dict[str, Any]) -> dict[str, Any]:
        work = {
            row["key"]: WorkChoice(decision=row["decision"], reason=row["reason"])
            for row in data["work"]
        }
        return {
            "decision_number": data["decision_number"],
            "comments": data["comments"],
            "work": work,
        }


class ProposeSeparationSerializer(StepPayload):
    placement = serializers.CharField(
        max_length=255, help_text=_("Where the child will be cared for.")
    )
    grounds = serializers.CharField(max_length=FREE_TEXT)


class DecideSeparationSerializer(StepPayload):
    approve = serializers.BooleanField()
    period_days = serializers.IntegerField(
        min_value=1,
        max_value=services.SEPARATION_MAX_DAYS,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Needed to approve: at most 15 days (Decree 56/2017 Art. 32)."),
    )
    placement = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT
    )


class ExtendSeparationSerializer(StepPayload):
    days = serializers.IntegerField(min_value=1, max_value=365)
    reason = serializers.CharField(max_length=FREE_TEXT)
    decision_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    authority_request = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Needed beyond 15 days in all: the competent authority's request."),
    )


class RevokeSeparationSerializer(StepPayload):
    reason = serializers.CharField(max_length=FREE_TEXT)


class ReopenSerializer(StepPayload):
    information = serializers.CharField(max_length=FREE_TEXT)


STEP_PAYLOADS: dict[str, type[StepPayload]] = {
    "assess_initial": AssessInitialSerializer,
    "declare_emergency": DeclareEmergencySerializer,
    "dismiss": DismissSerializer,
    "end_emergency": EndEmergencySerializer,
    "submit_plan": SubmitPlanSerializer,
    "approve_plan": ApprovePlanSerializer,
    "return_plan": ReturnPlanSerializer,
    "record_review": RecordReviewSerializer,
    "record_plan_refusal": RecordPlanRefusalSerializer,
    "start_review": StartReviewSerializer,
    "revise_plan": RevisePlanSerializer,
    "propose_closure": ProposeClosureSerializer,
    "return_closure": ReturnClosureSerializer,
    "close": CloseSerializer,
    "reopen": ReopenSerializer,
    "propose_separation": ProposeSeparationSerializer,
    "decide_separation": DecideSeparationSerializer,
    "extend_separation": ExtendSeparationSerializer,
    "revoke_separation": RevokeSeparationSerializer,
}


# --- Beside the transitions ----------------------------------------------------------------------


class ChildCorrectionSerializer(serializers.Serializer):
    """The child's facts to correct or complete; only the fields sent change."""

    full_name = serializers.CharField(max_length=120, required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    ethnicity = serializers.ChoiceField(choices=ETHNICITIES, required=False)
    disability = serializers.BooleanField(required=False)
    special_circumstances = serializers.ListField(
        child=CodeField(SpecialCircumstance), required=False
    )
    address = serializers.CharField(max_length=255, allow_blank=True, required=False)
    school = serializers.CharField(max_length=200, allow_blank=True, required=False)
    carers = CarerSerializer(many=True, required=False)
    family_circumstances = serializers.CharField(
        allow_blank=True, required=False, max_length=FREE_TEXT
    )
    date_of_birth = serializers.DateField(
        required=False, allow_null=True, validators=[validators.date_of_birth]
    )
    estimated_age = serializers.IntegerField(
        min_value=0,
        max_value=120,
        required=False,
        allow_null=True,
        help_text=_("The age on the report's date, when the date of birth is unknown."),
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        unknown = sorted(set(data) - set(self.fields)) if hasattr(data, "keys") else []
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field cannot be corrected.")] for name in unknown}
            )
        return super().to_internal_value(data)


class CaseCorrectionSerializer(CollectingSerializer):
    """Corrections to the recorded report (Form 01) and the child; only the fields sent change.
    The history keeps each previous value (the reporter's identity only as “…”)."""

    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    # Named like a Field attribute: see CaseCreateSerializer.
    source = serializers.ChoiceField(choices=Source.choices, required=False)  # type: ignore[assignment]
    reporter_name = serializers.CharField(max_length=120, allow_blank=True, required=False)
    reporter_contact = serializers.CharField(max_length=120, allow_blank=True, required=False)
    reporter_address = serializers.CharField(max_length=255, allow_blank=True, required=False)
    receiving_body = serializers.CharField(max_length=200, allow_blank=True, required=False)
    report_number = serializers.CharField(max_length=64, allow_blank=True, required=False)
    harm_location = serializers.CharField(max_length=255, allow_blank=True, required=False)
    child_location = serializers.CharField(max_length=255, allow_blank=True, required=False)
    child_condition = serializers.CharField(allow_blank=True, required=False, max_length=FREE_TEXT)
    description = serializers.CharField(required=False, max_length=FREE_TEXT)
    likely_harm = serializers.CharField(allow_blank=True, required=False, max_length=FREE_TEXT)
    actions_taken = serializers.CharField(allow_blank=True, required=False, max_length=FREE_TEXT)
    situation = serializers.ChoiceField(choices=Situation.choices, required=False)
    abuse_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=AbuseForm.choices), min_length=1, required=False
    )
    sexual_abuse_forms = serializers.ListField(
        child=serializers.ChoiceField(choices=SexualAbuseForm.choices), required=False
    )
    setting = serializers.ChoiceField(choices=Setting.choices, required=False)
    perpetrator_relation = serializers.ChoiceField(
        choices=PerpetratorRelation.choices, required=False
    )
    child = ChildCorrectionSerializer(required=False)

    def cross_field_errors(self, data: Any) -> dict[str, list[StrOrPromise]]:
        unknown = sorted(set(data) - set(self.fields))
        return {name: [_("This field cannot be corrected.")] for name in unknown}

    @staticmethod
    def service_kwargs(data: dict[str, Any]) -> dict[str, Any]:
        data = dict(data)
        child = data.pop("child", None) or {}
        if "carers" in child:
            child["carers"] = [dict(carer) for carer in child["carers"]]
        return {
            "abuse_forms": data.pop("abuse_forms", None),
            "changes": data,
            "child_changes": child,
        }


class TransferRequestSerializer(serializers.Serializer):
    to_commune = serializers.CharField(
        help_text=_("The code of the commune the child moved to."), max_length=8
    )
    reason = serializers.CharField(max_length=FREE_TEXT)

    def validate_to_commune(self, value: str) -> Unit:
        return commune_valid_today(value)


class TransferDecisionSerializer(serializers.Serializer):
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT
    )


class SeparationDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    period_days = serializers.IntegerField(
        min_value=1,
        max_value=services.SEPARATION_MAX_DAYS,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Needed to approve: at most 15 days (Decree 56/2017 Art. 32)."),
    )
    placement = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    comments = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT
    )


class SanctionCreateSerializer(CollectingSerializer):
    """An administrative sanction decided for the abuse reported in the case (Law on Handling
    Administrative Violations 2012): who decided it, the decision, whom it sanctions and how."""

    decided_by = CodeField(SanctionAuthority)
    decision_number = serializers.CharField(max_length=64)
    decided_on = serializers.DateField(
        help_text=_("The decision's date: not before the report was received, not in the future."),
        validators=[validators.past_day],
    )
    violator = CodeField(Violator)
    sanction = CodeField(AdministrativeSanctionKind)
    fine_amount = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("In VND; required for a fine, and only for a fine."),
    )
    legal_basis = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The decree and article applied, e.g. “Nghị định 130/2021/NĐ-CP”."),
    )
    notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FREE_TEXT
    )

    def cross_field_errors(self, data: Any) -> dict[str, list[StrOrPromise]]:
        return fine_amount_errors(data)


class DuplicateQuerySerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=120)
    birth_year = serializers.IntegerField(min_value=1900, max_value=2100)
    commune = serializers.CharField(
        help_text=_("The code of a commune or ward valid today."), max_length=8
    )

    def validate_commune(self, value: str) -> Unit:
        return commune_valid_today(value)
