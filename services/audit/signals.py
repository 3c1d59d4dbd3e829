"""Logins and failed logins go to the audit log, as Normen's follow-up of access asks."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import log
from .models import Action

# Single sign-on writes its own rows, which say whether the provider vouched for a second factor
# or why the app refused (services.accounts.oidc and oidc_views): one row a login, not two.
SSO_BACKEND = "services.accounts.oidc.StaffOIDCBackend"


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    if getattr(user, "backend", "") == SSO_BACKEND:
        return
    log.record(Action.LOGIN, user=user, request=request)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "sso_refusal_logged", False):
        return
    username = str(credentials.get("username", ""))[:150]
    log.record(Action.LOGIN_FAILED, actor=username or "?", request=request)
