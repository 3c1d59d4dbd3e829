"""The link page's small form: where to send the link, now and/or as a reminder later."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import recipients
from .models import Kind
from .sending import Request

DEFAULT_REMINDER_TIME = datetime.time(9, 0)


class SendLinkForm(forms.Form):
    recipient = forms.CharField(
        label=_("Mobile number or e-mail address"),
        max_length=recipients.EMAIL_MAX_LENGTH,
        help_text=_(
            "Typed for these messages only. It is deleted as soon as they are sent, and never "
            "saved with the client."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    send_now = forms.BooleanField(label=_("Send the link now"), required=False, initial=True)
    remind_on = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    remind_at = forms.TimeField(
        label=_("Time"),
        required=False,
        initial=DEFAULT_REMINDER_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    hide_service_name = forms.BooleanField(
        label=_("Do not name the service in the message"),
        required=False,
        help_text=_("The message then holds only the link and when it stops working."),
    )
    language = forms.ChoiceField(
        label=_("Language of the message"), choices=settings.LANGUAGES, initial="nb"
    )

    def clean_recipient(self) -> str:
        text = self.cleaned_data["recipient"].strip()
        recipients.parse(text)  # its ValidationError never repeats what was typed
        return text

    def clean(self):
        cleaned = super().clean()
        asked = cleaned.get("send_now") or cleaned.get("remind_on")
        if not asked and "remind_on" not in self.errors:
            raise forms.ValidationError(_("Choose to send the link now, a reminder, or both."))
        return cleaned

    def reminder_time(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("remind_on")
        if day is None:
            return None
        at = self.cleaned_data.get("remind_at") or DEFAULT_REMINDER_TIME
        return timezone.make_aware(datetime.datetime.combine(day, at))

    def wanted(self) -> list[Request]:
        """The messages asked for, in the order they go out."""
        recipient = self.cleaned_data["recipient"]
        wanted = []
        if self.cleaned_data.get("send_now"):
            wanted.append(Request(recipient))
        reminder = self.reminder_time()
        if reminder is not None:
            wanted.append(Request(recipient, Kind.REMINDER, reminder))
        return wanted
