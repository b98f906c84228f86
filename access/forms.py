"""The forms of access: a grant by the commune, the glass broken, its review."""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from access.models import CaseAccess
from access.services import GRANTABLE_SECTIONS
from cases.sections import SECTION_LABELS
from core.forms import DateField
from core.models import User


def section_choices() -> list[tuple[str, Any]]:
    return [(name, SECTION_LABELS[name]) for name in sorted(GRANTABLE_SECTIONS)]


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class GrantForm(forms.Form):
    user = UserChoice(label=_("Person"), queryset=User.objects.none())
    sections = forms.MultipleChoiceField(
        label=_("Parts of the case they may read"),
        choices=section_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    may_add_notes = forms.BooleanField(label=_("They may also add notes"), required=False)
    days = forms.IntegerField(label=_("For how many days"), min_value=1)
    explanation = forms.CharField(
        label=_("Why they need the case"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, candidates: QuerySet[User], days: tuple[int, int], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        usual, longest = days
        user_field = self.fields["user"]
        assert isinstance(user_field, UserChoice)
        user_field.queryset = candidates
        # The service refuses a longer period too; the form says so next to the field.
        days_field = self.fields["days"]
        days_field.validators.append(MaxValueValidator(longest))
        days_field.initial = usual
        days_field.help_text = _("At most %(days)d days.") % {"days": longest}
        days_field.widget.attrs.update({"min": 1, "max": longest})


class BreakGlassForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why you must open the case now"),
        choices=[("", "—"), *CaseAccess.Reason.choices],
    )
    explanation = forms.CharField(
        label=_("What is happening"), widget=forms.Textarea(attrs={"rows": 2})
    )
    code = forms.CharField(label=_("Case code"), required=False, max_length=24)
    full_name = forms.CharField(label=_("Child's full name"), required=False, max_length=120)
    date_of_birth = DateField(label=_("Child's date of birth"), required=False)


class ReviewForm(forms.Form):
    justified = forms.TypedChoiceField(
        label=_("Was the access justified?"),
        choices=[("yes", _("Justified")), ("no", _("Not justified"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
