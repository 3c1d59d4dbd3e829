"""Research projects a service's leader approved, and every de-identified data set made for one.

A project names who gets the data (recipient), why (purpose), which episodes (those that
started in the period, with their sessions up to the period's end) and until when it may be
downloaded (expires_on). Nothing is exported before a leader approves it, nor after it is
withdrawn or has expired.

Each project has its own random secret, from which the rows' ids are derived (HMAC of the
episode), so the same episode has unrelated ids in two projects and two recipients cannot join
their files. The secret is never shown, exported or logged.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.models import Service


def new_secret() -> str:
    return secrets.token_hex(32)


class ResearchProject(models.Model):
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="research_projects",
        verbose_name=_("service"),
    )
    name = models.CharField(_("project name"), max_length=200)
    purpose = models.TextField(
        _("purpose"),
        max_length=2000,
        help_text=_("What the data will be used for, as in the approval (e.g. from REK)."),
    )
    recipient = models.CharField(
        _("recipient"),
        max_length=300,
        help_text=_("The institution and the person responsible for the data."),
    )
    period_start = models.DateField(
        _("episodes that started from"),
        help_text=_("Episodes that started in the period are included."),
    )
    period_end = models.DateField(
        _("up to and including"),
        help_text=_("Sessions after this day are left out, and episodes open then count as open."),
    )
    expires_on = models.DateField(
        _("may be downloaded until"),
        help_text=_("The last day the data set may be downloaded under this approval."),
    )
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["service", "-created_at"]
        verbose_name = _("research project")
        verbose_name_plural = _("research projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="research_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def expired(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.expires_on

    def may_export(self, today=None) -> bool:
        """Approved, not withdrawn, not expired: the only state a data set may be made in."""
        return self.approved and not self.withdrawn and not self.expired(today)


class ResearchExport(models.Model):
    """One data set made for a project: by whom, when, and what it took to reach k."""

    project = models.ForeignKey(
        ResearchProject,
        on_delete=models.PROTECT,
        related_name="exports",
        verbose_name=_("research project"),
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    actor = models.CharField(_("made by"), max_length=150)
    made_at = models.DateTimeField(_("made"), default=timezone.now)
    rows = models.PositiveIntegerField(_("rows"))
    suppressed_rows = models.PositiveIntegerField(_("rows left out"))
    k = models.PositiveSmallIntegerField("k")
    level = models.PositiveSmallIntegerField(_("generalisation steps"))
    generalised = models.JSONField(_("generalised"), default=dict)

    class Meta:
        ordering = ["-made_at"]
        verbose_name = _("research export")
        verbose_name_plural = _("research exports")

    def __str__(self) -> str:
        return f"{self.project} {self.made_at:%Y-%m-%d %H:%M}"
