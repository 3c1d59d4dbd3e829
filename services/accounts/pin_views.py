"""The staff member's own page for the tablet PIN."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import PinForm
from .pin import remove_pin, set_pin


@login_required
def pin(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "remove":
        remove_pin(user, request=request)
        messages.success(request, _("The PIN is removed. Unlock the tablet with your password."))
        return redirect("accounts:pin")
    form = PinForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        set_pin(user, form.cleaned_data["pin"], request=request)
        messages.success(request, _("Your PIN is saved. Use it to unlock the tablet."))
        return redirect("accounts:pin")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "has_pin": bool(user.pin_hash)}
    return render(request, "accounts/pin.html", context, status=status)
