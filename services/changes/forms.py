"""The leader's form for one entry: bokmål first, nynorsk and English optional, and a theme
only from the service's own suggestion box."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.offers.models import OTHER_LANGUAGES
from services.suggestions.models import Theme

from .models import TRANSLATED, ChangeMade

MAIN = ["theme", "source", "said", "did", "changed_on"]
IN_OTHER_LANGUAGES = [f"{name}_{lang}" for lang in OTHER_LANGUAGES for name in TRANSLATED]

# A change may be announced before it starts ("open until 7 on Tuesdays from March"), but a
# date years ahead is a typing error, not a plan.
AHEAD = datetime.timedelta(days=366)


class ChangeForm(forms.ModelForm):
    class Meta:
        model = ChangeMade
        fields = MAIN + IN_OTHER_LANGUAGES
        widgets = {
            "changed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 2 if name.startswith("said") else 4})
                for name in [*TRANSLATED, *IN_OTHER_LANGUAGES]
            },
        }

    def __init__(self, *args, service, **kwargs):
        kwargs.setdefault("instance", ChangeMade(service=service))
        super().__init__(*args, **kwargs)
        self.instance.service = service
        theme = self.fields["theme"]
        theme.queryset = Theme.objects.filter(service=service)
        theme.required = False
        theme.error_messages["invalid_choice"] = _("Choose one of this service's themes.")
        if self.instance.pk is None and not self.initial.get("changed_on"):
            self.initial["changed_on"] = timezone.localdate()

    def clean_changed_on(self):
        day = self.cleaned_data["changed_on"]
        if day > timezone.localdate() + AHEAD:
            raise forms.ValidationError(
                _("The date is more than a year ahead. Write when the change starts.")
            )
        return day

    def main_fields(self) -> list:
        return [self[name] for name in MAIN]

    def nynorsk_fields(self) -> list:
        return [self[f"{name}_nn"] for name in TRANSLATED]

    def english_fields(self) -> list:
        return [self[f"{name}_en"] for name in TRANSLATED]
