"""How the cases API shows a case: the list, the record by section, its history."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from cases import sections, selectors, visibility
from cases.api.common import CodeField
from cases.choices import (
    AbuseForm,
    AdministrativeSanctionKind,
    ClosureReason,
    Confirmation,
    DismissReason,
    Level,
    SanctionAuthority,
    Situation,
    Status,
    Violator,
)
from cases.clocks import LABELS, readable
from cases.closure import open_work
from cases.event_details import details_for
from cases.models import (
    AdministrativeSanction,
    Case,
    CaseEvent,
    CaseNote,
    CaseReview,
    CaseTransfer,
    Child,
    ClosureAssessment,
    EmergencyDeclaration,
    EmergencyEnd,
    InitialAssessment,
    Plan,
    PlanDecision,
    PlanMeasure,
    PlanRefusal,
    SeparationDecision,
)
from cases.rows import CaseRow
from cases.workflow import separation_in_force
from core.api_fields import LabelField
from core.clocks import open_clocks
from core.models import User

# For serialisers written out: a time as the API writes it (ISO 8601 in the site's time zone).
DATE_TIME = serializers.DateTimeField()

# Confidential to the case's commune (the REPORTER section): optional in the schema.
REPORTER_FIELDS = ("reporter_name", "reporter_contact", "reporter_address")

# --- Reading -------------------------------------------------------------------------------------

# The notes a case's answer carries; the rest are read from its notes' pages.
LATEST_NOTES = 20


def age_today(child: Child) -> int | None:
    """Whole years today, from the date of birth or the estimated age (never year minus year)."""
    return child.age_on(timezone.localdate())


class ChildSummarySerializer(serializers.Serializer):
    full_name = serializers.CharField()
    sex = serializers.CharField()
    age = serializers.SerializerMethodField()

    def get_age(self, child: Child) -> int | None:
        return age_today(child)


class CaseListSerializer(serializers.ModelSerializer):
    status = CodeField(Status)
    status_display = LabelField(source="status")
    commune = serializers.CharField(source="commune.code")
    commune_name = serializers.CharField(source="commune.name")
    child = ChildSummarySerializer()
    abuse_forms = serializers.ListField(child=serializers.CharField())
    next_due_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.BooleanField(allow_null=True)  # null without an open deadline

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

    def to_representation(self, row: CaseRow) -> dict[str, Any]:
        """The fields above, written out from a page's plain row (cases/rows.py): a page shows
        fifty of these, and DRF's field-by-field machinery (a lookup, a callable check and a
        conversion per field and row) cost as much as the page's queries. The fields stay
        declared for the schema; a test holds this equal to what they give for the case."""
        due, overdue = row.next_due_at, row.is_overdue
        return {
            "id": row.pk,
            "code": row.code,
            "status": row.status,
            "status_display": row.status_label,
            "commune": row.commune_code,
            "commune_name": row.commune_name,
            "child": {"full_name": row.child_name, "sex": row.child_sex, "age": row.child_age},
            "situation": row.situation,
            "abuse_forms": list(row.abuse_forms),
            "received_at": DATE_TIME.to_representation(row.received_at),
            "next_due_at": None if due is None else DATE_TIME.to_representation(due),
            "is_overdue": overdue,
        }


class CaseListFilterSerializer(serializers.Serializer):
    status = CodeField(Status, required=False)
    commune = serializers.CharField(required=False, max_length=8, help_text=_("A commune code."))
    situation = serializers.ChoiceField(choices=Situation.choices, required=False)
    abuse_form = serializers.ChoiceField(choices=AbuseForm.choices, required=False)
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("An open deadline has passed.")
    )
    q = serializers.CharField(
        required=False,
        max_length=120,  # a child's name
        help_text=_("Case code or the child's name, with or without diacritics."),
    )


class ChildSerializer(serializers.ModelSerializer):
    residence = serializers.CharField(source="residence.code", read_only=True)
    age = serializers.SerializerMethodField()
    ethnicity_name = LabelField(source="ethnicity")

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
            "family_circumstances",
        ]
        read_only_fields = fields

    def get_age(self, child: Child) -> int | None:
        return age_today(child)


@extend_schema_field(OpenApiTypes.STR)
class AuthorField(serializers.Field[User, Any, str, Any]):
    """A user shown by username (read only)."""

    def to_representation(self, user: User) -> str:
        return user.username


def record_fields(*names: str) -> list[str]:
    return ["id", "author", "created_at", *names]


class InitialAssessmentSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    harm_level = CodeField(Level, read_only=True)
    confirmed = CodeField(Confirmation, allow_blank=True, read_only=True)

    class Meta:
        model = InitialAssessment
        fields = record_fields(
            "harm_level", "immediate_danger", "confirmed", "safety_measures", "findings"
        )


class SeparationDecisionSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    decided_by = AuthorField(read_only=True, allow_null=True)

    class Meta:
        model = SeparationDecision
        fields = record_fields(
            "outcome",
            "placement",
            "grounds",
            "period_days",
            "ends_at",
            "decision_number",
            "comments",
            "decided_by",
            "decided_at",
            "revoked_at",
            "revoke_reason",
            "extensions",
        )

    extensions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_extensions(self, decision: SeparationDecision) -> list[dict[str, Any]]:
        return [
            {
                "days": extension.days,
                "ends_at": serializers.DateTimeField().to_representation(extension.ends_at),
                "reason": extension.reason,
                "decision_number": extension.decision_number,
                "authority_request": extension.authority_request,
            }
            for extension in decision.extensions.all()
        ]


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
        source="responsible_agency.name", read_only=True, default=None, allow_null=True
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
            "outcome",
            "decided_by",
            "decided_at",
            "decision_number",
            "decision_comments",
            "work_decisions",
        )

    decided_by = AuthorField(read_only=True, allow_null=True)
    work_decisions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_work_decisions(self, closure: ClosureAssessment) -> list[dict[str, Any]]:
        return [
            {"key": row.key, "label": row.label, "decision": row.decision, "reason": row.reason}
            for row in closure.work_decisions.all()
        ]


class CaseReviewSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)

    class Meta:
        model = CaseReview
        fields = record_fields("plan", "notes", "measure_progress")


class PlanRefusalSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)

    class Meta:
        model = PlanRefusal
        fields = record_fields("plan", "refused_by", "reasons", "commune_action")


class OpenWorkSerializer(serializers.Serializer):
    key = serializers.CharField()
    # A field named like a Field attribute (see StepOptionSerializer in core.api_workflow).
    label = serializers.CharField()  # type: ignore[assignment]
    decisions = serializers.ListField(child=serializers.CharField())


class PlacementSerializer(serializers.Serializer):
    placement = serializers.CharField()
    ends_at = serializers.DateTimeField(allow_null=True)


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


class AdministrativeSanctionSerializer(serializers.ModelSerializer):
    author = AuthorField(read_only=True)
    decided_by = CodeField(SanctionAuthority, read_only=True)
    violator = CodeField(Violator, read_only=True)
    sanction = CodeField(AdministrativeSanctionKind, read_only=True)
    sanction_display = LabelField(source="sanction")

    class Meta:
        model = AdministrativeSanction
        fields = record_fields(
            "decided_by",
            "decision_number",
            "decided_on",
            "violator",
            "sanction",
            "sanction_display",
            "fine_amount",
            "legal_basis",
            "notes",
        )


class CaseRecordsSerializer(serializers.Serializer):
    initial_assessments = InitialAssessmentSerializer(many=True, source="initialassessments.all")
    emergency_declarations = EmergencyDeclarationSerializer(
        many=True, source="emergencydeclarations.all"
    )
    emergency_ends = EmergencyEndSerializer(many=True, source="emergencyends.all")
    plans = PlanSerializer(many=True, source="plans.all")
    closure_assessments = ClosureAssessmentSerializer(many=True, source="closureassessments.all")
    separations = SeparationDecisionSerializer(many=True, source="separationdecisions.all")
    reviews = CaseReviewSerializer(many=True, source="casereviews.all")
    plan_refusals = PlanRefusalSerializer(many=True, source="planrefusals.all")
    transfers = CaseTransferSerializer(many=True, source="casetransfers.all")
    notes = serializers.SerializerMethodField()

    @extend_schema_field(CaseNoteSerializer(many=True))
    def get_notes(self, case: Case) -> list[dict[str, Any]]:
        """The latest notes, newest first: a case followed for years gathers hundreds; all of
        them, a page at a time, at `/cases/{id}/notes/`."""
        latest = selectors.case_notes(case)[:LATEST_NOTES]
        return list(CaseNoteSerializer(latest, many=True, context=self.context).data)


class OpenClockSerializer(serializers.Serializer):
    kind = serializers.CharField()
    # A field named like a Field attribute: DRF's metaclass takes declared fields off the class,
    # so nothing is shadowed at run time; the stubs see a class attribute of another type.
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
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
    status_display = LabelField(source="status")
    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    child = ChildSerializer(read_only=True)
    abuse_forms = serializers.ListField(child=serializers.CharField(), read_only=True)
    # Not read-only on purpose: the schema then marks them optional, as they are — the reporter
    # is confidential and shown to the case's commune staff only (DOMAIN §4).
    reporter_name = serializers.CharField(required=False)
    reporter_contact = serializers.CharField(required=False)
    reporter_address = serializers.CharField(required=False)
    recorded_by = AuthorField(read_only=True)
    duplicate_of = serializers.CharField(
        source="duplicate_of.code", read_only=True, default=None, allow_null=True
    )
    records = CaseRecordsSerializer(source="*", read_only=True)
    open_clocks = serializers.SerializerMethodField()
    current_placement = serializers.SerializerMethodField()
    open_work = serializers.SerializerMethodField()

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
            "abuse_forms",
            "sexual_abuse_forms",
            "setting",
            "perpetrator_relation",
            "recorded_by",
            "recorded_by_hotline",
            "dismiss_reason",
            "duplicate_of",
            "dismiss_verification",
            "closure_reason",
            "closed_at",
            "created_at",
            "updated_at",
            "records",
            "open_clocks",
            "current_placement",
            "open_work",
        ]
        read_only_fields = [f for f in fields if f not in REPORTER_FIELDS]

    @extend_schema_field(OpenClockSerializer(many=True))
    def get_open_clocks(self, case: Case) -> list[dict]:
        # many=True makes a ListSerializer, whose data is a list; the stubs type the serializer.
        return OpenClockSerializer(open_clocks(case), many=True).data  # type: ignore[return-value]

    @extend_schema_field(PlacementSerializer(allow_null=True))
    def get_current_placement(self, case: Case) -> dict[str, Any] | None:
        """Where the child is cared for under a separation in force (Decree 56/2017 Art. 32):
        the child's whereabouts, shown with the carers' section."""
        separation = separation_in_force(case)
        if separation is None:
            return None
        return PlacementSerializer(separation).data

    @extend_schema_field(OpenWorkSerializer(many=True))
    def get_open_work(self, case: Case) -> list[dict[str, Any]]:
        """While closing is proposed: the work the chair decides on when closing."""
        if case.status != Status.CLOSURE_REVIEW:
            return []
        return OpenWorkSerializer(open_work(case), many=True).data  # type: ignore[return-value]

    def to_representation(self, case: Case) -> dict[str, Any]:
        """Only the sections of the case this reader may see (need to know, DOMAIN §3 and §6)."""
        data = super().to_representation(case)
        shown = visibility.sections_for(self.context["request"].user, case)
        for name, section in sections.CASE_FIELDS.items():
            if section not in shown:
                data.pop(name, None)
        for name, section in RECORD_SECTIONS.items():
            if section not in shown:
                data["records"].pop(name, None)
        data["open_clocks"] = [c for c in data["open_clocks"] if readable(c["kind"], shown)]
        if sections.CHILD not in shown:
            data.pop("child", None)
        else:
            for name, section in sections.CHILD_FIELDS.items():
                if section not in shown:
                    data["child"].pop(name, None)
        return data


RECORD_SECTIONS = {
    "initial_assessments": sections.ASSESSMENTS,
    "emergency_declarations": sections.ASSESSMENTS,
    "emergency_ends": sections.ASSESSMENTS,
    "plans": sections.PLAN,
    "closure_assessments": sections.CLOSURE,
    "separations": sections.ASSESSMENTS,
    "reviews": sections.PLAN,
    "plan_refusals": sections.PLAN,
    "transfers": sections.HISTORY,
    "notes": sections.HISTORY,
}


class ActorSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")


class CaseEventSerializer(serializers.ModelSerializer):
    """A step of the history; its details as far as the reader's sections go (`shown` in the
    context; cases/event_details.py)."""

    actor = ActorSerializer(read_only=True)
    details = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["at", "actor", "action", "from_status", "to_status", "details"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_details(self, event: CaseEvent) -> dict[str, Any]:
        return details_for(event.action, event.details, self.context["shown"])


class PossibleDuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    sex = serializers.CharField()
    cases = serializers.SerializerMethodField()

    def get_cases(self, child: Child) -> list[str]:
        return self.context["codes"].get(child.pk, [])
