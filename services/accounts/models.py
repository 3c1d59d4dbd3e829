"""Services, their teams, and the staff who work in them.

A person's rights come from their role in a service (helper, leader, administrator), never from
Django's global flags, so one installation can host several municipalities' services safely.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member. Clients never log in, so they are not users."""

    # A short PIN unlocks the tablet after a client has rated on it (see services.accounts.pin).
    pin_hash = models.CharField(_("tablet PIN (hashed)"), max_length=256, blank=True)
    unlock_failures = models.PositiveSmallIntegerField(_("wrong unlock attempts"), default=0)
    unlock_locked_until = models.DateTimeField(_("unlocking blocked until"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )
    # The provider's stable id for this person (the `sub` claim), stored at the first single
    # sign-on, so a later change of e-mail address at the provider keeps the same account, and
    # an address given to someone new never opens an account already bound to another person.
    oidc_subject = models.CharField(
        _("subject at the login provider"), max_length=255, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


# Addresses beside /oversikt/<code>/ that a service code must not take.
RESERVED_CODES = frozenset({"mine-resultater"})


class Service(models.Model):
    """A service (tjeneste), e.g. one municipality's low-threshold mental-health team."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    team_access = models.BooleanField(
        _("helpers see their team's clients"),
        default=False,
        help_text=_("Off: a helper sees only the clients of episodes they are responsible for."),
    )
    helper_comparison = models.BooleanField(
        _("leaders may compare helpers"),
        default=True,
        help_text=_("Off: dashboards show the service and its teams, never single helpers."),
    )
    require_two_factor = models.BooleanField(
        _("staff must use two-factor login"),
        default=True,
        help_text=_("Normen asks for strong authentication of everyone who reads health data."),
    )
    password_login = models.BooleanField(
        _("allow password login"),
        default=True,
        help_text=_(
            "Off: the staff of this service log in only through the municipality's login. "
            "Platform operators keep their password."
        ),
    )
    off_track_from_session = models.PositiveSmallIntegerField(
        _("compare with the expected trajectory from session"),
        default=3,
        help_text=_("Earlier, a single rating says too little."),
    )
    no_change_by_session = models.PositiveSmallIntegerField(
        _("signal no reliable change by session"), default=4
    )
    off_track_alert = models.CharField(
        _("caseload signal for ratings below the expected range"),
        max_length=10,
        choices=[
            ("red", _("Red only: below the 10th percentile")),
            ("orange", _("Orange and red: below the 25th percentile")),
        ],
        default="red",
        help_text=_(
            "The chart always shows both levels. Orange catches more clients who are not "
            "helped, but also raises more false alarms."
        ),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("years to keep closed episodes"),
        default=5,
        help_text=_("Episodes closed longer ago are anonymised by the daily retention job."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        """A code is a part of the service's addresses (/oversikt/<code>/): it must not be a
        page of its own there, such as a helper's own results (issue #16)."""
        if self.code in RESERVED_CODES:
            raise ValidationError({"code": _("This code is the name of a page; choose another.")})


class Team(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="teams", verbose_name=_("service")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["service", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="team_code_unique_in_service")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    HELPER = "helper", _("Helper")
    LEADER = "leader", _("Leader")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Reads and answers the anonymous suggestion box (issue #18), and nothing of clients.
    COUNCIL = "council", _("User council member")


class Membership(models.Model):
    """One role of one user in one service, optionally within a team."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("service")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("team"),
    )
    can_view_clients = models.BooleanField(
        _("may see identified clients"),
        default=False,
        help_text=_(
            "For leaders: a separate permission an administrator grants. Helpers see the "
            "clients they are responsible for regardless."
        ),
    )

    class Meta:
        ordering = ["service", "role", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "service", "role"], name="one_membership_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.service}"


class Invitation(models.Model):
    """A one-time link that lets a new staff member choose their password.

    Only a hash of the token is stored, so a copy of the database cannot be used to take over an
    account that has not been set up yet; the link itself is shown once, to the administrator.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("user")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("service")
    )
    token_hash = models.CharField(_("token (hashed)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} – {self.service}"
