"""The forms of the correction page: change an answer's scores or who gave it, move it to the
right session, or delete it. Each asks why; the checks that matter are in `corrections`."""

from django import forms
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from services.measures.definitions import translate
from services.measures.templatetags.measures import score

from .corrections import REASON_LENGTH
from .forms import RaterFields


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Why is the answer corrected?"),
        max_length=REASON_LENGTH,
        help_text=_("Kept with the correction and in the audit log. No health information."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EditRatingForm(RaterFields):
    """Each line of the answer's own form (or the total of a total-only paper form), and who
    answered."""

    def __init__(self, *args, rating, **kwargs):
        spec = rating.instrument.spec
        language = get_language() or "nb"
        self.keys = [] if rating.is_total_only else list(spec.item_keys)
        initial = {"rater": rating.rater, "rater_name": rating.rater_name}
        if rating.is_total_only:
            initial["total"] = score(rating.total)
        for index, key in enumerate(self.keys, 1):
            initial[f"item{index}"] = score(rating.items.get(key))
        super().__init__(*args, prefix="edit", initial=initial, **kwargs)
        maximum = formats.number_format(spec.scale_max)
        for index, item in enumerate(spec.items if self.keys else (), 1):
            label = translate(spec.item_label(item, rating.rater), language)
            self.fields[f"item{index}"] = forms.CharField(
                label=_("%(label)s (0–%(max)s)") % {"label": label, "max": maximum},
                max_length=10,
            )
        if not self.keys:
            self.fields["total"] = forms.CharField(
                label=_("Total (0–%(max)s)") % {"max": formats.number_format(spec.max_total)},
                max_length=10,
            )
        for name in self.score_names():
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        self.fields["reason"] = reason_field()

    def score_names(self) -> list[str]:
        return [f"item{index}" for index in range(1, len(self.keys) + 1)] or ["total"]

    def score_fields(self) -> list:
        return [self[name] for name in self.score_names()]

    def field_for(self, key: str | None) -> str | None:
        """The form field a scoring error names (an item key, "total", "rater"…)."""
        if key in self.keys:
            return f"item{self.keys.index(key) + 1}"
        return key if key in self.fields else None

    def scores(self) -> dict:
        """The arguments `corrections.edit_rating` takes for the scores."""
        if not self.keys:
            return {"items": None, "total": self.cleaned_data["total"].strip()}
        return {
            "items": {
                key: self.cleaned_data[f"item{index}"].strip()
                for index, key in enumerate(self.keys, 1)
            },
            "total": None,
        }


class SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(episode)s: session %(number)d, %(date)s") % {
            "episode": obj.episode.code,
            "number": obj.number,
            "date": formats.date_format(obj.date, "SHORT_DATE_FORMAT"),
        }


class MoveRatingForm(forms.Form):
    """The session the answer belongs to, among the chosen client's (`sessions`)."""

    session = SessionChoice(label=_("Move to"), queryset=None, empty_label=None)
    to = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, prefix="move", **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["reason"] = reason_field()


class DeleteRatingForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="delete", **kwargs)
        self.fields["reason"] = reason_field()
