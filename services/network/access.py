"""Who sees a network: its coordinators its figures, member services' leaders the benchmark,
member services' administrators its invitation. Anything else is a 404."""

from django.http import Http404

from services.accounts.models import Service

from .models import Network, NetworkMember


def coordinated(user):
    return Network.objects.filter(coordinators__user=user, coordinators__user__is_active=True)


def network_for(user, code: str) -> Network:
    network = coordinated(user).filter(code=code).first()
    if network is None:
        raise Http404
    return network


def member_services(network: Network) -> list[Service]:
    """The services that accepted and have not left, in a fixed order."""
    return list(
        Service.objects.filter(
            network_memberships__in=NetworkMember.objects.active().filter(network=network)
        ).order_by("name", "pk")
    )


def networks_of(service: Service) -> list[Network]:
    return list(
        Network.objects.filter(
            members__in=NetworkMember.objects.active().filter(service=service)
        ).order_by("name")
    )
