"""The pure parts: reading what the helper typed, masking it, the message's words, the gateway's
JSON body, and the job's schedule."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from services.messaging import gateways, recipients, tasks, texts
from services.messaging.checks import check_sms_settings
from services.messaging.models import Kind, SendError
from tests.jobs.conftest import bound_app

from .support import EMAIL, PHONE


@pytest.mark.parametrize(
    ("typed", "channel", "stored"),
    [
        ("91234567", "sms", PHONE),
        ("912 34 567", "sms", PHONE),
        ("+47 912 34 567", "sms", PHONE),
        ("0047-91234567", "sms", PHONE),
        ("+46 70 123 45 67", "sms", "+46701234567"),
        (f"  {EMAIL} ", "email", EMAIL),
    ],
)
def test_numbers_and_addresses_are_written_one_way(typed, channel, stored):
    assert recipients.parse(typed) == (channel, stored)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("1234567", recipients.NOT_A_NUMBER),
        ("+47 1234567", recipients.NOT_A_NUMBER),
        ("+12", recipients.NOT_A_NUMBER),
        ("kari@", recipients.NOT_AN_EMAIL),
        ("kari@example", recipients.NOT_AN_EMAIL),
        ("Kari Nordmann", recipients.NOT_A_RECIPIENT),
        ("   ", recipients.NOT_A_RECIPIENT),
    ],
)
def test_anything_else_is_refused_without_repeating_it(typed, error):
    with pytest.raises(ValidationError) as refused:
        recipients.parse(typed)
    assert refused.value.messages == [str(error)]
    assert typed.strip() not in str(error) or not typed.strip()


def test_the_mask_shows_the_last_digits_only():
    assert recipients.mask(PHONE) == "+47 ••• •• 567"
    assert recipients.mask("+46701234567") == "+••• 567"
    assert recipients.mask(EMAIL) == "k•••@•••.no"


EXPIRES = datetime.datetime(2026, 5, 12, 14, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize("kind", [Kind.LINK, Kind.REMINDER])
@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_text_holds_the_link_its_end_and_the_service_only_if_wanted(kind, language):
    url = "https://kor.example/s/AbCdEfGhJkL"
    common = {"kind": kind, "url": url, "expires_at": EXPIRES, "language": language}
    named = texts.message_text(
        **common, service_name="Rus og psykisk helse", hide_service_name=False
    )
    hidden = texts.message_text(
        **common, service_name="Rus og psykisk helse", hide_service_name=True
    )
    assert named.endswith(url) and hidden.endswith(url)
    assert "Rus og psykisk helse" in named
    assert "Rus og" not in hidden
    assert "2026" in named
    if language != "en":
        assert "12.05.2026 16:30" in named  # Oslo time, summer
    subject = texts.email_subject(
        kind=kind, service_name="Rus og psykisk helse", hide_service_name=True, language=language
    )
    assert "Rus" not in subject


def test_the_template_cannot_be_broken_out_of():
    """Quotes, backslashes and braces in the text stay inside their JSON string, and a
    placeholder inside the text is not filled."""
    text = 'Hei "du" \\ {to} {sender}\nlink'
    body = gateways.fill_template(
        '{"msisdn": "{to}", "text": "{text}", "sc": "{sender}", "n": 1, "list": ["{to}"]}',
        to=PHONE,
        text=text,
        sender="Kommunen",
    )
    assert json.loads(body) == {
        "msisdn": PHONE,
        "text": text,
        "sc": "Kommunen",
        "n": 1,
        "list": [PHONE],
    }


def test_a_gateway_without_address_refuses_every_message(settings):
    settings.SMS_BACKEND = "services.messaging.gateways.HttpJsonSmsBackend"
    settings.SMS_GATEWAY_URL = ""
    assert not gateways.sms_is_set_up()
    with pytest.raises(gateways.SendFailed) as failed:
        gateways.sms_backend().send_sms(PHONE, "x")
    assert (failed.value.reason, failed.value.permanent) == (SendError.NOT_SET_UP, True)


def test_the_console_sms_backend_masks_the_number():
    out = io.StringIO()
    gateways.ConsoleSmsBackend(stream=out).send_sms(PHONE, "Hei")
    assert out.getvalue().startswith("SMS to +47 ••• •• 567:\nHei")


def test_the_job_runs_every_minute_one_at_a_time():
    """On the jobs' own app (a fresh app would take the task over: procrastinate binds a
    blueprint's tasks to the last app they are added to)."""
    app = bound_app()
    task = app.tasks["send_messages"]
    assert task is tasks.send_messages
    assert task.lock == task.queueing_lock == "send_messages"
    assert task.retry_strategy is None  # the next run is the retry
    crons = {name: entry.cron for (name, _), entry in app.periodic_registry.periodic_tasks.items()}
    assert crons["send_messages"] == "* * * * *"


@pytest.mark.django_db
def test_the_job_sends_what_is_due_and_says_how_many():
    assert tasks.send_messages(timestamp=int(timezone.now().timestamp())) == (
        "0 sent, 0 retry, 0 failed, 0 cancelled"
    )


def test_a_broken_gateway_setting_fails_the_system_check(settings):
    settings.SMS_BACKEND = "services.messaging.gateways.HttpJsonSmsBackend"
    settings.SMS_GATEWAY_URL = "https://gateway.example/send"
    assert check_sms_settings() == []
    settings.SMS_GATEWAY_TEMPLATE = '{"to": {to}}'
    assert [error.id for error in check_sms_settings()] == ["messaging.E002"]
    settings.SMS_GATEWAY_URL = "file:///etc/passwd"
    assert [error.id for error in check_sms_settings()] == ["messaging.E001"]
