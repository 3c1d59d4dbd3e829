"""The client's own goals, in their own words, and how close they say they are (0–10).

Goal-based outcomes: at most three goals are open in an episode at a time, each in a place
(1–3) that a reworded goal keeps. Nothing is rewritten: a goal that is reached or dropped is
closed with the date, and a goal the client words differently is closed as "changed" and a new
goal opened in its place, linked to it, so the history of what the client wanted is kept.

Goals and their scores are the client's data and belong to the episode: they go where the
episode goes, are deleted with it (erasure, retention), and are listed in the client's export.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.clients.models import Episode
from services.sessions.models import Session

MAX_OPEN_GOALS = 3
PLACES = range(1, MAX_OPEN_GOALS + 1)
HIGHEST_SCORE = 10


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REACHED = "reached", _("Reached")
    CHANGED = "changed", _("Reworded")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="goals", verbose_name=_("episode")
    )
    position = models.PositiveSmallIntegerField(_("place in the order"))
    text = models.CharField(_("goal in the client's words"), max_length=200)
    created_on = models.DateField(_("date set"))
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    status_on = models.DateField(_("status changed on"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("earlier wording"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written down by"),
    )
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        ordering = ["episode", "position", "created_on", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            # Three places, one open goal in each: the database keeps the limit of three even
            # when two helpers add a goal at the same moment.
            models.UniqueConstraint(
                fields=["episode", "position"],
                condition=models.Q(status="open"),
                name="one_open_goal_per_place",
            ),
            models.CheckConstraint(
                condition=models.Q(position__gte=1) & models.Q(position__lte=MAX_OPEN_GOALS),
                name="goal_place_one_to_three",
            ),
            models.CheckConstraint(
                condition=(models.Q(status="open") & models.Q(status_on__isnull=True))
                | (~models.Q(status="open") & models.Q(status_on__isnull=False)),
                name="closed_goal_has_a_date",
            ),
            models.CheckConstraint(
                condition=models.Q(status_on__isnull=True)
                | models.Q(status_on__gte=models.F("created_on")),
                name="goal_closed_after_it_was_set",
            ),
        ]

    def __str__(self) -> str:
        return f"episode {self.episode_id} goal {self.position} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == GoalStatus.OPEN


class GoalMethod(models.TextChoices):
    HELPER = "helper", _("Entered by the helper")
    TABLET = "tablet", _("Tablet")


class GoalRating(models.Model):
    """How close the client says they are to one goal at one session: 0 (not at all) to 10.

    Stored once per submission key, like the forms' ratings, so a double tap or a resent form
    is stored once; one score per goal and session (a new score for the same session replaces
    the earlier one)."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("goal")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="goal_ratings", verbose_name=_("session")
    )
    score = models.PositiveSmallIntegerField(_("how close (0–10)"))
    rated_at = models.DateTimeField(_("rated at"))
    method = models.CharField(_("collected by"), max_length=20, choices=GoalMethod.choices)
    submission_key = models.UUIDField(_("submission key"), unique=True, default=uuid.uuid4)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        ordering = ["goal", "session"]
        verbose_name = _("goal score")
        verbose_name_plural = _("goal scores")
        constraints = [
            models.UniqueConstraint(fields=["goal", "session"], name="one_score_per_goal_session"),
            models.CheckConstraint(
                condition=models.Q(score__lte=HIGHEST_SCORE), name="goal_score_zero_to_ten"
            ),
        ]

    def __str__(self) -> str:
        return f"goal {self.goal_id} session {self.session_id}: {self.score}"
