"""The tablet PIN: set with the password, stored hashed, wrong attempts throttled."""

import pytest
from django.conf import settings
from django.urls import reverse

from services.accounts.pin import Unlock, try_unlock

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def set_pin(client, pin, again=None, password=PASSWORD):
    data = {"password": password, "pin": pin, "pin_again": again or pin, "action": "set"}
    return client.post(reverse("accounts:pin"), data)


def test_the_pin_page_needs_a_login(client):
    assert client.get(reverse("accounts:pin")).status_code == 302


@pytest.mark.production_hashing
def test_a_pin_is_set_with_the_password_and_stored_hashed(client, helper):
    client.force_login(helper)
    assert client.get(reverse("accounts:pin")).status_code == 200
    assert set_pin(client, "2580").status_code == 302
    helper.refresh_from_db()
    assert helper.pin_hash.startswith("argon2$")
    assert "2580" not in helper.pin_hash
    assert try_unlock(helper, "2580") == Unlock.OK


@pytest.mark.parametrize(
    ("pin", "again", "password"),
    [
        ("258", None, PASSWORD),
        ("123456789", None, PASSWORD),
        ("25a0", None, PASSWORD),
        ("１２３４", None, PASSWORD),
        ("1111", None, PASSWORD),
        ("1234", None, PASSWORD),
        ("9876", None, PASSWORD),
        ("2580", "2581", PASSWORD),
        ("2580", None, "wrong password"),
    ],
)
def test_weak_or_unconfirmed_pins_are_refused(client, helper, pin, again, password):
    client.force_login(helper)
    assert set_pin(client, pin, again, password).status_code == 400
    helper.refresh_from_db()
    assert helper.pin_hash == ""


def test_the_pin_can_be_removed(client, helper):
    client.force_login(helper)
    set_pin(client, "2580")
    client.post(reverse("accounts:pin"), {"action": "remove"})
    helper.refresh_from_db()
    assert helper.pin_hash == ""
    assert try_unlock(helper, "2580") == Unlock.WRONG


def test_the_password_unlocks_too_and_wrong_attempts_block(helper):
    assert try_unlock(helper, PASSWORD) == Unlock.OK
    for _ in range(settings.PIN_FAILURE_LIMIT - 1):
        assert try_unlock(helper, "0000") == Unlock.WRONG
    assert try_unlock(helper, "") == Unlock.BLOCKED
    assert try_unlock(helper, PASSWORD) == Unlock.BLOCKED


def test_a_right_answer_resets_the_count(helper):
    for _ in range(settings.PIN_FAILURE_LIMIT - 1):
        try_unlock(helper, "0000")
    assert try_unlock(helper, PASSWORD) == Unlock.OK
    assert try_unlock(helper, "0000") == Unlock.WRONG
