"""The administrator's form for one offer: bokmål first, nynorsk and English optional."""

from django import forms
from django.utils.text import capfirst

from .models import OTHER_LANGUAGES, TRANSLATED, Offer

MAIN = [
    "kind",
    "title",
    "description",
    "audience",
    "when_where",
    "no_referral",
    "contact",
    "link",
    "order",
    "active",
]


class OfferForm(forms.ModelForm):
    # An address typed without its scheme is taken as https (the web is https now).
    link = forms.URLField(
        label=capfirst(Offer._meta.get_field("link").verbose_name),
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Offer
        fields = MAIN + [f"{name}_{lang}" for lang in OTHER_LANGUAGES for name in TRANSLATED]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("description", "description_nn", "description_en")
        }

    def main_fields(self) -> list:
        return [self[name] for name in MAIN]

    def nynorsk_fields(self) -> list:
        return [self[f"{name}_nn"] for name in TRANSLATED]

    def english_fields(self) -> list:
        return [self[f"{name}_en"] for name in TRANSLATED]
