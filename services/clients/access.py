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


def listing_memberships(user) -> list[Membership]:
    """The memberships that let this user list clients (see `may_list_clients`), with their
    teams, in one query: the caseload needs who, where and which teams at once."""
    return list(
        Membership.objects.filter(
            Q(role=Role.HELPER) | Q(role=Role.LEADER, can_view_clients=True), user=user
        ).select_related("team", "service")
    )


def visible_rows(user, memberships: list[Membership]) -> Q:
    """`visible_episodes` as a condition on rows that carry an episode's id, service and team
    (`episode_id`, `service_id`, `team_id`), from the user's `listing_memberships`.

    The caseload filters its stored summaries with it: the same rules, without joining every
    episode of the service to its helpers first (that join cost more than the page).
    """
    helping = [m for m in memberships if m.role == Role.HELPER]
    responsible = Q(service_id__in={m.service_id for m in helping}) & Exists(
        Episode.helpers.through.objects.filter(episode_id=OuterRef("episode_id"), user=user)
    )
    team_access = Q(team_id__in={m.team_id for m in helping if m.team_id and m.service.team_access})
    granted = Q(
        service_id__in={
            m.service_id for m in memberships if m.role == Role.LEADER and m.can_view_clients
        }
    )
    return responsible | team_access | granted


def services_to_add_clients(user) -> QuerySet[Membership]:
    """Where this user may register a new client: the services they are a helper in."""
    return helper_memberships(user).select_related("service", "team")
