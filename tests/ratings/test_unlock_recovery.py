"""A client guessing PINs must not lock the helper out (issue #11, hole 8).

Found from outside: five wrong PINs on the tablet blocked unlocking for 15 minutes, and the block
survived logging out and in again. Guessing must still stop, but the helper gets back with what a
client does not have: the password and the second factor.
"""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.accounts.pin import set_pin
from services.audit.models import AuditEvent
from tests.accounts.test_security import code_for

from .test_kiosk import lock

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def locked_out(staff, tablet, helper):
    """The tablet in a client's hands, after the client guessed the PIN too often."""
    set_pin(helper, "2580")
    lock(staff, tablet)
    for _ in range(settings.PIN_FAILURE_LIMIT):
        staff.post(reverse("ratings:unlock"), {"pin": "0000"})
    assert staff.post(reverse("ratings:unlock"), {"pin": "2580"}).status_code == 429
    return staff


def test_each_wrong_pin_says_how_many_tries_are_left(staff, tablet, helper):
    set_pin(helper, "2580")
    lock(staff, tablet)
    first = staff.post(reverse("ratings:unlock"), {"pin": "0000"})
    assert first.status_code == 400
    left = settings.PIN_FAILURE_LIMIT - 1
    assert f"{left} forsøk igjen" in first.content.decode()
    second = staff.post(reverse("ratings:unlock"), {"pin": "1357"})
    assert f"{left - 1} forsøk igjen" in second.content.decode()


def test_the_hand_over_page_warns_when_tries_are_used(staff, helper, episode):
    set_pin(helper, "2580")
    helper.unlock_failures = 3
    helper.save()
    url = reverse("ratings:handover", args=[episode.client_id, episode.pk])
    page = staff.get(url).content.decode()
    assert f"{settings.PIN_FAILURE_LIMIT - 3} forsøk igjen" in page


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_password_and_code_unlock_a_blocked_tablet(locked_out, helper):
    device = TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    page = locked_out.get(reverse("ratings:unlock"))
    assert page.status_code == 429
    assert 'name="otp"' in page.content.decode()
    wrong = locked_out.post(reverse("ratings:unlock"), {"password": PASSWORD, "otp": "000000"})
    assert wrong.status_code == 429
    done = locked_out.post(
        reverse("ratings:unlock"), {"password": PASSWORD, "otp": code_for(device)}
    )
    assert done.status_code == 302
    helper.refresh_from_db()
    assert helper.unlock_locked_until is None
    assert helper.unlock_failures == 0
    assert AuditEvent.objects.filter(user=helper, detail="tablet unlock block lifted").exists()


def test_the_code_alone_or_the_password_alone_does_not_lift_the_block(locked_out, helper):
    device = TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    assert locked_out.post(reverse("ratings:unlock"), {"password": PASSWORD}).status_code == 429
    only_code = locked_out.post(reverse("ratings:unlock"), {"otp": code_for(device)})
    assert only_code.status_code == 429
    wrong_password = locked_out.post(
        reverse("ratings:unlock"), {"password": "guess", "otp": code_for(device)}
    )
    assert wrong_password.status_code == 429
    helper.refresh_from_db()
    assert helper.unlock_locked_until is not None


@override_settings(TWO_FACTOR_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_full_login_with_two_factors_lifts_the_block(locked_out, helper):
    device = TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    locked_out.post(reverse("logout"))
    locked_out.post(reverse("login"), {"username": helper.username, "password": PASSWORD})
    helper.refresh_from_db()
    assert helper.unlock_locked_until is not None, "the password alone must not lift it"
    locked_out.post(reverse("two_factor_verify"), {"code": code_for(device)})
    helper.refresh_from_db()
    assert helper.unlock_locked_until is None
