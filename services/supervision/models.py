"""Supervision (veiledning) and the follow-up of signals.

A supervisor looks, with a helper, at the helper's clients whose signals call for a conversation,
by client code only, and notes that a client was discussed. A helper notes that a signal was
talked about with the client. Both notes are the client's data: they belong to the client's
episode, not to the client, so they go wherever the episode goes (retention may move an episode
to an anonymous client); erasure deletes them with it, retention blanks their text, the client's
export lists them, and every read and write is in the access log.

Who supervises is a grant by the service's administrator (`SupervisorGrant`), not a role: a
supervisor is usually a helper or a leader already, and the grant gives them this one view. A
leader allowed to see identified clients supervises without a grant.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service, Team
from services.clients.models import Client, Episode
from services.measures.signals import TITLES, Signal
from services.sessions.models import Session

SIGNAL_CHOICES = [(signal.value, TITLES[signal]) for signal in Signal]


class SupervisorGrant(models.Model):
    """An administrator's decision that this staff member supervises the service's helpers.

    It counts only while the user is a member of the service (see `access.supervised_services`).
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supervisor_grants",
        verbose_name=_("supervisor"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        ordering = ["service", "user"]
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        constraints = [
            models.UniqueConstraint(fields=["service", "user"], name="one_grant_per_supervisor")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.service}"


class Discussion(models.Model):
    """A client's episode discussed in supervision: when, by whom, with a short note."""

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="+", verbose_name=_("episode")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("helper"),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("supervisor"),
    )
    discussed_on = models.DateField(_("discussed on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-discussed_on", "-pk"]
        verbose_name = _("discussion in supervision")
        verbose_name_plural = _("discussions in supervision")
        indexes = [models.Index(fields=["episode", "discussed_on"], name="discussion_episode")]

    def __str__(self) -> str:
        return f"episode {self.episode_id} {self.discussed_on}"


class SignalFollowUp(models.Model):
    """A helper's note that a signal was talked about with the client.

    `session` is the episode's latest session when it was noted. The follow-up indicator reads
    its number when it counts (see `followed_up`), so a session registered later on an earlier
    date, which renumbers the sessions after it, moves the note along with its session.
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="+", verbose_name=_("episode")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )
    signal = models.CharField(_("signal"), max_length=40, choices=SIGNAL_CHOICES)
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("latest session"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("signal followed up")
        verbose_name_plural = _("signals followed up")
        indexes = [models.Index(fields=["episode", "signal"], name="followup_episode_signal")]

    def __str__(self) -> str:
        return f"episode {self.episode_id} {self.signal}"


class RaisedSignal(models.Model):
    """A session at which an episode's off-track signal came on: derived data.

    Rebuilt with the dashboard facts (`history.rebuild`, called by `facts._rebuild_batch`) from
    the client's sessions and ratings alone, so it is exactly as fresh as the facts: every change
    to a client's data rebuilds the client's rows. `number` and `day` are the session's;
    `window_closed` says whether the follow-up window has ended (a session two after this one
    exists, or the episode is closed). Never edited by hand.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    signal = models.CharField(max_length=40, choices=SIGNAL_CHOICES)
    number = models.PositiveIntegerField()
    day = models.DateField()
    window_closed = models.BooleanField()

    class Meta:
        verbose_name = _("raised signal")
        verbose_name_plural = _("raised signals")
        indexes = [models.Index(fields=["service", "day"], name="raisedsignal_service_day")]

    def __str__(self) -> str:
        return f"episode {self.episode_id} {self.signal} at session {self.number}"
