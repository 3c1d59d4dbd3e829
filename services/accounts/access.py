"""Which services a user administers or leads: the basis of every admin and leader page."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Membership, Role, Service, User


def helpers_of(service: Service) -> QuerySet[User]:
    """The service's active helpers, by name: whom supervision may look at, and whom the API
    may name as a client's or a session's helper."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(service=service, role=Role.HELPER).values("user"),
    ).order_by("first_name", "last_name", "username")


def administered_services(user) -> QuerySet[Service]:
    if not user.is_authenticated:
        return Service.objects.none()
    return Service.objects.filter(
        memberships__user=user, memberships__role=Role.ADMINISTRATOR
    ).distinct()


def require_administrator(user) -> QuerySet[Service]:
    """The user's administered services; a 404 for anyone who administers none."""
    services = administered_services(user)
    if not services.exists():
        raise Http404
    return services


def is_administrator(user) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()
    )


def is_platform_operator(user) -> bool:
    """Runs the installation: an active superuser who is a member of no service.

    A superuser who also works in a service would carry every service's data into that work,
    so such a user is refused in the Django admin as well.
    """
    return (
        user.is_authenticated
        and user.is_active
        and user.is_superuser
        and not Membership.objects.filter(user=user).exists()
    )
