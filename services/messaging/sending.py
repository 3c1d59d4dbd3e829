"""Queueing a link or a reminder, and sending what is due (the job worker, every minute).

`queue` is the helper's side: it checks that the link can still be answered and the reminder's
time is before the link expires, and stores one row per message. `send_due` is the worker's:
each due message is locked (SELECT … FOR UPDATE SKIP LOCKED) for as long as it is sent, so two
workers, or a worker and a manual `send_messages`, never send the same one; a worker that dies
mid-send releases the lock and the message is sent again later (at least once, never lost).

A failure is tried again after 1, 5 and 15 minutes; a gateway's "no" to the message itself (an
unknown number, a refused address) is not tried again. A message sent, given up or cancelled has
its recipient emptied in the same write. A queued message whose link was answered or has
expired is cancelled, so a reminder never reaches a client who already answered.

The log holds message ids, channels and reasons only; the access log says what happened to
which client's link ("link sent by SMS"), never to whom.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.audit import log
from services.audit.models import Action
from services.ratings.models import Handover, Method

from . import gateways, recipients, texts
from .models import Channel, Kind, OutgoingMessage, SendError, Status

logger = logging.getLogger(__name__)

RETRY_AFTER = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
# A run sends at most this many; the next run, a minute later, goes on.
BATCH = 200

ACTOR = "send_messages"
# The access log's details (services/audit/words.py says each in the reader's language).
QUEUED_DETAIL = {
    (Kind.LINK, Channel.SMS): "link queued by SMS",
    (Kind.LINK, Channel.EMAIL): "link queued by e-mail",
    (Kind.REMINDER, Channel.SMS): "reminder queued by SMS",
    (Kind.REMINDER, Channel.EMAIL): "reminder queued by e-mail",
}
SENT_DETAIL = {
    (Kind.LINK, Channel.SMS): "link sent by SMS",
    (Kind.LINK, Channel.EMAIL): "link sent by e-mail",
    (Kind.REMINDER, Channel.SMS): "reminder sent by SMS",
    (Kind.REMINDER, Channel.EMAIL): "reminder sent by e-mail",
}
FAILED_DETAIL = "message not sent"
CANCELLED_DETAIL = "message cancelled"
DETAILS = (*QUEUED_DETAIL.values(), *SENT_DETAIL.values(), FAILED_DETAIL, CANCELLED_DETAIL)


REMINDER_IN_THE_PAST = _("Choose a time in the future for the reminder.")
REMINDER_AFTER_EXPIRY = _("The link expires before then. Choose an earlier time for the reminder.")


class MessageError(Exception):
    """A message refused before it was stored: `message` for the helper, `field` for the form."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Request:
    """What the helper asked for: the typed recipient, and when (None: now)."""

    recipient: str
    kind: str = Kind.LINK
    send_after: datetime.datetime | None = None


def base_url_for(request) -> str:
    """SITE_URL, else the address the helper's browser used (the client may not reach an
    internal host name: production sets SITE_URL)."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is None:
        raise MessageError(_("The site's address is not set (SITE_URL)."))
    return f"{request.scheme}://{request.get_host()}"


def check_open(handover: Handover, now: datetime.datetime) -> None:
    if handover.method != Method.LINK or handover.expires_at is None:
        raise MessageError(_("Only a remote link can be sent."))
    if handover.used_at is not None:
        raise MessageError(_("The link has been used: the answer has arrived."))
    if handover.is_expired(now):
        raise MessageError(_("The link has expired. Make a new one if needed."))


@transaction.atomic
def queue(
    handover: Handover,
    wanted: list[Request],
    *,
    created_by,
    hide_service_name: bool = False,
    language: str = "nb",
    request=None,
    client=None,
) -> list[OutgoingMessage]:
    """Store the messages the helper asked for, all or none. The recipient is checked here
    too, so no caller can queue an address the form would have refused."""
    now = timezone.now()
    check_open(handover, now)
    base_url = base_url_for(request)
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    client = client or handover.session.episode.client
    queued = []
    for one in wanted:
        try:
            channel, recipient = recipients.parse(one.recipient)
        except ValidationError as error:
            raise MessageError(error.messages[0], "recipient") from None
        if channel == Channel.SMS and not gateways.sms_is_set_up():
            raise MessageError(
                _("Sending text messages is not set up here. Use an e-mail address."), "recipient"
            )
        send_after = one.send_after or now
        if one.send_after is not None and send_after <= now:
            raise MessageError(REMINDER_IN_THE_PAST, "remind_on")
        if send_after >= handover.expires_at:
            raise MessageError(REMINDER_AFTER_EXPIRY, "remind_on")
        message = OutgoingMessage.objects.create(
            handover=handover,
            channel=channel,
            kind=one.kind,
            recipient=recipient,
            recipient_hint=recipients.mask(recipient),
            language=language,
            hide_service_name=hide_service_name,
            base_url=base_url,
            send_after=send_after,
            created_by=created_by,
        )
        log.record(
            Action.CREATE,
            obj=message,
            client=client,
            request=request,
            user=created_by,
            detail=QUEUED_DETAIL[(one.kind, channel)],
        )
        queued.append(message)
    return queued


@transaction.atomic
def cancel(message: OutgoingMessage, *, request=None, user=None) -> bool:
    """The helper takes a waiting message back (a wrong number, a reminder not wanted)."""
    locked = OutgoingMessage.objects.select_for_update().filter(pk=message.pk).first()
    if locked is None or not locked.is_queued:
        return False
    _finish(locked, Status.CANCELLED, request=request, user=user)
    return True


def _client_of(message: OutgoingMessage):
    return message.handover.session.episode.client


def _finish(message: OutgoingMessage, status: str, *, request=None, user=None, **fields) -> None:
    """Mark the message done, with its recipient emptied in the same write, and log it."""
    message.status = status
    message.recipient = ""
    for name, value in fields.items():
        setattr(message, name, value)
    message.save(update_fields=["status", "recipient", *fields])
    detail = {
        Status.SENT: SENT_DETAIL.get((message.kind, message.channel)),
        Status.FAILED: FAILED_DETAIL,
        Status.CANCELLED: CANCELLED_DETAIL,
    }[status]
    log.record(
        Action.CHANGE,
        obj=message,
        client=_client_of(message),
        request=request,
        user=user,
        actor="" if request is not None or user is not None else ACTOR,
        detail=detail,
    )


def _waiting():
    return (
        OutgoingMessage.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("handover__session__episode__client", "handover__session__episode__service")
        .filter(status=Status.QUEUED)
    )


def cancel_closed(now: datetime.datetime) -> int:
    """Cancel every waiting message whose link was answered or has expired, due or not, so
    a reminder's recipient is not kept a day longer than needed."""
    with transaction.atomic():
        closed = list(
            _waiting().filter(Q(handover__used_at__isnull=False) | Q(handover__expires_at__lte=now))
        )
        for message in closed:
            _finish(message, Status.CANCELLED)
    return len(closed)


def send_due(now: datetime.datetime | None = None) -> Counter:
    """Send every message due by `now`, one locked row at a time; counts by outcome."""
    now = now or timezone.now()
    counts = Counter(cancelled=cancel_closed(now))
    for _run in range(BATCH):
        with transaction.atomic():
            message = _waiting().filter(send_after__lte=now).order_by("send_after", "pk").first()
            if message is None:
                break
            counts[_send(message, now)] += 1
    return counts


def _send(message: OutgoingMessage, now: datetime.datetime) -> str:
    handover = message.handover
    try:
        check_open(handover, now)
    except MessageError:
        _finish(message, Status.CANCELLED)
        return "cancelled"
    episode = handover.session.episode
    text = texts.message_text(
        kind=message.kind,
        url=texts.link_address(handover, message.base_url),
        expires_at=handover.expires_at,
        service_name=episode.service.name,
        hide_service_name=message.hide_service_name,
        language=message.language,
    )
    try:
        if message.channel == Channel.SMS:
            gateways.sms_backend().send_sms(message.recipient, text)
        else:
            subject = texts.email_subject(
                kind=message.kind,
                service_name=episode.service.name,
                hide_service_name=message.hide_service_name,
                language=message.language,
            )
            gateways.send_email(message.recipient, subject, text)
    except gateways.SendFailed as failure:
        return _failed(message, now, failure)
    except Exception as error:  # its text may name the recipient: only its class is logged
        return _failed(
            message, now, gateways.SendFailed(SendError.UNKNOWN, why=type(error).__name__)
        )
    _finish(message, Status.SENT, sent_at=now, attempts=message.attempts + 1, last_error="")
    logger.info("message %s (%s, %s) sent", message.pk, message.kind, message.channel)
    return "sent"


def _failed(message: OutgoingMessage, now: datetime.datetime, failure: gateways.SendFailed) -> str:
    attempts = message.attempts + 1
    if failure.permanent or attempts >= MAX_ATTEMPTS:
        _finish(message, Status.FAILED, attempts=attempts, last_error=failure.reason)
        logger.warning(
            "message %s (%s) not sent after %s attempt(s): %s",
            message.pk,
            message.channel,
            attempts,
            failure.why,
        )
        return "failed"
    message.attempts = attempts
    message.last_error = failure.reason
    message.send_after = now + RETRY_AFTER[attempts - 1]
    message.save(update_fields=["attempts", "last_error", "send_after"])
    logger.warning(
        "message %s (%s) attempt %s failed: %s; next try at %s",
        message.pk,
        message.channel,
        attempts,
        failure.why,
        message.send_after.isoformat(),
    )
    return "retry"
