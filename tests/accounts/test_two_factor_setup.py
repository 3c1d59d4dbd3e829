"""Setting up or replacing the second factor needs the second factor (issue #11, hole 1).

Found from outside: after the password alone, /to-trinn/oppsett/ made a new authenticator for a
user who already had one, confirming it gave full access, and it replaced the backup codes.
"""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.accounts.two_factor import new_backup_codes
from services.audit.models import AuditEvent

from .test_security import PASSWORD, code_for, log_in

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("helper"),
]
SECURE = override_settings(TWO_FACTOR_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0)


@pytest.fixture
def enrolled(helper):
    helper.set_password(PASSWORD)
    helper.save()
    device = TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    return device, new_backup_codes(helper)


def backup_tokens(user) -> set[str]:
    return set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


@SECURE
def test_the_password_alone_cannot_set_up_a_new_authenticator(client, helper, enrolled):
    _, codes = enrolled
    log_in(client)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("two_factor_verify"))
    assert not TOTPDevice.objects.filter(user=helper, confirmed=False).exists()

    # An attacker who knows a fresh secret still gets nowhere by posting a code for it.
    stranger = TOTPDevice.objects.create(user=helper, name="app", confirmed=False)
    posted = client.post(reverse("two_factor_setup"), {"code": code_for(stranger)})
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("two_factor_verify"))
    stranger.refresh_from_db()
    assert not stranger.confirmed
    assert backup_tokens(helper) == set(codes)
    assert client.get(reverse("clients:caseload"))["Location"].startswith(
        reverse("two_factor_verify")
    )


@SECURE
def test_a_verified_user_may_replace_the_authenticator(client, helper, enrolled):
    old, codes = enrolled
    log_in(client)
    client.post(reverse("two_factor_verify"), {"code": code_for(old)})
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    new = TOTPDevice.objects.get(user=helper, confirmed=False)
    done = client.post(reverse("two_factor_setup"), {"code": code_for(new)})
    assert done.status_code == 200
    shown = set(re.findall(r"<li>([a-z0-9]{8})</li>", done.content.decode()))
    assert len(shown) == 10
    assert backup_tokens(helper) == shown
    assert not shown & set(codes)
    assert list(TOTPDevice.objects.filter(user=helper)) == [new]
    assert AuditEvent.objects.filter(detail="two-factor set up", object_id=str(helper.pk)).exists()


@SECURE
def test_a_wrong_code_on_set_up_keeps_the_old_authenticator_and_codes(client, helper, enrolled):
    old, codes = enrolled
    log_in(client)
    client.post(reverse("two_factor_verify"), {"code": code_for(old)})
    client.get(reverse("two_factor_setup"))
    assert client.post(reverse("two_factor_setup"), {"code": "000000"}).status_code == 400
    assert TOTPDevice.objects.get(user=helper, confirmed=True) == old
    assert backup_tokens(helper) == set(codes)


@SECURE
def test_first_set_up_after_the_password_still_works(client, helper):
    helper.set_password(PASSWORD)
    helper.save()
    log_in(client)
    assert client.get(reverse("two_factor_setup")).status_code == 200
    device = TOTPDevice.objects.get(user=helper, confirmed=False)
    assert client.post(reverse("two_factor_setup"), {"code": code_for(device)}).status_code == 200
    assert client.get(reverse("clients:caseload")).status_code == 200
