"""The referral forms of the web pages: sending, waiving, and one form per step of the
workflow (referrals/workflow.py), each turning its input into the step's service arguments."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases.choices import ConsentBasis, Service
from cases.forms import blank
from cases.models import Case
from core import validators
from core.forms import DateField, DateTimeField, form_field
from core.models import Agency, User
from referrals.models import PoliceDecision, Referral, Urgency
from referrals.providers import offer
from referrals.selectors import assignable_staff
from referrals.services import OUTCOME_FIELDS

FREE_TEXT = validators.FREE_TEXT_MAX_LENGTH


# What the urgency does, said where it is chosen: the acceptance deadline is the service's.
URGENCY_HELP = _(
    "Marked in the receiving agency's inbox. The time the agency has to accept is the "
    "service's, whatever the urgency."
)


class ReferralForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    agency = forms.ModelChoiceField(label=_("Receiving agency"), queryset=Agency.objects.none())
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, help_text=URGENCY_HELP)
    reason = forms.CharField(
        label=_("Why the child needs this service"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FREE_TEXT,
    )
    consent_basis = forms.ChoiceField(
        label=_("Ground for sharing the case"), choices=ConsentBasis.choices
    )
    consent_by_carer = forms.BooleanField(label=_("The carer consented"), required=False)
    consent_by_child = forms.BooleanField(
        label=_("The child consented (7 years or older)"), required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The agencies of the case's area that provide a service and exist today: the day is
        # the request's, not the day the module was imported.
        offer(form_field(self, "agency", forms.ModelChoiceField), case)


class StepForm(forms.Form):
    """The input of one step; `service_kwargs` turns it into the service's arguments."""

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class AcceptForm(StepForm):
    """Accepting needs nothing but the button; the police may say when the investigating body
    received the crime report (by default, now)."""

    report_received_at = DateTimeField(
        label=_("Crime report received by the police at"),
        help_text=_(
            "Leave empty for now. The 20 days of Criminal Procedure Code Art. 147 count from it."
        ),
        required=False,
        validators=[validators.past_moment],
    )

    def __init__(self, *args: Any, service: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if service != Service.POLICE_REPORT:
            del self.fields["report_received_at"]


class CorrectReceiptForm(StepForm):
    report_received_at = DateTimeField(
        label=_("Crime report received by the police at"),
        validators=[validators.past_moment],
    )


class SuspensionForm(StepForm):
    suspended_on = DateField(
        label=_("Date of the suspension decision"), validators=[validators.past_day]
    )
    reason = forms.CharField(
        label=_("Why the settlement is suspended"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FREE_TEXT,
    )


class ResumptionForm(StepForm):
    resumed_on = DateField(
        label=_("Date of the decision to resume"), validators=[validators.past_day]
    )
    reason = forms.CharField(
        label=_("Why the settlement resumes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FREE_TEXT,
    )


class ReasonForm(StepForm):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=FREE_TEXT
    )


class WaiveForm(ReasonForm):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)

    def __init__(self, *args: Any, missing: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only a required service not yet referred can be waived (referral_waive).
        field = form_field(self, "service", forms.ChoiceField)
        field.choices = [(value, label) for value, label in Service.choices if value in missing]


class ExtendForm(StepForm):
    due_at = DateTimeField(label=_("New time limit"), validators=[validators.planned_moment])
    reason = forms.CharField(
        label=_("Why more time is needed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FREE_TEXT,
    )
    procuracy_decision_number = forms.CharField(
        label=_("Procuracy's decision number"), max_length=64
    )
    procuracy_decision_date = DateField(
        label=_("Date of the procuracy's decision"), validators=[validators.past_day]
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The first extension is the investigating body's; the second, the procuracy's.
        if referral.extensions == 0:
            del self.fields["procuracy_decision_number"]
            del self.fields["procuracy_decision_date"]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(StepForm):
    assigned_to = StaffChoiceField(
        label=capfirst(Referral._meta.get_field("assigned_to").verbose_name),
        queryset=User.objects.none(),
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "assigned_to", forms.ModelChoiceField).queryset = staff

    def service_kwargs(self) -> dict[str, Any]:
        return {"staff": self.cleaned_data["assigned_to"]}


class OutcomeForm(StepForm):
    """The outcome of one service; only that service's fields are kept (DOMAIN §6)."""

    report_received_at = DateTimeField(
        label=_("Crime report received by the police at"),
        required=False,
        validators=[validators.past_moment],
    )
    # A suspension is not an outcome: it has its own step (Art. 148). A decision with legal
    # weight starts unanswered: nothing is chosen for the user.
    police_decision = forms.ChoiceField(
        label=_("Decision"),
        choices=blank(
            [(d.value, d.label) for d in PoliceDecision if d != PoliceDecision.SUSPENDED]
        ),
    )
    decision_date = DateField(label=_("Date of the decision"), validators=[validators.past_day])
    child_friendly_room = forms.TypedChoiceField(
        label=_("A child-friendly interview room was used"),
        choices=blank([("yes", _("Yes")), ("no", _("No"))]),
        coerce=lambda value: value == "yes",
    )
    examined_at = DateTimeField(label=_("Examined at"), validators=[validators.past_moment])
    report_reference = forms.CharField(label=_("Forensic report reference"), max_length=64)
    admitted_at = DateTimeField(label=_("Admitted at"), validators=[validators.past_moment])
    discharged_at = DateTimeField(label=_("Discharged at"), validators=[validators.past_moment])
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=FREE_TEXT
    )
    provider = forms.CharField(label=_("Legal-aid provider assigned"), max_length=200)
    proceedings = forms.CharField(
        label=_("Proceedings supported"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FREE_TEXT,
    )
    services_given = forms.CharField(
        label=_("Services given"), widget=forms.Textarea(attrs={"rows": 3}), max_length=FREE_TEXT
    )

    def __init__(self, *args: Any, service: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in OUTCOME_FIELDS[service]:
                del self.fields[name]

    def service_kwargs(self) -> dict[str, Any]:
        # An empty receipt keeps the one on the referral.
        outcome = {k: v for k, v in self.cleaned_data.items() if v is not None}
        return {"outcome": outcome}


def step_form(name: str, referral: Referral, data: QueryDict | None = None) -> StepForm:
    """The form of a step of the workflow, prefixed as the referral page shows it."""
    if name == "accept":
        return AcceptForm(data, service=referral.service, prefix="accept")
    if name in ("decline", "cancel"):
        return ReasonForm(data, prefix=name)
    if name == "extend":
        return ExtendForm(data, referral=referral, prefix="extend")
    if name == "correct_receipt":
        initial = {"report_received_at": referral.report_received_at}
        return CorrectReceiptForm(data, prefix="receipt", initial=initial)
    if name == "record_suspension":
        return SuspensionForm(data, prefix="suspension")
    if name == "record_resumption":
        return ResumptionForm(data, prefix="resumption")
    if name == "complete":
        initial = {"report_received_at": referral.report_received_at}
        return OutcomeForm(data, service=referral.service, prefix="outcome", initial=initial)
    if name == "assign":
        return AssignForm(data, staff=assignable_staff(referral), prefix="assign")
    raise KeyError(name)


class ReferAllForm(forms.Form):
    """Every service the pathway names for the case, in one form: a row per service (send it or
    not, to which agency of the case's area, how urgently), and what all the referrals share —
    why, and the ground for sharing the case (Decree 56/2017 Art. 29)."""

    reason = forms.CharField(
        label=_("Why the child needs these services"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=FREE_TEXT,
    )
    consent_basis = forms.ChoiceField(
        label=_("Ground for sharing the case"), choices=blank(ConsentBasis.choices)
    )
    consent_by_carer = forms.BooleanField(label=_("The carer consented"), required=False)
    consent_by_child = forms.BooleanField(
        label=_("The child consented (7 years or older)"), required=False
    )
    urgency_help = URGENCY_HELP  # under the rows' urgencies

    def __init__(
        self, *args: Any, case: Case, required: list[str], suggested: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.services = [*required, *suggested]
        self.rows: list[dict[str, Any]] = []
        for service in self.services:
            label = Service(service).label
            self.fields[f"{service}-send"] = forms.BooleanField(
                label=_("Refer for %(service)s") % {"service": label},
                required=False,
                initial=service in required,
            )
            self.fields[f"{service}-agency"] = agency = forms.ModelChoiceField(
                label=_("Agency for %(service)s") % {"service": label},
                queryset=Agency.objects.none(),
                required=False,
            )
            offer(agency, case, service)
            self.fields[f"{service}-urgency"] = forms.ChoiceField(
                label=_("Urgency for %(service)s") % {"service": label},
                choices=Urgency.choices,
                initial=Urgency.EMERGENCY if case.status == "emergency" else Urgency.ROUTINE,
                required=False,  # an unticked row is not judged
            )
            self.rows.append(
                {
                    "service": service,
                    "label": label,
                    "required": service in required,
                    "send": self[f"{service}-send"],
                    "agency": self[f"{service}-agency"],
                    "urgency": self[f"{service}-urgency"],
                }
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        chosen = [s for s in self.services if data.get(f"{s}-send")]
        if not chosen:
            raise forms.ValidationError(_("Tick at least one service to refer."))
        for service in chosen:
            if data.get(f"{service}-agency") is None and f"{service}-agency" not in self.errors:
                self.add_error(
                    f"{service}-agency",
                    _("Choose the agency that will provide %(service)s.")
                    % {"service": Service(service).label},
                )
        return data

    def chosen(self) -> list[tuple[str, Agency, str]]:
        """(service, agency, urgency) for each ticked row."""
        data = self.cleaned_data
        return [
            (s, data[f"{s}-agency"], data[f"{s}-urgency"] or Urgency.ROUTINE)
            for s in self.services
            if data.get(f"{s}-send")
        ]


# The steps with legal weight ask before they run (core/static/core/app.js shows the question).
CONFIRMATIONS: dict[str, Any] = {
    "complete": _(
        "Record this outcome and complete the referral? For the police it is the decision on "
        "prosecution: check it before you confirm."
    ),
    "record_suspension": _("Record that the investigation is suspended?"),
    "record_resumption": _(
        "Record the decision to resume the settlement? From its date the police have one month."
    ),
    "extend": _("Record the extension of the time limit? The new limit replaces the old one."),
    "correct_receipt": _(
        "Correct when the report was received? The time limit is counted again from it."
    ),
    "decline": _("Decline this referral? The commune must then find another agency."),
}


def confirmation(name: str, referral: Referral) -> str:
    """The question a step with legal weight asks before it is sent (core/static/core/app.js),
    naming the case and the service it is about; empty for the other steps."""
    question = CONFIRMATIONS.get(name)
    if not question:
        return ""
    return f"{referral.case.code} ({referral.get_service_display()}): {question}"
