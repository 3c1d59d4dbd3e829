"""The helper's forms: handing a form over (tablet or link) and entering a paper form."""

import uuid

from django import forms
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from services.measures.definitions import translate
from services.measures.models import Instrument, Purpose

from .models import Method, Rater

PAPER_ITEMS = 4
PURPOSES = [
    (Purpose.OUTCOME, _("At the start: how life has been (ORS)")),
    (Purpose.ALLIANCE, _("At the end: how the session was (SRS)")),
]
HANDOVER_METHODS = [
    (Method.TABLET, _("Give the tablet to the client")),
    (Method.LINK, _("Make a link for the client's phone")),
]


class RaterFields(forms.Form):
    rater = forms.ChoiceField(label=_("Who answers?"), choices=Rater.choices, initial=Rater.CLIENT)
    rater_name = forms.CharField(
        label=_("Name (for someone other than the client)"), max_length=80, required=False
    )

    def clean(self):
        cleaned = super().clean()
        rater = cleaned.get("rater")
        if rater == Rater.CLIENT:
            cleaned["rater_name"] = ""
        elif rater == Rater.OTHER and not cleaned.get("rater_name"):
            self.add_error("rater_name", _("Write who answers."))
        return cleaned


class HandoverForm(RaterFields):
    purpose = forms.ChoiceField(label=_("Form"), choices=PURPOSES, widget=forms.RadioSelect)
    greeting = forms.CharField(
        label=_("Greeting on the screen (optional)"),
        max_length=60,
        required=False,
        help_text=_("Shown to the person answering, e.g. “Hi, Kari!”. Never a full name."),
    )
    show_curve = forms.BooleanField(
        label=_("Show the client their curve after answering (tablet only)"), required=False
    )
    method = forms.ChoiceField(choices=HANDOVER_METHODS, initial=Method.TABLET)

    field_order = ["purpose", "rater", "rater_name", "greeting", "show_curve"]


class SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        date = formats.date_format(obj.date, "SHORT_DATE_FORMAT")
        return _("Session %(number)d, %(date)s") % {"number": obj.number, "date": date}


class InstrumentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return translate(obj.spec.name, get_language() or "nb")


class PaperForm(RaterFields):
    """A paper form's four line lengths in centimetres, or only its total."""

    session = SessionChoice(label=_("Session"), queryset=None, empty_label=None)
    instrument = InstrumentChoice(label=_("Form"), queryset=None, empty_label=None)
    item1 = forms.CharField(label=_("Line 1"), max_length=10, required=False)
    item2 = forms.CharField(label=_("Line 2"), max_length=10, required=False)
    item3 = forms.CharField(label=_("Line 3"), max_length=10, required=False)
    item4 = forms.CharField(label=_("Line 4"), max_length=10, required=False)
    total = forms.CharField(label=_("Or only the total (0–40)"), max_length=10, required=False)
    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The page is out of date. Reload it and enter the form again."),
            "invalid": _("The page is out of date. Reload it and enter the form again."),
        },
    )

    field_order = ["session", "instrument", "rater", "rater_name"]

    def __init__(self, *args, episode, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = episode.sessions.order_by("-number")
        # Outcome ("how life has been") first: it is the form most often entered from paper.
        suitable = [
            instrument.pk
            for instrument in Instrument.objects.current()
            if episode.client.age_group in instrument.spec.age_groups
        ]
        self.fields["instrument"].queryset = Instrument.objects.filter(pk__in=suitable).order_by(
            "-purpose", "key"
        )
        for index in range(1, PAPER_ITEMS + 1):
            self.fields[f"item{index}"].widget.attrs.update(
                {"inputmode": "decimal", "autocomplete": "off", "class": "paper-item"}
            )
        self.fields["total"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def item_values(self) -> list[str]:
        return [self.cleaned_data.get(f"item{i}", "").strip() for i in range(1, PAPER_ITEMS + 1)]

    def clean(self):
        cleaned = super().clean()
        items = self.item_values()
        if not any(items) and not cleaned.get("total", "").strip():
            raise forms.ValidationError(_("Enter the four lines, or only the total."))
        return cleaned
