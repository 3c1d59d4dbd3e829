from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.spreadsheet import starts_like_formula
from services.measures.age_groups import AgeGroup

from .models import Client, EndReason, Episode


class NewClientForm(forms.Form):
    """A new client and their first episode, in one step: low-threshold means no paperwork."""

    code = forms.CharField(
        label=_("Client code"),
        max_length=40,
        help_text=_("A code you choose, unique in the service. Never a national ID number."),
    )
    display_name = forms.CharField(
        label=_("Name or initials (optional)"), max_length=80, required=False
    )
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices)

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        digits = "".join(ch for ch in code if ch.isdigit())
        if len(digits) >= 11:
            raise forms.ValidationError(
                _("The code looks like a national ID number. Use a code that does not identify.")
            )
        if starts_like_formula(code):
            raise forms.ValidationError(
                _(
                    "The code must not start with = + - or @: a spreadsheet would read it as a "
                    "formula."
                )
            )
        if Client.objects.filter(service=self.service, code=code).exists():
            raise forms.ValidationError(_("A client with this code already exists."))
        return code


class CloseEpisodeForm(forms.Form):
    end_date = forms.DateField(
        label=_("End date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_reason = forms.ChoiceField(label=_("Why did the episode end?"), choices=EndReason.choices)

    def __init__(self, *args, episode: Episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean_end_date(self):
        end_date = self.cleaned_data["end_date"]
        if end_date < self.episode.start_date:
            raise forms.ValidationError(_("The episode cannot end before it started."))
        if end_date > timezone.localdate():
            raise forms.ValidationError(_("The end date cannot be in the future."))
        last = self.episode.sessions.order_by("-date").values_list("date", flat=True).first()
        if last and end_date < last:
            raise forms.ValidationError(_("The episode has a session after this date."))
        return end_date
