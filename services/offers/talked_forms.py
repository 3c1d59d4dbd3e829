"""The helper's form for the offers talked about in an episode: a box per offer, and the day
a newly ticked offer was talked about (today unless the helper writes it down afterwards)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TalkedAboutForm(forms.Form):
    offers = forms.TypedMultipleChoiceField(
        label=_("Offers talked about with the client"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    talked_on = forms.DateField(
        label=_("Talked about on"),
        help_text=_("For the offers ticked now. Offers ticked earlier keep their date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, *, offer_ids, earliest: datetime.date, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["offers"].choices = [(pk, str(pk)) for pk in offer_ids]
        self.fields["talked_on"].initial = timezone.localdate()
        self.earliest = earliest

    def clean_talked_on(self) -> datetime.date:
        day = self.cleaned_data["talked_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if day < self.earliest:
            raise forms.ValidationError(_("The date cannot be before the episode started."))
        return day
