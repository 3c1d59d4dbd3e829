"""The public page behind an invitation link: the new staff member chooses a password.

No login is needed: the link is the proof. A wrong, used or expired link gets the same calm page
(404 for a link that never existed, 410 for one that did), which names no one.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from services.audit import log
from services.audit.models import Action

from . import invitations
from .invitations import InvitationClosed, State

LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _closed(request: HttpRequest, state: State | None) -> HttpResponse:
    if state is State.USED:
        message, status = _("This invitation has already been used. Log in as usual."), 410
    elif state is State.EXPIRED:
        message = _("This invitation has expired. Ask your administrator for a new link.")
        status = 410
    else:
        message = _("This invitation link does not work. Ask your administrator for a new one.")
        status = 404
    return render(
        request, "accounts/staff/invitation_closed.html", {"message": message}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitations.find(token)
    if invitation is None:
        return _closed(request, None)
    state = invitations.state(invitation)
    if state is not State.OPEN:
        return _closed(request, state)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = invitations.accept(invitation, form.cleaned_data["new_password1"])
                log.record(
                    Action.CHANGE,
                    user=user,
                    obj=user,
                    service=invitation.service,
                    request=request,
                    detail="invitation accepted",
                )
        except InvitationClosed as closed:
            return _closed(request, closed.state)
        login(request, user, backend=LOGIN_BACKEND)
        messages.success(request, _("Your password is saved. Welcome!"))
        # Where the service asks for two factors, RequireTwoFactorMiddleware sends them on to
        # setting up their authenticator before anything else.
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "invitation": invitation}
    return render(request, "accounts/staff/accept.html", context, status=status)
