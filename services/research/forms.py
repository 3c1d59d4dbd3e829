"""The leader's form for a new research project: what, for whom, which period, until when."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ResearchProject

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    class Meta:
        model = ResearchProject
        fields = ["name", "purpose", "recipient", "period_start", "period_end", "expires_on"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "period_start": DATE,
            "period_end": DATE,
            "expires_on": DATE,
        }

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day <= timezone.localdate():
            raise forms.ValidationError(_("The approval must run until a day in the future."))
        return day

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start is not None and end is not None and end <= start:
            self.add_error("period_end", _("The period must end after it starts."))
        return cleaned
