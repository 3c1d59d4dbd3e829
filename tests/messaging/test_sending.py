"""Sending through real servers: e-mail to a local SMTP server, text messages to a local HTTP
gateway. What arrives holds the short link and nothing about health; failures are tried again
after 1, 5 and 15 minutes and then given up; the number or address is gone from the row once
the message is sent, given up or cancelled, and never reaches a log line or the access log."""

import datetime
import logging

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from services.audit.models import AuditEvent
from services.audit.words import is_known
from services.messaging import sending
from services.messaging.models import Kind, OutgoingMessage, SendError, Status
from services.messaging.sending import Request
from services.ratings import links
from services.ratings.models import Handover

from .support import EMAIL, PHONE, REFUSED_EMAIL, SERVICE_NAME, SITE, TYPED_PHONE, soon

pytestmark = pytest.mark.django_db


def short_link(handover) -> str:
    return f"{SITE}/s/{links.short_code_for(handover)}"


def queue(handover, helper, recipient, **options) -> OutgoingMessage:
    kind = options.pop("kind", Kind.LINK)
    send_after = options.pop("send_after", None)
    [message] = sending.queue(
        handover, [Request(recipient, kind, send_after)], created_by=helper, **options
    )
    return message


def no_recipient_in(records, *recipients) -> None:
    """Neither the number nor the address in any log line our code (or Django) wrote; the
    test SMTP server's own logger ("mail.log") is not the app's and is left out."""
    for record in records:
        if record.name.startswith("mail.log"):
            continue
        text = record.getMessage() + str(record.exc_info or "")
        for recipient in recipients:
            assert recipient not in text, (record.name, text)
            assert recipient.lstrip("+")[-8:] not in text, (record.name, text)


def test_an_email_carries_the_short_link_and_no_service_name_when_asked(
    smtp_server, site, remote, helper, caplog
):
    caplog.set_level(logging.DEBUG)
    message = queue(remote, helper, EMAIL, hide_service_name=True)
    assert message.recipient == EMAIL and message.recipient_hint == "k•••@•••.no"
    counts = sending.send_due()
    assert counts["sent"] == 1
    [(to, email)] = smtp_server.received
    assert to == [EMAIL]
    body = email.get_content()
    assert short_link(remote) in body
    assert SERVICE_NAME not in body and SERVICE_NAME not in email["Subject"]
    assert remote.session.episode.client.code not in body
    message.refresh_from_db()
    assert (message.status, message.recipient, message.attempts) == (Status.SENT, "", 1)
    assert message.sent_at is not None
    no_recipient_in(caplog.records, EMAIL)


def test_the_service_is_named_unless_the_client_asked_not_to(smtp_server, site, remote, helper):
    queue(remote, helper, EMAIL)
    sending.send_due()
    [(_to, email)] = smtp_server.received
    assert SERVICE_NAME in email["Subject"]
    assert SERVICE_NAME in email.get_content()
    assert short_link(remote) in email.get_content()


def test_a_text_message_goes_to_the_gateway_as_its_template_says(
    sms_gateway, site, remote, helper, caplog
):
    caplog.set_level(logging.DEBUG)
    message = queue(remote, helper, TYPED_PHONE, hide_service_name=True)
    assert message.recipient == PHONE
    assert sending.send_due()["sent"] == 1
    [call] = sms_gateway.calls
    assert call.path == "/sms/send"
    assert call.headers["Authorization"] == "Bearer secret-token"
    assert call.headers["Content-Type"].startswith("application/json")
    assert call.body["destination"] == PHONE
    assert call.body["source"] == "Kommunen"
    assert call.body["platformId"] == "0" and call.body["useDeliveryReport"] is False
    assert short_link(remote) in call.body["userData"]
    assert SERVICE_NAME not in call.body["userData"]
    message.refresh_from_db()
    assert (message.status, message.recipient) == (Status.SENT, "")
    assert AuditEvent.objects.filter(
        detail="link sent by SMS", actor="send_messages", client_id=remote.session.episode.client_id
    ).exists()
    no_recipient_in(caplog.records, PHONE)


def test_a_failing_gateway_is_tried_after_1_5_and_15_minutes_then_given_up(
    sms_gateway, site, remote, helper, caplog
):
    caplog.set_level(logging.DEBUG)
    sms_gateway.answers = [500] * 4
    message = queue(remote, helper, PHONE)
    now = timezone.now()
    for minutes, wait in ((0, 1), (1, 5), (6, 15)):
        at = now + datetime.timedelta(minutes=minutes)
        assert sending.send_due(at)["retry"] == 1
        message.refresh_from_db()
        assert message.send_after == at + datetime.timedelta(minutes=wait)
        assert message.recipient == PHONE
    assert sending.send_due(now + datetime.timedelta(minutes=21))["failed"] == 1
    message.refresh_from_db()
    assert len(sms_gateway.calls) == 4
    assert (message.status, message.attempts, message.last_error) == (
        Status.FAILED,
        4,
        SendError.SERVICE_ERROR,
    )
    assert message.recipient == ""
    assert AuditEvent.objects.filter(detail="message not sent").count() == 1
    no_recipient_in(caplog.records, PHONE)


def test_a_retry_waits_its_time(sms_gateway, site, remote, helper):
    sms_gateway.answers = [503]
    message = queue(remote, helper, PHONE)
    now = timezone.now()
    assert sending.send_due(now)["retry"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.recipient) == (Status.QUEUED, 1, PHONE)
    assert sending.send_due(now + datetime.timedelta(seconds=59))["sent"] == 0
    assert len(sms_gateway.calls) == 1
    assert sending.send_due(now + datetime.timedelta(minutes=1))["sent"] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 2, "")


def test_a_refused_number_is_not_tried_again(sms_gateway, site, remote, helper):
    sms_gateway.answers = [400]
    message = queue(remote, helper, PHONE)
    assert sending.send_due()["failed"] == 1
    message.refresh_from_db()
    assert (message.status, message.last_error, message.recipient) == (
        Status.FAILED,
        SendError.REFUSED,
        "",
    )


def test_a_refused_address_is_given_up_and_not_logged(smtp_server, site, remote, helper, caplog):
    """smtplib's refusal names the address; only its class name may reach the log."""
    caplog.set_level(logging.DEBUG)
    message = queue(remote, helper, REFUSED_EMAIL)
    assert sending.send_due()["failed"] == 1
    message.refresh_from_db()
    assert (message.status, message.last_error, message.recipient) == (
        Status.FAILED,
        SendError.REFUSED,
        "",
    )
    assert smtp_server.received == []
    no_recipient_in(caplog.records, REFUSED_EMAIL)


def test_an_unreachable_gateway_is_tried_again(settings, site, remote, helper):
    from tests.servers import free_port

    settings.SMS_BACKEND = "services.messaging.gateways.HttpJsonSmsBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{free_port()}/send"
    message = queue(remote, helper, PHONE)
    assert sending.send_due()["retry"] == 1
    message.refresh_from_db()
    assert (message.last_error, message.recipient) == (SendError.NO_CONNECTION, PHONE)


def test_a_reminder_is_sent_only_when_due(sms_gateway, site, remote, helper):
    due = soon(24 * 60)
    reminder = queue(remote, helper, PHONE, kind=Kind.REMINDER, send_after=due)
    assert sending.send_due()["sent"] == 0
    assert sms_gateway.calls == []
    assert sending.send_due(due)["sent"] == 1
    [call] = sms_gateway.calls
    assert short_link(remote) in call.body["userData"]
    reminder.refresh_from_db()
    assert (reminder.status, reminder.recipient) == (Status.SENT, "")
    assert AuditEvent.objects.filter(detail="reminder sent by SMS").exists()


def test_a_reminder_is_cancelled_as_soon_as_the_form_is_answered(sms_gateway, site, remote, helper):
    reminder = queue(remote, helper, PHONE, kind=Kind.REMINDER, send_after=soon(24 * 60))
    Handover.objects.filter(pk=remote.pk).update(used_at=timezone.now())
    # Cancelled at the next run, long before it was due: the number is not kept till then.
    assert sending.send_due()["cancelled"] == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.recipient) == (Status.CANCELLED, "")
    assert sending.send_due(soon(25 * 60))["sent"] == 0
    assert sms_gateway.calls == []


def test_a_message_for_an_expired_link_is_cancelled(sms_gateway, site, remote, helper):
    message = queue(remote, helper, PHONE)
    Handover.objects.filter(pk=remote.pk).update(expires_at=timezone.now())
    assert sending.send_due()["cancelled"] == 1
    message.refresh_from_db()
    assert (message.status, message.recipient) == (Status.CANCELLED, "")
    assert sms_gateway.calls == []


def test_a_link_that_cannot_be_answered_is_not_queued(site, remote, helper):
    Handover.objects.filter(pk=remote.pk).update(used_at=timezone.now())
    remote.refresh_from_db()
    with pytest.raises(sending.MessageError):
        queue(remote, helper, PHONE)
    assert not OutgoingMessage.objects.exists()


def test_a_reminder_after_the_link_expires_is_refused_and_nothing_is_stored(site, remote, helper):
    wanted = [
        Request(PHONE),
        Request(PHONE, Kind.REMINDER, remote.expires_at + datetime.timedelta(minutes=1)),
    ]
    with pytest.raises(sending.MessageError) as refused:
        sending.queue(remote, wanted, created_by=helper)
    assert refused.value.field == "remind_on"
    assert not OutgoingMessage.objects.exists()
    assert not AuditEvent.objects.filter(object_type="outgoingmessage").exists()


def test_the_database_keeps_no_recipient_on_a_finished_message(site, remote, helper):
    message = queue(remote, helper, PHONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingMessage.objects.filter(pk=message.pk).update(status=Status.SENT)


def test_the_console_backends_mask_the_recipient(settings, site, remote, helper, capsys):
    settings.SMS_BACKEND = "services.messaging.gateways.ConsoleSmsBackend"
    settings.EMAIL_BACKEND = "services.messaging.gateways.ConsoleEmailBackend"
    queue(remote, helper, PHONE)
    queue(remote, helper, EMAIL)
    assert sending.send_due()["sent"] == 2
    out = capsys.readouterr().out
    assert "+47 ••• •• 567" in out and "k•••@•••.no" in out
    assert PHONE not in out and "91234567" not in out and EMAIL not in out
    assert out.count(short_link(remote)) == 2


def test_every_access_log_detail_is_said_in_the_readers_language():
    assert all(is_known(detail) for detail in sending.DETAILS)
