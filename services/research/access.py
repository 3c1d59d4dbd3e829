"""Who may open the research pages of a service: its leaders, and nobody else.

The issue puts the approval of a research data set with the service's leader, who answers for
what the service gives out. Administrators run the staff and settings, helpers work with
clients; neither has a part here. Anyone else, and any service the user does not lead, gets a
404, so a guessed code or project number does not reveal that it exists.
"""

from django.db.models import QuerySet
from django.http import Http404

from services.accounts.models import Membership, Role, Service

from .models import ResearchProject


def research_services(user) -> QuerySet[Service]:
    """The services whose research data sets this user may approve and download."""
    if not user.is_authenticated:
        return Service.objects.none()
    return Service.objects.filter(
        pk__in=Membership.objects.filter(user=user, role=Role.LEADER).values("service")
    ).order_by("name")


def service_for(user, code: str) -> Service:
    service = research_services(user).filter(code=code).first()
    if service is None:
        raise Http404
    return service


def project_for(service: Service, project_id: int) -> ResearchProject:
    project = (
        ResearchProject.objects.filter(service=service, pk=project_id)
        .select_related("service", "created_by", "approved_by")
        .first()
    )
    if project is None:
        raise Http404
    return project
