"""Ratings: one completed instrument for one session.

A rating is stored once per submission key (made by the client's device when the form is drawn),
so a double tap, a retry after a dropped connection or a resent offline answer is stored once.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.measures.models import Instrument, Purpose
from services.sessions.models import Session


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


class Rating(models.Model):
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
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument.key} {self.total} – {self.session}"

    @property
    def is_total_only(self) -> bool:
        return self.items is None
