"""Sessions (samtaler) within an episode, numbered 1, 2, 3… because charts read by number."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.clients.models import Episode


class SessionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual session")
    GROUP = "group", _("Group session")
    NETWORK = "network", _("Network meeting")
    HOME_VISIT = "home_visit", _("Home visit")


class Session(models.Model):
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
