"""Who may see which client. Every view that shows a client asks here, and nowhere else.

A helper sees the clients of episodes they are responsible for, and, where the service turns it
on, those of their team's episodes. Leaders see aggregates, not clients, unless an administrator
granted them the separate permission to see identified clients of their service. Anything else
is a 404, so that a guessed id does not even reveal that a client exists.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from services.accounts.models import Membership, Role

from .models import Client, Episode


def helper_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, role=Role.HELPER)


def is_helper(user) -> bool:
    return user.is_authenticated and helper_memberships(user).exists()


def identified_leader_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, role=Role.LEADER, can_view_clients=True)


def may_list_clients(user) -> bool:
    """Helpers (their own caseload) and leaders granted access to identified clients."""
    return user.is_authenticated and (
        is_helper(user) or identified_leader_memberships(user).exists()
    )


def visible_episodes(user) -> QuerySet[Episode]:
    """Episodes whose client this user may see identified."""
    if not user.is_authenticated:
        return Episode.objects.none()
    memberships = helper_memberships(user)
    responsible = Q(helpers=user) & Q(service__in=memberships.values("service"))
    team_access = Q(
        team__in=memberships.filter(service__team_access=True, team__isnull=False).values("team")
    )
    granted = Q(service__in=identified_leader_memberships(user).values("service"))
    return Episode.objects.filter(
        Exists(Episode.objects.filter(Q(pk=OuterRef("pk")) & (responsible | team_access | granted)))
    )


def visible_clients(user) -> QuerySet[Client]:
    return Client.objects.filter(Exists(visible_episodes(user).filter(client=OuterRef("pk"))))


def client_for(user, pk: int) -> Client:
    """The client with this id if the user may see them; 404 otherwise."""
    client = visible_clients(user).select_related("service").filter(pk=pk).first()
    if client is None:
        raise Http404
    return client


def episode_for(user, client: Client, pk: int) -> Episode:
    episode = visible_episodes(user).filter(client=client, pk=pk).first()
    if episode is None:
        raise Http404
    return episode


def services_to_add_clients(user) -> QuerySet[Membership]:
    """Where this user may register a new client: the services they are a helper in."""
    return helper_memberships(user).select_related("service", "team")
