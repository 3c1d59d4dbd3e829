"""Whether the user coordinates a network, decided once at login and kept in their session,
so the menu shows "Network" without a query on every page; the pages ask `access` each time."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import access

SESSION_KEY = "coordinates"


@receiver(user_logged_in)
def _remember_coordination(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = access.coordinated(user).exists()
