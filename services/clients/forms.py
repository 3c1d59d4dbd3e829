from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.spreadsheet import starts_like_formula
from services.accounts.models import Team
from services.measures.age_groups import AgeGroup, age_group_on
from services.sessions.models import SessionKind

from . import access
from .models import Client, EndReason, Episode


class AgeFields(forms.Form):
    """Age group and the optional birth year and month; with a birth year, the age group is
    derived from it (today's group is stored, and each rating gets the group of its date)."""

    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices)
    birth_year = forms.IntegerField(
        label=_("Birth year (optional)"),
        required=False,
        help_text=_(
            "With the birth year, each rating is judged by the client's age group on its date, "
            "also when a child grows older. Never a full birth date."
        ),
    )
    birth_month = forms.TypedChoiceField(
        label=_("Birth month (optional)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *((month, str(month)) for month in range(1, 13))],
    )

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if year is not None and not this_year - 120 <= year <= this_year:
            raise forms.ValidationError(
                _("Give a year from %(first)s to %(last)s.")
                % {"first": this_year - 120, "last": this_year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        year, month = cleaned.get("birth_year"), cleaned.get("birth_month")
        if month is not None and year is None:
            self.add_error("birth_month", _("Give the birth year too, or leave the month empty."))
        if year is not None and "age_group" in cleaned and not self.errors:
            derived = age_group_on(timezone.localdate(), year, month, cleaned["age_group"])
            cleaned["age_group"] = derived
        return cleaned


class ClientAgeForm(AgeFields):
    """Correcting a client's age group or birth year later (a child who turned 13)."""


def code_problem(code: str) -> str | None:
    """Why a new client code cannot be used, or None: a code must not identify the client, and
    must not turn into a formula in a leader's spreadsheet. The form and the API both ask."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) >= 11:
        return _("The code looks like a national ID number. Use a code that does not identify.")
    if starts_like_formula(code):
        return _(
            "The code must not start with = + - or @: a spreadsheet would read it as a formula."
        )
    return None


class NewClientForm(AgeFields):
    """A new client and their first episode, in one step: low-threshold means no paperwork."""

    code = forms.CharField(
        label=_("Client code"),
        max_length=40,
        help_text=_("A code you choose, unique in the service. Never a national ID number."),
    )
    display_name = forms.CharField(
        label=_("Name or initials (optional)"), max_length=80, required=False
    )
    field_order = ["code", "display_name", "age_group", "birth_year", "birth_month"]

    def __init__(self, *args, service, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.user = user
        self.existing_client = None  # a returning client this user may see, to link to

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        problem = code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        existing = Client.objects.filter(service=self.service, code=code).first()
        if existing is not None:
            visible = self.user is not None and access.visible_clients(self.user).filter(
                pk=existing.pk
            )
            if visible and visible.exists():
                self.existing_client = existing
                raise forms.ValidationError(_("A client with this code already exists."))
            raise forms.ValidationError(
                _(
                    "A client with this code already exists. If the client is returning, a "
                    "colleague who helps them can open a new episode and make you responsible."
                )
            )
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


# -- Corrections to episodes and sessions (issue #15) -----------------------------------------

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PastSessionForm(forms.Form):
    """A session the helper forgot to register, on its own date (checked when it is stored:
    services.sessions.recording.check_session_date)."""

    date = forms.DateField(label=_("Date of the session"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)

    def __init__(self, *args, episode: Episode, **kwargs):
        super().__init__(*args, prefix="past", **kwargs)
        today = timezone.localdate()
        self.fields["date"].widget.attrs.update(
            {"min": episode.start_date.isoformat(), "max": (episode.end_date or today).isoformat()}
        )


class NewEpisodeForm(forms.Form):
    """A new episode for a returning client."""

    start_date = forms.DateField(
        label=_("Start date"), initial=timezone.localdate, widget=DATE_INPUT
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="episode", **kwargs)
        self.fields["start_date"].widget.attrs["max"] = timezone.localdate().isoformat()


class ResponsibleForm(forms.Form):
    """Who is responsible for an episode: among the service's helpers and teams only."""

    helpers = forms.TypedMultipleChoiceField(
        label=_("Responsible helpers"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args, episode: Episode, helpers: list, **kwargs):
        if "initial" not in kwargs:
            kwargs["initial"] = {
                "helpers": list(episode.helpers.values_list("pk", flat=True)),
                "team": episode.team_id,
            }
        super().__init__(*args, prefix="responsible", **kwargs)
        self.users = {user.pk: user for user in helpers}
        self.fields["helpers"].choices = [(user.pk, str(user)) for user in helpers]
        teams = Team.objects.filter(service_id=episode.service_id).order_by("name")
        self.teams = {team.pk: team for team in teams}
        self.fields["team"].choices = [("", _("No team")), *((t.pk, t.name) for t in teams)]

    def clean(self):
        cleaned = super().clean()
        cleaned["helpers"] = [self.users[pk] for pk in cleaned.get("helpers", [])]
        team = cleaned.get("team")
        cleaned["team"] = self.teams[team] if team is not None else None
        return cleaned
