from django import forms

from notifications.models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["in_app", "email", "sms", "language"]
