"""An append-only log of who touched which client's data.

Normen asks that every access to health data is logged and that a client can learn who looked at
their data. The log refers to clients by id, not by foreign key, so that erasing a client's health
data leaves the record that it was erased. It refers to staff users by a foreign key without a
database constraint that is never nulled, so deleting an account leaves its id and name on the
rows: the database refuses to change a row (migration 0002, see docs/audit.md), and an access log
has to say who it was anyway.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    UNLOCK = "unlock", _("Unlocked")


class AppendOnlyError(RuntimeError):
    """The model's own guard; the database's triggers stop every other path."""


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    service_id = models.BigIntegerField(_("service id"), null=True, blank=True)
    client_id = models.BigIntegerField(_("client id"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    # Filled once by `chain.seal_pending`; the database allows no other change (see chain.py).
    chain_position = models.PositiveBigIntegerField(
        _("chain position"), null=True, blank=True, unique=True
    )
    previous_seal = models.CharField(_("previous seal"), max_length=64, blank=True, default="")
    seal = models.CharField(_("seal"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
