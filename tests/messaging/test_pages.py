"""The link page's form and status list: who may send, what a refusal looks like, and what the
page shows of a number (its mask, never the number)."""

import datetime
import logging

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from services.accounts.models import Role
from services.audit.models import AuditEvent
from services.messaging import recipients, sending
from services.messaging.models import Kind, OutgoingMessage, SendError, Status
from services.messaging.sending import REMINDER_AFTER_EXPIRY
from tests.factories import MembershipFactory, ServiceFactory, TeamFactory, UserFactory

from .support import EMAIL, PHONE, TYPED_PHONE

pytestmark = pytest.mark.django_db


def link_page(remote) -> str:
    return reverse("ratings:link", args=[remote.session.episode.client_id, remote.pk])


def send_url(remote) -> str:
    return reverse("messaging:send", args=[remote.session.episode.client_id, remote.pk])


@pytest.fixture
def staff(client, helper):
    client.force_login(helper)
    return client


def in_bokmal(message) -> str:
    with translation.override("nb"):
        return escape(str(message))


def test_the_link_page_offers_to_send_the_link(staff, remote):
    page = staff.get(link_page(remote)).content.decode()
    assert f'action="{send_url(remote)}"' in page
    assert 'name="recipient"' in page and 'name="hide_service_name"' in page
    assert 'name="remind_on"' in page


def test_a_helper_queues_the_link_and_a_reminder_and_sees_only_the_mask(
    staff, remote, helper, caplog
):
    caplog.set_level(logging.DEBUG)
    day = timezone.localdate() + datetime.timedelta(days=1)
    response = staff.post(
        send_url(remote),
        {
            "recipient": TYPED_PHONE,
            "send_now": "on",
            "remind_on": day.isoformat(),
            "remind_at": "09:00",
            "hide_service_name": "on",
            "language": "nn",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == link_page(remote) + "#meldinger"
    link, reminder = OutgoingMessage.objects.order_by("send_after")
    assert (link.kind, link.channel, link.recipient) == (Kind.LINK, "sms", PHONE)
    assert (reminder.kind, reminder.language, reminder.hide_service_name) == (
        "reminder",
        "nn",
        True,
    )
    assert timezone.localtime(reminder.send_after).hour == 9
    assert timezone.localtime(reminder.send_after).date() == day
    assert link.base_url == "http://testserver" and link.created_by == helper
    events = AuditEvent.objects.filter(object_type="outgoingmessage")
    assert set(events.values_list("detail", flat=True)) == {
        "link queued by SMS",
        "reminder queued by SMS",
    }
    page = staff.get(link_page(remote)).content.decode()
    assert page.count("+47 ••• •• 567") == 2
    assert "91234567" not in page and "912 34 567" not in page
    for record in caplog.records:
        assert "91234567" not in record.getMessage() and "34 567" not in record.getMessage()


def test_the_status_list_shows_retries_and_failures(staff, remote, helper, site):
    [retrying] = sending.queue(remote, [sending.Request(PHONE)], created_by=helper)
    [failed] = sending.queue(remote, [sending.Request(EMAIL)], created_by=helper)
    next_try = timezone.now() + datetime.timedelta(minutes=5)
    OutgoingMessage.objects.filter(pk=retrying.pk).update(
        attempts=2, last_error=SendError.SERVICE_ERROR, send_after=next_try
    )
    OutgoingMessage.objects.filter(pk=failed.pk).update(
        status=Status.FAILED, recipient="", attempts=4, last_error=SendError.NO_ANSWER
    )
    page = staff.get(link_page(remote)).content.decode()
    assert in_bokmal(SendError.SERVICE_ERROR.label) in page
    assert in_bokmal(SendError.NO_ANSWER.label) in page
    assert "k•••@•••.no" in page
    assert EMAIL not in page


def test_a_gateway_failure_reaches_the_link_page(staff, remote, helper, site, sms_gateway):
    sms_gateway.answers = [500] * 4
    sending.queue(remote, [sending.Request(PHONE)], created_by=helper)
    now = timezone.now()
    for minutes in (0, 1, 6, 21):
        sending.send_due(now + datetime.timedelta(minutes=minutes))
    page = staff.get(link_page(remote)).content.decode()
    assert in_bokmal(SendError.SERVICE_ERROR.label) in page
    assert "(4 " in page  # "Not sent (4 tries)" in the page's language


@pytest.mark.parametrize(
    ("typed", "error"),
    [("1234", recipients.NOT_A_NUMBER), ("kari@", recipients.NOT_AN_EMAIL)],
)
def test_a_wrong_number_or_address_is_refused_and_nothing_stored(staff, remote, typed, error):
    response = staff.post(
        send_url(remote), {"recipient": typed, "send_now": "on", "language": "nb"}
    )
    assert response.status_code == 400
    assert in_bokmal(error) in response.content.decode()
    assert not OutgoingMessage.objects.exists()
    assert not AuditEvent.objects.filter(object_type="outgoingmessage").exists()


def test_a_reminder_after_the_link_expires_is_refused(staff, remote):
    late = timezone.localtime(remote.expires_at) + datetime.timedelta(days=1)
    response = staff.post(
        send_url(remote),
        {
            "recipient": EMAIL,
            "send_now": "on",
            "remind_on": late.date().isoformat(),
            "language": "nb",
        },
    )
    assert response.status_code == 400
    assert in_bokmal(REMINDER_AFTER_EXPIRY) in response.content.decode()
    assert not OutgoingMessage.objects.exists()  # not even the link to send now


def test_nothing_asked_for_is_refused(staff, remote):
    response = staff.post(send_url(remote), {"recipient": EMAIL, "language": "nb"})
    assert response.status_code == 400
    assert not OutgoingMessage.objects.exists()


def test_text_messages_are_refused_where_no_gateway_is_set_up(staff, remote, settings):
    settings.SMS_BACKEND = "services.messaging.gateways.HttpJsonSmsBackend"
    settings.SMS_GATEWAY_URL = ""
    response = staff.post(
        send_url(remote), {"recipient": PHONE, "send_now": "on", "language": "nb"}
    )
    assert response.status_code == 400
    assert not OutgoingMessage.objects.exists()
    staff.post(send_url(remote), {"recipient": EMAIL, "send_now": "on", "language": "nb"})
    assert OutgoingMessage.objects.get().channel == "email"


def test_helpers_of_another_team_or_service_cannot_send(client, remote, service):
    other_team = UserFactory(username="annet-team")
    MembershipFactory(
        user=other_team, service=service, role=Role.HELPER, team=TeamFactory(service=service)
    )
    other_service = UserFactory(username="annen-tjeneste")
    MembershipFactory(user=other_service, service=ServiceFactory(code="bergen"), role=Role.HELPER)
    for user in (other_team, other_service):
        client.force_login(user)
        response = client.post(send_url(remote), {"recipient": PHONE, "send_now": "on"})
        assert response.status_code == 404
        cancel = reverse("messaging:cancel", args=[remote.session.episode.client_id, remote.pk])
        assert client.post(cancel, {"message": "1"}).status_code == 404
    assert not OutgoingMessage.objects.exists()


def test_a_helper_cancels_a_waiting_reminder_and_its_number_is_gone(staff, remote, helper, site):
    later = timezone.now() + datetime.timedelta(hours=24)
    [reminder] = sending.queue(
        remote, [sending.Request(PHONE, Kind.REMINDER, later)], created_by=helper
    )
    cancel = reverse("messaging:cancel", args=[remote.session.episode.client_id, remote.pk])
    assert staff.post(cancel, {"message": str(reminder.pk)}).status_code == 302
    reminder.refresh_from_db()
    assert (reminder.status, reminder.recipient) == (Status.CANCELLED, "")
    assert AuditEvent.objects.filter(detail="message cancelled", user=helper).exists()
    assert staff.post(cancel, {"message": str(reminder.pk)}).status_code == 302  # no change
