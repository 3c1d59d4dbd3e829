"""The helper's forms: handing a form over (tablet or link) and entering a paper form.

A form is named by its definition's own name wherever the helper chooses one (issue #15: the
same form was "Hvordan livet går", "… (ORS-stil)" and "… (ORS)" on different pages), and the
paper form's lines by their questions' short names.
"""

import json
import uuid

from django import forms
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from services.measures.definitions import translate
from services.measures.models import Instrument, Purpose, ServiceForm

from .models import Method, Rater

PAPER_ITEMS = 4  # lines shown when no form is offered at all
PURPOSES = [
    (Purpose.OUTCOME, _("At the start: %(form)s")),
    (Purpose.ALLIANCE, _("At the end: %(form)s")),
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


def form_names(episode) -> dict[str, str]:
    """Each purpose's form for the client's age group today, by the form's own name (one query);
    a purpose without a chosen form by the purpose's name."""
    age_group = episode.client.age_group_on(timezone.localdate())
    chosen = ServiceForm.objects.filter(
        service_id=episode.service_id, age_group=age_group, instrument__active=True
    ).select_related("instrument")
    language = get_language() or "nb"
    names = {purpose: str(purpose.label) for purpose in Purpose}
    names |= {choice.purpose: translate(choice.instrument.spec.name, language) for choice in chosen}
    return names


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

    def __init__(self, *args, names: dict[str, str], **kwargs):
        """`names`: `form_names(episode)`, the forms this client would be given."""
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [
            (purpose, label % {"form": names[purpose]}) for purpose, label in PURPOSES
        ]


class SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        date = formats.date_format(obj.date, "SHORT_DATE_FORMAT")
        return _("Session %(number)d, %(date)s") % {"number": obj.number, "date": date}


def line_names(instrument: Instrument) -> list[str]:
    """A form's lines, by their questions' short names, in the order on the form."""
    language = get_language() or "nb"
    return [translate(item.label, language) for item in instrument.spec.items]


class FormSelect(forms.Select):
    """Each form offered carries its lines' names, so the page can rename the line fields when
    another form is chosen (static/js/paper_lines.js)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-lines"] = json.dumps(line_names(instance), ensure_ascii=False)
        return option


class InstrumentChoice(forms.ModelChoiceField):
    widget = FormSelect

    def label_from_instance(self, obj):
        return translate(obj.spec.name, get_language() or "nb")


def paper_forms(episode) -> QuerySet[Instrument]:
    """The forms the service has chosen for the client's age group on any of the episode's
    session days (and today): what the client can have answered on paper. Loading a form does
    not put it here; choosing it in the service administration does."""
    days = {timezone.localdate(), *episode.sessions.values_list("date", flat=True)}
    age_groups = {episode.client.age_group_on(day) for day in days}
    chosen = ServiceForm.objects.filter(service_id=episode.service_id, age_group__in=age_groups)
    # Outcome ("how life has been") first: it is the form most often entered from paper.
    return Instrument.objects.filter(pk__in=chosen.values("instrument"), active=True).order_by(
        "-purpose", "key", "version"
    )


class PaperForm(RaterFields):
    """A paper form's line lengths in centimetres (as many lines as the widest form offered has),
    or only its total."""

    session = SessionChoice(label=_("Session"), queryset=None, empty_label=None)
    instrument = InstrumentChoice(label=_("Form"), queryset=None, empty_label=None)
    total = forms.CharField(label=_("Or only the total"), max_length=10, required=False)
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
        self.fields["instrument"].queryset = paper_forms(episode)
        self.offered = offered = list(self.fields["instrument"].queryset)
        self.item_count = max((len(i.spec.items) for i in offered), default=PAPER_ITEMS)
        names = line_names(self._chosen(offered)) if offered else []
        for index in range(1, self.item_count + 1):
            label = (
                f"{index}. {names[index - 1]}"
                if index <= len(names)
                else _("Line %(number)d") % {"number": index}
            )
            self.fields[f"item{index}"] = forms.CharField(
                label=label, max_length=10, required=False
            )
            self.fields[f"item{index}"].widget.attrs.update(
                {"inputmode": "decimal", "autocomplete": "off", "class": "paper-item"}
            )
        maxima = {i.spec.max_total for i in offered}
        if len(maxima) == 1:
            self.fields["total"].label = _("Or only the total (0–%(max)s)") % {
                "max": formats.number_format(maxima.pop())
            }
        self.fields["total"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        self.order_fields([*self.field_order, *self.item_names(), "total", "submission_key"])

    def _chosen(self, offered: list[Instrument]) -> Instrument:
        """The form the lines are named for: the one sent, else the first offered."""
        sent = self.data.get(self.add_prefix("instrument")) if self.is_bound else None
        return next((i for i in offered if str(i.pk) == sent), offered[0])

    def item_names(self) -> list[str]:
        return [f"item{i}" for i in range(1, self.item_count + 1)]

    def item_fields(self) -> list:
        return [self[name] for name in self.item_names()]

    def item_values(self) -> list[str]:
        return [self.cleaned_data.get(name, "").strip() for name in self.item_names()]

    def clean(self):
        cleaned = super().clean()
        items = self.item_values()
        if not any(items) and not cleaned.get("total", "").strip():
            raise forms.ValidationError(_("Enter the lines, or only the total."))
        return cleaned
