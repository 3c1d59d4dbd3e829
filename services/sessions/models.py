"""Sessions (samtaler) within an episode, numbered 1, 2, 3… because charts read by number.

Also the history of corrections to the ratings given in sessions (`RatingCorrection`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from feedback.tracking import TracksUpdates
from services.clients.models import Episode


class SessionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual session")
    GROUP = "group", _("Group session")
    NETWORK = "network", _("Network meeting")
    HOME_VISIT = "home_visit", _("Home visit")


class Session(TracksUpdates):
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("episode")
    )
    number = models.PositiveIntegerField(_("session number"))
    date = models.DateField(_("date"))
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_sessions",
        verbose_name=_("helper"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.INDIVIDUAL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["episode", "number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "number"], name="session_number_unique_in_episode"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="session_number_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["date"], name="session_date"),
        ]

    def __str__(self) -> str:
        return f"{self.episode} #{self.number} ({self.date:%Y-%m-%d})"


class CorrectionKind(models.TextChoices):
    EDITED = "edited", _("Edited")
    MOVED = "moved", _("Moved")
    DELETED = "deleted", _("Deleted")


class RatingCorrection(models.Model):
    """One correction of a stored rating: what it was, what was done, why, by whom.

    The rating itself is really changed or deleted in the same transaction
    (services.ratings.corrections), so no figure, chart, export or signal has to remember to
    leave a deleted rating out; this table is where what it was is kept. Append-only.

    The old scores are the client's health data, so the history belongs to the episodes it
    concerns and goes with them: erasing the client, or retention deleting the episode, deletes
    it too (the audit log keeps that a correction happened, without scores). Kept in the
    sessions app because the rating row may be gone.
    """

    rating_id = models.BigIntegerField(_("rating id"))
    episode = models.ForeignKey(
        Episode,
        on_delete=models.CASCADE,
        related_name="rating_corrections",
        verbose_name=_("episode"),
    )
    moved_to = models.ForeignKey(
        Episode,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ratings_moved_here",
        verbose_name=_("moved to episode"),
    )
    kind = models.CharField(_("correction"), max_length=10, choices=CorrectionKind.choices)
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    actor = models.CharField(_("corrected by"), max_length=150)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("rating correction")
        verbose_name_plural = _("rating corrections")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.rating_id} ({self.at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A correction's history is not changed afterwards.")
        super().save(*args, **kwargs)
