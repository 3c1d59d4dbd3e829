"""API keys: how a service's record system (DIPS, CosDoc, Visma Profil, Gerica…) reaches its data.

A key belongs to one service and sees only that service, like the pages. Its secret is shown
once, when an administrator creates it, and only a hash is stored: a stolen database copy gives
no working key. The secret is 32 random bytes, so a plain SHA-256 is enough (a slow password
hash protects guessable secrets, and this one cannot be guessed); the short prefix finds the row.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiKey(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("service")
    )
    name = models.CharField(
        _("name"), max_length=80, help_text=_("Which system uses the key, e.g. “DIPS Front”.")
    )
    prefix = models.CharField(_("key prefix"), max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(_("key (hashed)"), max_length=64, editable=False)
    scope = models.CharField(_("access"), max_length=12, choices=Scope.choices)
    expires_at = models.DateTimeField(_("expires"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["service", "-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.READ_WRITE

    @property
    def actor(self) -> str:
        """Who the access log names for the key's calls."""
        return f"API key {self.prefix} ({self.name})"[:150]
