"""The group leader's forms: a new group, a member, a meeting, who came.

The choices come from lists the page has read already (the leader's services, their clients,
the group's members), so a form adds no query to the page, and a posted value outside them is
refused with a message rather than looked up.
"""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .keeping import ALREADY_MEMBER, GROUP_ENDED, MEETING_THAT_DAY
from .models import GroupKind

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GroupForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the group"),
        max_length=100,
        error_messages={"required": _("Give the group a name.")},
        help_text=_("For example “Coping course, spring”. It is printed on the code cards."),
    )
    kind = forms.ChoiceField(label=_("Kind of group"), choices=GroupKind.choices)
    service = forms.TypedChoiceField(label=_("Service"), coerce=int, empty_value=None)

    def __init__(self, *args, services, **kwargs):
        """`services`: where the user is a helper; the choice is asked only if there are two."""
        super().__init__(*args, **kwargs)
        self.services = {service.pk: service for service in services}
        field = self.fields["service"]
        field.choices = [(pk, service.name) for pk, service in self.services.items()]
        field.error_messages["invalid_choice"] = _("Choose one of the services you work in.")
        field.error_messages["required"] = _("Choose one of the services you work in.")
        if len(self.services) == 1:
            field.widget = forms.HiddenInput()
            field.required = False
            field.initial = next(iter(self.services))

    def clean_service(self):
        chosen = self.cleaned_data["service"]
        if chosen is None:  # only one service: it is not asked
            chosen = next(iter(self.services))
        return self.services[chosen]


class ClientMemberForm(forms.Form):
    episode = forms.IntegerField(
        label=_("Client"),
        widget=forms.Select,
        error_messages={
            "required": _("Choose a client."),
            "invalid": _("Choose one of your clients in the list."),
        },
        help_text=_("Your clients in the service who are not in the group yet."),
    )

    def __init__(self, *args, group, candidates, members, **kwargs):
        """`candidates`: the open episodes of the service the leader may see; `members`: the
        group's members, with their episodes."""
        super().__init__(*args, **kwargs)
        self.group = group
        self.candidates = {episode.pk: episode for episode in candidates}
        # A client who left is offered again: added, they come back (keeping.add_client_member).
        self.member_clients = {
            m.episode.client_id for m in members if m.episode_id and m.left_on is None
        }
        self.fields["episode"].widget.choices = [
            ("", _("Choose a client")),
            *(
                (episode.pk, str(episode.client))
                for episode in candidates
                if episode.client_id not in self.member_clients
            ),
        ]

    def clean_episode(self):
        episode = self.candidates.get(self.cleaned_data["episode"])
        if episode is None:
            raise forms.ValidationError(_("Choose one of your clients in the list."))
        if episode.client_id in self.member_clients:
            raise forms.ValidationError(ALREADY_MEMBER)
        return episode

    def clean(self):
        if not self.group.is_open:
            raise forms.ValidationError(GROUP_ENDED)
        return super().clean()


class ParticipantForm(forms.Form):
    label = forms.CharField(
        label=_("What the group calls them"),
        max_length=40,
        help_text=_("First name or nickname, never a full name."),
        error_messages={"required": _("Write a first name or a nickname.")},
    )

    def __init__(self, *args, group, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.labels = {m.label.casefold() for m in members if m.label and m.left_on is None}

    def clean_label(self):
        label = " ".join(self.cleaned_data["label"].split())
        if label.casefold() in self.labels:
            raise forms.ValidationError(
                _(
                    "A member of the group is already called %(label)s. Add an initial or a "
                    "number so you can tell them apart."
                )
                % {"label": label}
            )
        return label

    def clean(self):
        if not self.group.is_open:
            raise forms.ValidationError(GROUP_ENDED)
        return super().clean()


class MeetingForm(forms.Form):
    date = forms.DateField(
        label=_("Date of the meeting"),
        widget=DATE_INPUT,
        error_messages={
            "required": _("Give the date of the meeting."),
            "invalid": _("Give the date as dd.mm.yyyy."),
        },
        help_text=_("Members can answer until midnight on the meeting's day."),
    )

    def __init__(self, *args, group, meeting_dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.meeting_dates = set(meeting_dates)
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("The meeting cannot be in the future. Make it on the day the group meets.")
            )
        made = timezone.localdate(self.group.created_at)
        if day < made:
            # Its members all joined later, so no one could be marked as there: an empty row.
            raise forms.ValidationError(
                _("The group was made on %(date)s: the meeting cannot be before that.")
                % {"date": date_format(made, "SHORT_DATE_FORMAT")}
            )
        if day in self.meeting_dates:
            raise forms.ValidationError(MEETING_THAT_DAY)
        return day

    def clean(self):
        if not self.group.is_open:
            raise forms.ValidationError(GROUP_ENDED)
        return super().clean()


class ConfirmForm(forms.Form):
    """A "yes" the leader gives before a change they cannot simply take back (ending the group,
    a member who left). The question is asked by the page itself, as the CSP allows no inline
    script for a confirm() box; a request without the yes is refused with `message`."""

    confirmed = forms.BooleanField()

    def __init__(self, *args, message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed"].error_messages["required"] = message


class AttendanceForm(forms.Form):
    """Who came: the meeting's members as checkboxes (drawn by the template)."""

    member = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Tick only members of the group shown here.")},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.pk) for m in members]
