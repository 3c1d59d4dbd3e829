"""Staff login: two factors, lock-out, idle logout, audit of logins, production settings."""

import datetime
import os
import re
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session as StoredSession
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from services.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def log_in(client, username="hjelper", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def code_for(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:06d}"


@override_settings(TWO_FACTOR_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_helper_without_an_app_must_set_one_up_and_gets_backup_codes(client, helper):
    log_in(client)
    response = client.get(reverse("clients:caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=helper, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000", "next": "/klienter/"})
    assert wrong.status_code == 400
    done = client.post(
        reverse("two_factor_setup"), {"code": code_for(device), "next": "/klienter/"}
    )
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", done.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("clients:caseload")).status_code == 200


@override_settings(TWO_FACTOR_REQUIRED=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_helper_with_an_app_must_give_a_code_and_backup_codes_work_once(client, helper):
    device = TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    from services.accounts.two_factor import new_backup_codes

    backup = new_backup_codes(helper)
    log_in(client)
    response = client.get(reverse("clients:caseload"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_verify"), {"code": "123456"}).status_code == 400
    ok = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "/klienter/"})
    assert ok["Location"] == "/klienter/"
    assert client.get(reverse("clients:caseload")).status_code == 200
    client.logout()
    log_in(client)
    used = client.post(reverse("two_factor_verify"), {"code": backup[0]})
    assert used.status_code == 302
    assert client.get(reverse("clients:caseload")).status_code == 200
    client.logout()
    log_in(client)
    assert client.post(reverse("two_factor_verify"), {"code": backup[0]}).status_code == 400


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_five_wrong_codes_log_the_user_out(client, helper):
    TOTPDevice.objects.create(user=helper, name="app", confirmed=True)
    log_in(client)
    for _ in range(5):
        response = client.post(reverse("two_factor_verify"), {"code": "000000"})
    assert response["Location"] == reverse("login")
    assert client.get(reverse("clients:caseload"))["Location"].startswith(reverse("login"))


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_service_may_turn_two_factor_off(client, helper, service):
    service.require_two_factor = False
    service.save()
    log_in(client)
    assert client.get(reverse("clients:caseload")).status_code == 200


def test_an_open_redirect_after_the_code_is_refused(client, helper):
    client.force_login(helper)
    response = client.get(reverse("two_factor_verify"), {"next": "https://evil.example/"})
    assert 'value="/"' in response.content.decode()


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, helper):
    for _ in range(5):
        log_in(client, password="wrong")
    locked = log_in(client)
    assert locked.status_code == 429
    assert "For mange forsøk" in locked.content.decode()
    assert AuditEvent.objects.filter(action="login_failed").count() >= 5


def test_logins_are_audited(client, helper):
    log_in(client)
    event = AuditEvent.objects.get(action="login")
    assert event.user == helper
    assert event.ip_address == "127.0.0.1"


def test_sessions_end_after_30_idle_minutes_and_with_the_browser(client, helper):
    log_in(client)
    stored = StoredSession.objects.get()
    assert abs((stored.expire_date - timezone.now()) - datetime.timedelta(minutes=30)) < (
        datetime.timedelta(seconds=30)
    )
    assert client.cookies["sessionid"]["expires"] == ""  # a browser-session cookie
    stored.expire_date = timezone.now() - datetime.timedelta(seconds=1)
    stored.save()
    assert client.get(reverse("clients:caseload"))["Location"].startswith(reverse("login"))


def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


def test_production_settings_pass_the_deploy_check_without_warnings():
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment |= {
        "DEBUG": "0",
        "SECRET_KEY": "k8#Qz2!vR9@mW4$tY7^pL1&nB6*cX3(jH5)dF0_gS8+aE2=uI4",
        "ALLOWED_HOSTS": "kor.example.no",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
