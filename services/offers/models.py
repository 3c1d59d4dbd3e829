"""The service's directory of offers a client should know about ("Tilbud", issue #17).

Whether a client hears about groups, courses, peer workers and self-help groups should not be
left to chance. The service's administrators keep the list (in bokmål, with nynorsk and English
where they have them); clients see a short part of it after the form and the whole of it at a
public address. An offer names no client, so it is not client data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service

# The texts that may have a nynorsk and an English version beside the bokmål one.
TRANSLATED = ("title", "description", "audience", "when_where")
OTHER_LANGUAGES = ("nn", "en")


class Kind(models.TextChoices):
    OWN = "own", _("The service's own offer")
    GROUP = "group", _("Group")
    COURSE = "course", _("Course")
    ACTIVITY = "activity", _("Activity")
    PEER = "peer", _("Peer worker")
    SELF_HELP = "self_help", _("Self-help group")
    USER_ORGANISATION = "user_organisation", _("User organisation")
    HEALTHY_LIFE = "healthy_life", _("Healthy life centre")
    NAV = "nav", _("NAV")
    OTHER = "other", _("Other")


# Help from people with lived experience: peer workers, self-help groups and the user
# organisations' peer support (Mental Helse, Selvhjelp Norge). Shown first to clients, and
# counted on the dashboard when a helper has talked about them.
PEER_KINDS = (Kind.PEER, Kind.SELF_HELP, Kind.USER_ORGANISATION)


class Offer(models.Model):
    """One offer: the service's own or another one nearby."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="offers", verbose_name=_("service")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OWN)
    title = models.CharField(_("title"), max_length=200)
    title_nn = models.CharField(_("title (nynorsk)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_nn = models.TextField(_("description (nynorsk)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    audience = models.CharField(_("who it is for"), max_length=300, blank=True)
    audience_nn = models.CharField(_("who it is for (nynorsk)"), max_length=300, blank=True)
    audience_en = models.CharField(_("who it is for (English)"), max_length=300, blank=True)
    when_where = models.CharField(_("time and place"), max_length=300, blank=True)
    when_where_nn = models.CharField(_("time and place (nynorsk)"), max_length=300, blank=True)
    when_where_en = models.CharField(_("time and place (English)"), max_length=300, blank=True)
    no_referral = models.BooleanField(
        _("no referral needed"),
        default=False,
        help_text=_("Anyone can come or get in touch without a referral from a doctor."),
    )
    contact = models.CharField(
        _("contact"),
        max_length=300,
        blank=True,
        help_text=_("A phone number, an email address or whom to ask. No private numbers."),
    )
    link = models.URLField(_("web page"), blank=True)
    active = models.BooleanField(
        _("shown to clients"),
        default=True,
        help_text=_("Off: the offer is kept in the list here but not shown to clients."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["service", "order", "title"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.title

    @property
    def is_peer_or_self_help(self) -> bool:
        return self.kind in PEER_KINDS


class OfferTalkedAbout(models.Model):
    """That a helper talked with the client about one offer in this episode (issue #17).

    The client's data, not the directory's: it belongs to the episode, is deleted with it
    (erasure, retention) and is listed in the client's export. Once per offer and episode, with
    the day it was first talked about; an offer taken off the clients' list keeps its ticks, as
    offers are never deleted while anything points at them.
    """

    episode = models.ForeignKey(
        "clients.Episode",
        on_delete=models.CASCADE,
        related_name="offers_talked_about",
        verbose_name=_("episode"),
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.PROTECT, related_name="talked_about", verbose_name=_("offer")
    )
    talked_on = models.DateField(_("talked about on"))
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
        ordering = ["episode", "talked_on", "pk"]
        verbose_name = _("offer talked about")
        verbose_name_plural = _("offers talked about")
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "offer"], name="offer_talked_about_once_per_episode"
            ),
        ]

    def __str__(self) -> str:
        return f"episode {self.episode_id} offer {self.offer_id}"
