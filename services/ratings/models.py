"""Ratings: one completed instrument for one session.

A rating is stored once per submission key (made by the client's device when the form is drawn),
so a double tap, a retry after a dropped connection or a resent offline answer is stored once.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from feedback.tracking import TracksUpdates
from services.measures.age_groups import AgeGroup
from services.measures.models import Instrument, Purpose
from services.sessions.models import Session

from . import short_codes


class Rater(models.TextChoices):
    CLIENT = "client", _("The client")
    PARENT = "parent", _("Parent")
    TEACHER = "teacher", _("Teacher")
    OTHER = "other", _("Other")


class Method(models.TextChoices):
    TABLET = "tablet", _("Tablet")
    LINK = "link", _("Remote link")
    PAPER = "paper", _("Paper entry")
    IMPORT = "import", _("Imported")
    API = "api", _("Record system (API)")


class Rating(TracksUpdates):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("session")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("instrument")
    )
    # Copied from the instrument so reports can filter outcome/alliance without a join.
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    rater = models.CharField(_("rated by"), max_length=20, choices=Rater.choices)
    rater_name = models.CharField(_("rater's name"), max_length=80, blank=True)
    # The client's age group on the rating's date: an episode is judged by the norms of the
    # form and age group at its intake, whatever the client's age group is later.
    age_group = models.CharField(_("age group"), max_length=20, choices=AgeGroup.choices)
    items = models.JSONField(
        _("item scores"),
        null=True,
        blank=True,
        help_text=_("Empty for a paper form entered as a total only."),
    )
    total = models.DecimalField(_("total"), max_digits=4, decimal_places=1)
    method = models.CharField(_("collected by"), max_length=20, choices=Method.choices)
    rated_at = models.DateTimeField(_("rated at"))
    submission_key = models.UUIDField(_("submission key"), unique=True, default=uuid.uuid4)
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        ordering = ["session", "purpose", "rater"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "purpose", "rater", "rater_name"],
                name="one_rating_per_rater_and_purpose_in_session",
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="rating_total_not_negative"
            ),
        ]
        indexes = [
            models.Index(
                fields=["purpose", "rater", "session"], name="rating_purpose_rater_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.key} {self.total} – {self.session}"

    @property
    def is_total_only(self) -> bool:
        return self.items is None


class Handover(models.Model):
    """One form prepared by a helper for one rater in one session.

    Handed over on the helper's tablet (kiosk) or sent as a one-time remote link. The answer's
    device keeps only a random submission key, so an answer waiting offline carries no name, and
    the server knows which session, form and rater it belongs to. Used at most once.
    """

    token = models.UUIDField(_("link token"), unique=True, default=uuid.uuid4, editable=False)
    # Finds a remote link's handover by its short code (services/ratings/short_codes.py); the
    # code itself is never stored. NULL, not "", for tablet hand-overs and links made before
    # short ones: many rows have none, and a unique column takes many NULLs but one "".
    short_link_digest = models.CharField(  # noqa: DJ001
        _("short link digest"), max_length=64, unique=True, null=True, editable=False
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="handovers", verbose_name=_("session")
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="+", verbose_name=_("instrument")
    )
    method = models.CharField(
        _("collected by"),
        max_length=20,
        choices=[(Method.TABLET, Method.TABLET.label), (Method.LINK, Method.LINK.label)],
    )
    rater = models.CharField(_("rated by"), max_length=20, choices=Rater.choices)
    rater_name = models.CharField(_("rater's name"), max_length=80, blank=True)
    greeting = models.CharField(_("greeting"), max_length=60, blank=True)
    show_curve = models.BooleanField(_("show the curve afterwards"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(
        _("expires"), null=True, blank=True, help_text=_("Remote links only.")
    )
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    rating = models.OneToOneField(
        Rating,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handover",
        verbose_name=_("rating"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.instrument.key} {self.get_method_display()} – {self.session}"

    def save(self, *args, **kwargs):
        """A new link gets its short code here, so every way of making one has it; a link made
        with bulk_create has none and keeps only its long address."""
        if self._state.adding and self.method == Method.LINK and not self.short_link_digest:
            self.short_link_digest = short_codes.digest_for_token(
                self.token, short_codes.secrets_in_use()[0]
            )
        super().save(*args, **kwargs)

    @property
    def purpose(self) -> str:
        return self.instrument.purpose

    def is_expired(self, now) -> bool:
        return self.expires_at is not None and now >= self.expires_at
