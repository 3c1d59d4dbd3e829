"""What the menu and the client page need to know about peer supervision, decided once at login
and kept in the user's session, so no page pays a query for it: whether the user helps in a
service that is in a network (only then can their clients be shared, or have been), and whether
they have supervision groups to open (as a member or a network's coordinator). A change shows
at the next login; the peer pages themselves ask `access` on every request."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from services.network.access import coordinated

from . import access

IN_NETWORK = "helps_in_network"
HAS_GROUPS = "peer_groups"


@receiver(user_logged_in)
def _remember_peer_supervision(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        session[IN_NETWORK] = access.helps_in_a_network(user)
        session[HAS_GROUPS] = access.member_groups(user).exists() or coordinated(user).exists()
