"""Whether the user supervises, decided once at login and kept in their session.

The menu shows "Supervision" from it, so no page pays a query for the link. A grant given or
taken away shows in the menu at the next login; the supervision pages themselves ask `access`
on every request, so a removed grant closes them at once.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import access

SESSION_KEY = "supervises"


@receiver(user_logged_in)
def _remember_supervision(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = access.supervises(user)
