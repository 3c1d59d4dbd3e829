"""The anonymous suggestion box ("Forslagskasse", issue #18).

Anyone can leave a short note at a public address reached by a QR code on a poster. Nothing that
identifies the writer is stored: a note keeps only its text and the day it came in (no time of
day, no address, no browser, no session). Leaders and user-council members read the notes, tag
them by theme, mark spam and reply; a reply is shown publicly only when the leader has checked
the note for personal data and chosen to show it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service

# The names that may have a nynorsk and an English version beside the bokmål one.
OTHER_LANGUAGES = ("nn", "en")

# Long enough for a few sentences, short enough that nobody writes their life story.
MAX_TEXT = 1000


class NamedInOrder(models.Model):
    """A theme's or a place's name in bokmål, optionally in nynorsk and English, and its place
    in the service's list."""

    name = models.CharField(_("name"), max_length=100)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Theme(NamedInOrder):
    """A theme the service's notes are tagged with, e.g. "Opening hours" or "Activities"."""

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="suggestion_themes",
        verbose_name=_("service"),
    )

    class Meta:
        ordering = ["service", "order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="suggestion_theme_unique"),
        ]


class Place(NamedInOrder):
    """A place of the service with its own poster and page, e.g. a day centre."""

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="suggestion_places",
        verbose_name=_("service"),
    )
    slug = models.SlugField(
        _("short name in the address"),
        max_length=40,
        help_text=_("Lower-case letters, digits and hyphens, e.g. dagsenteret."),
    )

    class Meta:
        ordering = ["service", "order", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(fields=["service", "slug"], name="suggestion_place_unique"),
        ]


class Note(models.Model):
    """One anonymous note. Deliberately without anything that could point back to its writer."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("service")
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("place"),
    )
    text = models.TextField(_("note"), max_length=MAX_TEXT)
    # A day, not a moment: a time of day could be matched with who was in the waiting room.
    received_on = models.DateField(_("received"))
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("theme"),
    )
    is_spam = models.BooleanField(_("spam"), default=False)
    reply = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    reply_public = models.BooleanField(
        _("show the note and the reply on the public page"),
        default=False,
        help_text=_("Only when you have checked that the note names nobody."),
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        indexes = [models.Index(fields=["service", "received_on"], name="suggestion_service_day")]

    def __str__(self) -> str:
        return f"{self.received_on}: {self.text[:40]}"
