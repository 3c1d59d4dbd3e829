"""A text message or e-mail with a remote link, waiting to be sent, sent, or given up.

The row is the queue: the job worker sends what is due (`sending.send_due`), so a page never
waits for a gateway and a failure is tried again later. The phone number or e-mail address is
kept only while the message waits: it is emptied in the same write that marks the message sent,
failed or cancelled, and the database refuses a finished message that still has one. What the
pages show afterwards is the mask (`recipients.mask`). The text itself is not stored: it is
made when sent from the hand-over, so the row holds nothing that opens the link either.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.ratings.models import Handover

from . import recipients


class Channel(models.TextChoices):
    SMS = recipients.SMS, _("Text message")
    EMAIL = recipients.EMAIL, _("E-mail")


class Kind(models.TextChoices):
    LINK = "link", _("Link")
    REMINDER = "reminder", _("Reminder")


class Status(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent")
    CANCELLED = "cancelled", _("Cancelled")


class SendError(models.TextChoices):
    """Why the last try failed, in words for the helper. Never the gateway's own text, which
    may repeat the number or address."""

    NO_ANSWER = "no_answer", _("The message service did not answer in time.")
    NO_CONNECTION = "no_connection", _("The message service could not be reached.")
    SERVICE_ERROR = "service_error", _("The message service had an error.")
    REFUSED = "refused", _("The message service refused the message. Check the number or address.")
    NOT_SET_UP = "not_set_up", _("Sending text messages is not set up here.")
    UNKNOWN = "unknown", _("Something went wrong while sending.")


class OutgoingMessage(models.Model):
    handover = models.ForeignKey(
        Handover, on_delete=models.CASCADE, related_name="messages", verbose_name=_("handover")
    )
    channel = models.CharField(_("sent as"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LINK)
    # Only while queued (see the constraint below); never logged, never shown.
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    recipient_hint = models.CharField(_("to"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="nb"
    )
    hide_service_name = models.BooleanField(_("without the service's name"), default=False)
    # The address clients reach the app at, from SITE_URL or the helper's request.
    base_url = models.CharField(_("site address"), max_length=200)
    send_after = models.DateTimeField(_("send after"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(
        _("last error"), max_length=20, choices=SendError.choices, blank=True
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message to a client")
        verbose_name_plural = _("messages to clients")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="queued") | models.Q(recipient=""),
                name="messaging_recipient_only_while_queued",
            ),
        ]
        indexes = [models.Index(fields=["status", "send_after"], name="messaging_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_channel_display()} #{self.pk}"

    @property
    def is_queued(self) -> bool:
        return self.status == Status.QUEUED
