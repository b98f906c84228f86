from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    unit = forms.ChoiceField(label=_("Unit"))

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        # The fields are the ChoiceFields declared above; `fields` is typed as holding any Field.
        year = cast(forms.ChoiceField, self.fields["year"])
        unit = cast(forms.ChoiceField, self.fields["unit"])
        year.choices = [(y, y) for y in range(this_year, this_year - 6, -1)]
        unit.choices = [
            (f"{u.structure}:{u.code}", f"{'· ' * (u.path.count('/') - 2)}{u.name} ({u.structure})")
            for u in units
        ]
