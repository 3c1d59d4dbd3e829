"""The two addresses of single sign-on: off to the provider, and back from it.

mozilla-django-oidc's views, with the provider's addresses read when needed (from settings or
its discovery document, services.accounts.sso), a calm message on the login page instead of an
error page when the provider does not answer or the app does not let the person in, and the
provider's word on a second factor kept in the session.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from services.audit import log
from services.audit.models import Action

from . import sso
from .pin import lift_block
from .two_factor import two_factor_required

logger = logging.getLogger(__name__)


def _no_answer(request):
    logger.warning("the login provider did not answer", exc_info=True)
    messages.error(
        request, _("The municipality's login does not answer just now. Try again in a moment.")
    )
    return redirect("login")


class Authenticate(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with state, nonce and (by default) PKCE."""

    OIDC_OP_AUTH_ENDPOINT = property(
        lambda self: sso.provider_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
    )
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the parent would copy the addresses here, once

    def get(self, request):
        try:
            return super().get(request)
        except requests.RequestException:
            return _no_answer(request)


class Callback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back with a code."""

    def get(self, request):
        try:
            return super().get(request)
        except requests.RequestException:
            return _no_answer(request)
        except (SuspiciousOperation, jwt.InvalidTokenError):
            # An unknown state (an old tab, the back button, a session that ran out) or a
            # token that did not hold: logged, and the person starts again from the login page.
            logger.warning("single sign-on callback refused", exc_info=True)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "You were not logged in through %(provider)s. Only staff whom an administrator "
                "has invited can log in, and the e-mail address of your account here must be "
                "your address at the municipality."
            )
            % {"provider": settings.OIDC_PROVIDER_NAME or _("the municipality's login")},
        )
        return redirect("login")

    def login_success(self):
        response = super().login_success()
        user, request = self.user, self.request
        mfa = getattr(user, "sso_mfa", False)
        sso.mark_login(request, user, mfa=mfa)
        if mfa:
            log.record(Action.LOGIN, user=user, request=request, detail="sso mfa")
            if two_factor_required(user):
                # The provider's second factor counts as ours (services.accounts.receivers).
                lift_block(user, request=request)
        else:
            log.record(Action.LOGIN, user=user, request=request, detail="sso")
        return response
