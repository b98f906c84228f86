"""What the referrals API accepts: the list's filters, a new referral, a waiver, and the request
body of each step of the workflow (one per step, documented as its own operation)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.choices import ConsentBasis, Service
from core import validators
from core.api_workflow import StepPayload
from core.models import Agency, User
from referrals.models import PoliceDecision, Status, Urgency

FREE_TEXT = validators.FREE_TEXT_MAX_LENGTH

# --- Reading -------------------------------------------------------------------------------------


class ReferralListFilterSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(
        choices=["incoming", "outgoing"],
        required=False,
        help_text=_("Incoming to your agency, or outgoing from your commune."),
        error_messages={"invalid_choice": _("Use incoming or outgoing.")},
    )
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        error_messages={"invalid_choice": _("Unknown status.")},
    )
    service = serializers.ChoiceField(
        choices=Service.choices,
        required=False,
        error_messages={"invalid_choice": _("Unknown service.")},
    )
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("An open deadline has passed.")
    )
    # A case id a key can hold: SQLite cannot bind a larger one to compare with the referral's.
    case = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"invalid": _("Give a case id.")},
    )


# --- Beside the steps ----------------------------------------------------------------------------


class CaseReferenceSerializer(serializers.Serializer):
    """The case a request is about, read first: it is refused for the case (404, 403, 409)
    before the rest of its body is judged (400)."""

    case = serializers.IntegerField()


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    service = serializers.ChoiceField(choices=Service.choices)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    reason = serializers.CharField(allow_blank=True, default="", max_length=FREE_TEXT)
    consent_basis = serializers.ChoiceField(choices=ConsentBasis.choices)
    consent_by_carer = serializers.BooleanField(default=False)
    consent_by_child = serializers.BooleanField(default=False)


class BatchRowSerializer(serializers.Serializer):
    service = serializers.ChoiceField(choices=Service.choices)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)


class ReferralBatchSerializer(serializers.Serializer):
    """Every referral the pathway needs in one request, sent together or not at all."""

    case = serializers.IntegerField()
    referrals = serializers.ListField(
        child=BatchRowSerializer(), allow_empty=False, max_length=len(Service.choices)
    )
    reason = serializers.CharField(allow_blank=True, default="", max_length=FREE_TEXT)
    consent_basis = serializers.ChoiceField(choices=ConsentBasis.choices)
    consent_by_carer = serializers.BooleanField(default=False)
    consent_by_child = serializers.BooleanField(default=False)


class WaiverSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    service = serializers.ChoiceField(choices=Service.choices)
    reason = serializers.CharField(max_length=FREE_TEXT)


# --- The steps (referrals/workflow.py) -----------------------------------------------------------


class ReferralAcceptSerializer(StepPayload):
    """Accepting takes the child on and opens what the service needs. The police may say when
    the investigating body received the crime report; the other services send nothing."""

    report_received_at = validators.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Police only: when the investigating body received the crime report; the 20 days of "
            "Criminal Procedure Code Art. 147 count from it. Default: the acceptance."
        ),
        validators=[validators.past_moment],
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        sent = self.initial_data if isinstance(self.initial_data, Mapping) else {}
        unknown = sorted(set(sent) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This step takes no such input.")] for name in unknown}
            )
        return attrs


class ReferralCorrectReceiptSerializer(StepPayload):
    report_received_at = validators.DateTimeField(
        help_text=_(
            "When the investigating body received the crime report; the time limit moves with it."
        ),
        validators=[validators.past_moment],
    )


class ReferralRecordSuspensionSerializer(StepPayload):
    suspended_on = serializers.DateField(
        help_text=_("The date of the suspension decision."), validators=[validators.past_day]
    )
    reason = serializers.CharField(
        help_text=_("Why the settlement is suspended (Criminal Procedure Code Art. 148)."),
        max_length=FREE_TEXT,
    )


class ReferralRecordResumptionSerializer(StepPayload):
    resumed_on = serializers.DateField(
        help_text=_("The date of the decision to resume; the month to decide counts from it."),
        validators=[validators.past_day],
    )
    reason = serializers.CharField(
        help_text=_("Why the settlement resumes (Criminal Procedure Code Art. 149)."),
        max_length=FREE_TEXT,
    )


class ReferralDeclineSerializer(StepPayload):
    reason = serializers.CharField(
        help_text=_("Why the agency cannot provide the service."), max_length=FREE_TEXT
    )


class ReferralCompleteSerializer(StepPayload):
    """The outcome; which fields are needed depends on the service (DOMAIN §6, docs/api.md)."""

    report_received_at = validators.DateTimeField(
        required=False,
        help_text=_(
            "Police: by default the receipt recorded on the referral; another is a correction."
        ),
        validators=[validators.past_moment],
    )
    police_decision = serializers.ChoiceField(
        choices=PoliceDecision.choices,
        required=False,
        help_text=_("Police: the final decision; a suspension is recorded by its own step."),
    )
    decision_date = serializers.DateField(required=False, validators=[validators.past_day])
    child_friendly_room = serializers.BooleanField(required=False, allow_null=True, default=None)
    examined_at = validators.DateTimeField(required=False, validators=[validators.past_moment])
    report_reference = serializers.CharField(required=False, max_length=64)
    admitted_at = validators.DateTimeField(required=False, validators=[validators.past_moment])
    discharged_at = validators.DateTimeField(required=False, validators=[validators.past_moment])
    summary = serializers.CharField(required=False, max_length=FREE_TEXT)
    provider = serializers.CharField(required=False, max_length=200)
    proceedings = serializers.CharField(required=False, max_length=FREE_TEXT)
    services_given = serializers.CharField(required=False, max_length=FREE_TEXT)

    @classmethod
    def service_kwargs(cls, data: dict[str, Any]) -> dict[str, Any]:
        # An unanswered room question is no answer, not a field of another service's outcome.
        outcome = {k: v for k, v in data.items() if not (k == "child_friendly_room" and v is None)}
        return {"outcome": outcome}


class ReferralExtendSerializer(StepPayload):
    due_at = validators.DateTimeField(
        help_text=_(
            "The new time limit: first at most 2 months from the receipt of the report, then, by "
            "the procuracy, at most 2 more months."
        ),
        validators=[validators.planned_moment],
    )
    reason = serializers.CharField(help_text=_("Why more time is needed"), max_length=FREE_TEXT)
    procuracy_decision_number = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=64,
        help_text=_("The second extension only: the procuracy's decision number."),
    )
    procuracy_decision_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The second extension only: the date of the procuracy's decision."),
        validators=[validators.past_day],
    )


class ReferralAssignSerializer(StepPayload):
    assigned_to = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        help_text=_("A member of the receiving agency's staff."),
    )

    @classmethod
    def service_kwargs(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {"staff": data["assigned_to"]}


class ReferralCancelSerializer(StepPayload):
    reason = serializers.CharField(
        help_text=_("Why the commune withdraws the referral."), max_length=FREE_TEXT
    )


STEP_PAYLOADS: dict[str, type[StepPayload]] = {
    "accept": ReferralAcceptSerializer,
    "decline": ReferralDeclineSerializer,
    "complete": ReferralCompleteSerializer,
    "extend": ReferralExtendSerializer,
    "correct_receipt": ReferralCorrectReceiptSerializer,
    "record_suspension": ReferralRecordSuspensionSerializer,
    "record_resumption": ReferralRecordResumptionSerializer,
    "assign": ReferralAssignSerializer,
    "cancel": ReferralCancelSerializer,
}
