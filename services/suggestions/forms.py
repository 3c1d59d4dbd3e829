"""The suggestion box's forms: the anonymous note, and the readers' tag, reply, theme and place.

Each is checked as any form is (length, blank, no NUL characters, which PostgreSQL cannot
store), so bad input is a 400 with the reason on the page, never a 500 or half a change.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service

from .models import MAX_TEXT, Place, Theme

MAX_REPLY = 2000


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Your note"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Write something first."),
            "max_length": _(
                "Keep it to %(limit_value)d characters or fewer (you wrote %(show_value)d)."
            ),
        },
    )
    # The second button after the soft check's warning: send the note as it is.
    confirmed = forms.BooleanField(required=False)


class TagForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("No theme")
    )

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(service=service)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"),
        max_length=MAX_REPLY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reply_public = forms.BooleanField(
        label=_("Show the note and the reply on the public page"),
        help_text=_("Only when you have checked that the note names nobody."),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reply_public") and not cleaned.get("reply", "").strip():
            raise ValidationError(_("Write a reply before you show the note publicly."))
        return cleaned


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "name_nn", "name_en", "order"]
        help_texts = {"order": ""}  # said once above the rows, not under each of them

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        others = Theme.objects.filter(service=self.service, name__iexact=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("The service already has a theme with this name."))
        return name


class PlaceForm(forms.ModelForm):
    """A new place: its short name in the address is chosen once, as posters carry it."""

    class Meta:
        model = Place
        fields = ["name", "slug", "name_nn", "name_en", "order"]
        help_texts = {"order": ""}

    def __init__(self, *args, service: Service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if Place.objects.filter(service=self.service, slug=slug).exists():
            raise ValidationError(_("The service already has a place with this short name."))
        return slug


class RenamePlaceForm(forms.ModelForm):
    """Renaming a place keeps its address, so printed posters still work."""

    class Meta:
        model = Place
        fields = ["name", "name_nn", "name_en", "order"]
        help_texts = {"order": ""}
