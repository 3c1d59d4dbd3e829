"""The goals page's small forms: a new goal, a change to one goal, and one session's scores."""

import uuid

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import HIGHEST_SCORE, GoalStatus

TEXT_HELP = _("In the client's own words, e.g. “Manage to go shopping alone”. No names.")
SCORE_CHOICES = [("", "—"), *((score, str(score)) for score in range(HIGHEST_SCORE + 1))]


class DatedForm(forms.Form):
    """A date that is neither in the future nor before the episode (or the goal) began."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, earliest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest = earliest
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if self.earliest is not None and day < self.earliest:
            raise forms.ValidationError(
                _("The date cannot be before %(date)s.")
                % {"date": formats.date_format(self.earliest, "SHORT_DATE_FORMAT")}
            )
        return day


class NewGoalForm(DatedForm):
    text = forms.CharField(label=_("New goal"), max_length=200, help_text=TEXT_HELP)
    field_order = ["text", "date"]


class GoalChangeForm(DatedForm):
    """Reached, dropped, or said in new words (the old wording is kept)."""

    ACTIONS = (GoalStatus.REACHED, GoalStatus.DROPPED, GoalStatus.CHANGED)

    goal = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(action.value, action.label) for action in ACTIONS])
    text = forms.CharField(
        label=_("New wording"), max_length=200, required=False, help_text=TEXT_HELP
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == GoalStatus.CHANGED and not cleaned.get("text"):
            self.add_error("text", _("Write the goal in its new words."))
        return cleaned


class ScoresForm(forms.Form):
    """How close the client is to each open goal, at one session of the episode."""

    session = forms.TypedChoiceField(label=_("Session"), coerce=int)
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, sessions, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        self.fields["session"].choices = [
            (
                session.pk,
                _("Session %(number)d, %(date)s")
                % {
                    "number": session.number,
                    "date": formats.date_format(session.date, "SHORT_DATE_FORMAT"),
                },
            )
            for session in sessions
        ]
        if sessions:
            self.fields["session"].initial = sessions[0].pk
        self.fields["submission_key"].initial = uuid.uuid4()
        for goal in goals:
            self.fields[self.score_name(goal.pk)] = forms.TypedChoiceField(
                label=goal.text,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )

    @staticmethod
    def score_name(goal_id: int) -> str:
        return f"score_{goal_id}"

    def score_fields(self):
        return [self[self.score_name(goal.pk)] for goal in self.goals]

    def scores(self) -> dict[int, int]:
        return {
            goal.pk: self.cleaned_data[self.score_name(goal.pk)]
            for goal in self.goals
            if self.cleaned_data.get(self.score_name(goal.pk)) is not None
        }

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.scores():
            raise forms.ValidationError(_("Choose a score for at least one goal."))
        return cleaned
