"""What the service changed after hearing from its users ("Dere sa – vi gjorde", issue #18).

Feedback only matters to the people who give it if they can see that it changed something. A
leader writes a short entry: what users said (a theme from the suggestion box, the comments after
sessions or the outcome figures, in the leader's own words) and what the service did about it,
and when. Published entries are shown to anyone at a public address and, the newest one, on the
client's thank-you page.

An entry is about the service, never about a client: it is written by staff, names nobody and is
not client data, so reading it is not audited (changing it is, like the offers).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service

# The texts that may have a nynorsk and an English version beside the bokmål one; the other
# languages are the offers' (`services.offers.reading` shows them with a fallback to bokmål).
TRANSLATED = ("said", "did")

# A sentence or two each: the point is that a client reads it in passing after the form.
SAID_MAX = 300
DID_MAX = 600


class Source(models.TextChoices):
    SUGGESTIONS = "suggestions", _("Suggestion box")
    COMMENTS = "comments", _("Comments after sessions")
    OUTCOMES = "outcomes", _("Outcome figures")
    OTHER = "other", _("Other")


class ChangeMade(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="changes_made", verbose_name=_("service")
    )
    # SET_NULL, not PROTECT: the suggestion box's themes are the leaders' working tags and may be
    # tidied away; a published entry stands on its own words and must not block that (nor turn
    # a theme's deletion into an error page). It keeps its source, "suggestion box".
    theme = models.ForeignKey(
        "suggestions.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes_made",
        verbose_name=_("theme"),
    )
    source = models.CharField(
        _("where we heard it"), max_length=20, choices=Source.choices, default=Source.OTHER
    )
    said = models.CharField(
        _("you said"),
        max_length=SAID_MAX,
        help_text=_("What users told you, in your words. No names, no quotes."),
    )
    said_nn = models.CharField(_("you said (nynorsk)"), max_length=SAID_MAX, blank=True)
    said_en = models.CharField(_("you said (English)"), max_length=SAID_MAX, blank=True)
    did = models.CharField(
        _("we did"),
        max_length=DID_MAX,
        help_text=_("What the service changed, plainly, as to a client."),
    )
    did_nn = models.CharField(_("we did (nynorsk)"), max_length=DID_MAX, blank=True)
    did_en = models.CharField(_("we did (English)"), max_length=DID_MAX, blank=True)
    changed_on = models.DateField(
        _("changed on"),
        help_text=_("When the change was made or takes effect. The public page shows the month."),
    )
    published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_on", "-pk"]
        verbose_name = _("change made")
        verbose_name_plural = _("changes made")
        indexes = [
            models.Index(fields=["service", "published", "changed_on"], name="change_public_list")
        ]

    def __str__(self) -> str:
        return f"{self.changed_on}: {self.did[:40]}"

    def clean(self):
        """A theme is the service's own: another service's theme would say what others said."""
        if self.theme_id is not None and self.theme.service_id != self.service_id:
            raise ValidationError({"theme": _("Choose one of this service's themes.")})
