"""Two-factor login for staff (TOTP app plus one-time backup codes).

Normen asks for strong authentication of everyone who reads health data. After the password, a
staff member must give a code from their authenticator app; one who has none is sent to set it
up first. Required where settings.TWO_FACTOR_REQUIRED is on (the production default) and the
user's service asks for it. A login through the municipality's provider that vouched for a
second factor of its own counts as both (services.accounts.sso, docs/sso.md).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import sso
from .models import Membership

EXEMPT = {
    "two_factor_setup",
    "two_factor_verify",
    "logout",
    "set_language",
    # Someone between password and code may still choose the municipality's login instead.
    "oidc_authentication_init",
    "oidc_authentication_callback",
}
BACKUP_CODES = 10


def two_factor_required(user) -> bool:
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or Membership.objects.filter(user=user, service__require_two_factor=True).exists()
    )


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not sso.mfa_by_provider(request)
            and not self._exempt(request.path_info)
            and two_factor_required(user)
        ):
            target = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(target)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        try:
            return resolve(path).url_name in EXEMPT
        except Resolver404:
            return False


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first visit to the set-up page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def verify_code(user, code: str):
    """The device that accepts `code`: six digits go to the app, anything else to backup codes.

    Each device is asked only about its own kind of code, so a mistyped app code does not count
    as a failed backup code (django-otp throttles each device on its failures).
    """
    devices = (
        TOTPDevice.objects.filter(user=user, confirmed=True)
        if code.isdigit() and len(code) == 6
        else StaticDevice.objects.filter(user=user, confirmed=True)
    )
    with transaction.atomic():
        for device in devices.select_for_update():
            if device.verify_token(code):
                return device
    return None


def confirm_device(device: TOTPDevice) -> list[str]:
    """Make `device` the user's only authenticator and give them new backup codes.

    Called only once the user has proved the new device (and, when replacing, the old one),
    so the old phone and the old codes stop working together.
    """
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        return new_backup_codes(device.user)


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes; each works once. Shown to the user only now."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="backup")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
