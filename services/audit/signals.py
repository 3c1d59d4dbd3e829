"""Logins and failed logins go to the audit log, as Normen's follow-up of access asks."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import log
from .models import Action


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    log.record(Action.LOGIN, user=user, request=request)


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    log.record(Action.LOGIN_FAILED, actor=username or "?", request=request)
