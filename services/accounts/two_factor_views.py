"""Setting up and using the second login factor."""

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device

from services.audit import log
from services.audit.models import Action

from .pin import lift_block
from .two_factor import confirm_device, pending_device, verify_code

MAX_WRONG_CODES = 5


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].replace(" ", "").strip()


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up a first authenticator, or replace one after proving the current one.

    A user who already has a second factor must give it first: otherwise the password alone
    would be enough to enrol an attacker's phone and replace the backup codes. A user who has
    lost their phone and their codes asks their service's administrator for a reset.
    """
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('two_factor_verify')}?{query}")
    device = pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = confirm_device(device)
            otp_login(request, device)
            lift_block(request.user, request=request)
            log.record(Action.CHANGE, obj=request.user, request=request, detail="two-factor set up")
            return render(
                request,
                "registration/backup_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "code", _("The code did not match. Check the time on your phone and try again.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5, title=str(_("QR code")))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "qr": qr, "secret": secret, "next": _next_url(request)}
    return render(request, "registration/two_factor_setup.html", context, status=status)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = verify_code(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            lift_block(request.user, request=request)
            request.session.pop("wrong_codes", None)
            return redirect(_next_url(request))
        wrong = request.session.get("wrong_codes", 0) + 1
        request.session["wrong_codes"] = wrong
        log.record(Action.LOGIN_FAILED, user=request.user, request=request, detail="wrong code")
        if wrong >= MAX_WRONG_CODES:
            logout(request)
            return redirect("login")
        form.add_error("code", _("The code did not match."))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/two_factor_verify.html", context, status=status)
