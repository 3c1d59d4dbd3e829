"""Who may open which dashboard: every dashboard view asks here, and nowhere else.

A leader or an administrator of a service sees its dashboards; nobody else does, and a service
they do not lead is a 404, so a guessed code does not even reveal that the service exists.
Teams and helpers are looked up within that service only, and helpers only where the service
allows helper-level comparison.
"""

from django.db.models import QuerySet
from django.http import Http404

from services.accounts.models import Membership, Role, Service, Team, User

DASHBOARD_ROLES = (Role.LEADER, Role.ADMINISTRATOR)


def dashboard_services(user) -> QuerySet[Service]:
    """The services whose dashboards this user may open."""
    if not user.is_authenticated:
        return Service.objects.none()
    return Service.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=DASHBOARD_ROLES).values("service")
    ).order_by("name")


def service_for(user, code: str) -> Service:
    service = dashboard_services(user).filter(code=code).first()
    if service is None:
        raise Http404
    return service


def team_for(service: Service, team_id: str | int | None) -> Team | None:
    """The team of this service named in the request, None for none; 404 for anything else."""
    if team_id in (None, ""):
        return None
    if not str(team_id).isdigit():
        raise Http404
    team = Team.objects.filter(service=service, pk=int(team_id)).first()
    if team is None:
        raise Http404
    return team


def helper_for(service: Service, helper_id: str | int | None) -> User | None:
    """A helper of this service, if the service allows helper comparison; 404 otherwise."""
    if helper_id in (None, ""):
        return None
    if not service.helper_comparison or not str(helper_id).isdigit():
        raise Http404
    helper = User.objects.filter(
        pk=int(helper_id),
        memberships__service=service,
        memberships__role=Role.HELPER,
    ).first()
    if helper is None:
        raise Http404
    return helper
