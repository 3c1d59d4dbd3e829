"""The three small forms: a client discussed, a signal followed up, a supervisor granted."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Membership, User


class DiscussionForm(forms.Form):
    discussed_on = forms.DateField(
        label=_("Date of the supervision"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Short note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you agreed, in a few words. The helper sees it on the client's page."),
    )

    def __init__(self, *args, episode=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.fields["discussed_on"].initial = timezone.localdate()

    def clean_discussed_on(self):
        day = self.cleaned_data["discussed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if self.episode is not None and day < self.episode.start_date:
            raise forms.ValidationError(_("The date cannot be before the episode started."))
        return day


class FollowUpForm(forms.Form):
    signal = forms.CharField(max_length=40)
    note = forms.CharField(label=_("Short note (optional)"), max_length=300, required=False)


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(
                is_active=True,
                pk__in=Membership.objects.filter(service=service).values("user"),
            )
            .exclude(supervisor_grants__service=service)
            .order_by("first_name", "last_name", "username")
        )
