"""Who sees a supervision group and its cases, who shares and who withdraws: every peer view
asks here, and anything else is a 404.

- A group is seen by its members and by its network's coordinators. A member counts only while
  they are a helper in a service that is an active member of the group's network: a service
  that leaves takes its helpers out at once (and back in if it joins again).
- A case is seen by those who see its group, and only while the client's own service is an
  active member of the network: a service that leaves takes its cases out too. Nobody else
  sees it, not even the leaders of the sharing service.
- A helper shares an episode they may see (`clients.access`) of a service they help in, with a
  group they count as a member of whose network that service is in.
- The helper who shared a case withdraws it, and so do those who may see the client's episode.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from services.accounts.models import Membership, Role
from services.clients import access as client_access
from services.clients.models import Client, Episode
from services.network.access import coordinated
from services.network.models import NetworkMember

from .models import GroupMember, SharedCase, SupervisionGroup


def _active_member(network_ref, service_ref) -> Exists:
    return Exists(NetworkMember.objects.active().filter(network=network_ref, service=service_ref))


def _helps_in_network(user, network_ref) -> Exists:
    """The user is a helper in a service that is an active member of this network."""
    helping_in = Membership.objects.filter(user=user, role=Role.HELPER).values("service")
    return Exists(
        NetworkMember.objects.active().filter(network=network_ref, service__in=helping_in)
    )


def member_groups(user) -> QuerySet[SupervisionGroup]:
    """The groups this user counts as a member of now."""
    if not user.is_authenticated:
        return SupervisionGroup.objects.none()
    return SupervisionGroup.objects.filter(
        Exists(GroupMember.objects.filter(group=OuterRef("pk"), user=user)),
        _helps_in_network(user, OuterRef("network")),
    )


def visible_groups(user) -> QuerySet[SupervisionGroup]:
    if not user.is_authenticated:
        return SupervisionGroup.objects.none()
    return SupervisionGroup.objects.filter(
        Q(pk__in=member_groups(user).values("pk")) | Q(network__in=coordinated(user))
    ).select_related("network")


def coordinates(user, group: SupervisionGroup) -> bool:
    return coordinated(user).filter(pk=group.network_id).exists()


def group_for(user, pk: int) -> SupervisionGroup:
    group = visible_groups(user).filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def coordinated_group(user, pk: int) -> SupervisionGroup:
    """A group of a network this user coordinates (the coordinator's pages)."""
    group = (
        SupervisionGroup.objects.filter(pk=pk, network__in=coordinated(user))
        .select_related("network")
        .first()
    )
    if group is None:
        raise Http404
    return group


def in_network() -> Exists:
    """Cases whose client's service is an active member of their group's network."""
    return _active_member(OuterRef("group__network"), OuterRef("episode__service"))


def cases_of(group: SupervisionGroup) -> QuerySet[SharedCase]:
    return SharedCase.objects.filter(in_network(), group=group)


def case_for(user, pk: int) -> SharedCase:
    case = (
        SharedCase.objects.filter(in_network(), pk=pk, group__in=visible_groups(user))
        .select_related("group__network", "episode__client", "episode__service", "shared_by")
        .first()
    )
    if case is None:
        raise Http404
    return case


def may_share_from(user, client_pk: int, episode_pk: int) -> tuple[Client, Episode]:
    """The client and episode a helper shares from their client page; 404 for anyone else."""
    client = client_access.client_for(user, client_pk)
    episode = client_access.episode_for(user, client, episode_pk)
    if not client_access.helper_memberships(user).filter(service=episode.service_id).exists():
        raise Http404
    return client, episode


def shareable_groups(user, episode: Episode) -> QuerySet[SupervisionGroup]:
    """The user's groups in networks the episode's service is an active member of."""
    return (
        member_groups(user)
        .filter(_active_member(OuterRef("network"), episode.service_id))
        .select_related("network")
        .order_by("network__name", "name")
    )


def may_withdraw(user, case: SharedCase) -> bool:
    if not user.is_authenticated:
        return False
    if case.shared_by_id == user.pk:
        return True
    return client_access.visible_episodes(user).filter(pk=case.episode_id).exists()


def withdrawable_case(user, pk: int) -> SharedCase:
    case = (
        SharedCase.objects.filter(pk=pk)
        .select_related("group__network", "episode__client", "episode__service")
        .first()
    )
    if case is None or not may_withdraw(user, case):
        raise Http404
    return case


def helps_in_a_network(user) -> bool:
    """Whether the user is a helper in a service that is an active member of any network: only
    then can a client of theirs be shared, or their client page list shared cases."""
    helping_in = Membership.objects.filter(user=user, role=Role.HELPER).values("service")
    return NetworkMember.objects.active().filter(service__in=helping_in).exists()


def eligible_helpers(group: SupervisionGroup) -> QuerySet[Membership]:
    """Helper memberships in the network's active member services of active users who are not
    in the group yet: whom its coordinator may add."""
    return (
        Membership.objects.filter(
            role=Role.HELPER,
            user__is_active=True,
            service__in=NetworkMember.objects.active()
            .filter(network=group.network_id)
            .values("service"),
        )
        .exclude(user__in=GroupMember.objects.filter(group=group).values("user"))
        .select_related("user", "service")
        .order_by("user__first_name", "user__last_name", "user__username", "service__name")
    )
