import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Scope

LONGEST_DAYS = 2 * 366  # a key must be renewed at least every second year


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Which system uses the key, e.g. “DIPS Front”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("Give write access only to a system that registers sessions or ratings."),
    )
    expires = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most two years from today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires"].initial = timezone.localdate() + datetime.timedelta(days=365)

    def clean_expires(self):
        expires = self.cleaned_data["expires"]
        today = timezone.localdate()
        if expires <= today:
            raise forms.ValidationError(_("Choose a date after today."))
        if expires > today + datetime.timedelta(days=LONGEST_DAYS):
            raise forms.ValidationError(_("Choose a date at most two years from today."))
        return expires

    def expires_at(self) -> datetime.datetime:
        """The end of the chosen day in Oslo, so the page shows the day that was chosen."""
        day = self.cleaned_data["expires"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
