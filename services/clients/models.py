"""Clients and their episodes of care (forløp).

A client is known only by a pseudonymous code within one service: low-threshold services need no
referral, and we store no national ID number, so a leaked table does not name anyone.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from feedback.tracking import TracksUpdates
from services.accounts.models import Service, Team
from services.measures.age_groups import AgeGroup, age_group_on


class Consent(models.TextChoices):
    NOT_ASKED = "", _("Not asked yet")
    GIVEN = "given", _("Agreed")
    DECLINED = "declined", _("Declined")


class Client(TracksUpdates):
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="clients", verbose_name=_("service")
    )
    code = models.CharField(_("client code"), max_length=40)
    display_name = models.CharField(
        _("name or initials"),
        max_length=80,
        blank=True,
        help_text=_("Optional. Only what the helper needs to recognise the client."),
    )
    age_group = models.CharField(
        _("age group"),
        max_length=20,
        choices=AgeGroup.choices,
        help_text=_(
            "Used when no birth year is given; each rating keeps the group it was given for."
        ),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        help_text=_("Optional. Lets the age group follow the client's age at each rating."),
    )
    birth_month = models.PositiveSmallIntegerField(
        _("birth month"), null=True, blank=True, help_text=_("Optional, 1–12. Never a full date.")
    )
    consent = models.CharField(
        _("consent to feedback"),
        max_length=10,
        choices=Consent.choices,
        blank=True,
        default="",
    )
    consent_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["service", "code"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "code"], name="client_code_unique_in_service"
            ),
            models.CheckConstraint(
                condition=models.Q(birth_month__isnull=True)
                | (
                    models.Q(birth_year__isnull=False)
                    & models.Q(birth_month__gte=1)
                    & models.Q(birth_month__lte=12)
                ),
                name="client_birth_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.display_name})" if self.display_name else self.code

    def age_group_on(self, day) -> str:
        """The age group on `day`: from the birth year when known, else the recorded group."""
        return age_group_on(day, self.birth_year, self.birth_month, self.age_group)

    @property
    def declined_feedback(self) -> bool:
        """A client who said no is never asked to rate."""
        return self.consent == Consent.DECLINED


class EndReason(models.TextChoices):
    PLANNED = "planned", _("Planned end or goal reached")
    DROPOUT = "dropout", _("Client dropped out")
    REFERRED = "referred", _("Referred on")
    MOVED = "moved", _("Moved")
    OTHER = "other", _("Other")


class Episode(TracksUpdates):
    """One period of help for a client. Outcome is measured from its first to its last rating."""

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="episodes", verbose_name=_("client")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="episodes", verbose_name=_("service")
    )
    code = models.CharField(_("episode code"), max_length=40)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="episodes",
        verbose_name=_("team"),
    )
    helpers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="episodes",
        blank=True,
        verbose_name=_("responsible helpers"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=EndReason.choices, blank=True
    )

    class Meta:
        ordering = ["client", "start_date"]
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "code"], name="episode_code_unique_for_client"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="episode_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(end_date__isnull=True) & models.Q(end_reason=""))
                | (models.Q(end_date__isnull=False) & ~models.Q(end_reason="")),
                name="episode_end_reason_iff_ended",
            ),
        ]
        indexes = [
            models.Index(fields=["service", "end_date"], name="episode_service_end"),
        ]

    def __str__(self) -> str:
        return f"{self.client.code} / {self.code}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None
