"""The leader's page of clients' comments: the dashboard's access rules, period and audit.

Who may open it is the dashboard's question (`services.dashboards.access`): the service's
leaders and administrators, a service they do not lead being a 404. What it shows is
`listing`'s: words by month, five or more, never who wrote them.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from services.audit import log
from services.audit.models import Action
from services.dashboards import access
from services.dashboards.suppression import MINIMUM
from services.dashboards.views import period_picker, requested_period

from .listing import listing


@login_required
def leader_comments(request: HttpRequest, code: str) -> HttpResponse:
    service = access.service_for(request.user, code)
    team = access.team_for(service, request.GET.get("team"))
    period = requested_period(request)
    shown = listing(service.pk, period, team.pk if team else None)
    whose = f" team={team.pk} ({team.name})" if team else ""
    log.record(
        Action.VIEW,
        service=service,
        request=request,
        detail=f"clients' comments {shown.start.isoformat()}..{shown.end.isoformat()}{whose}",
    )
    query = {k: v for k, v in request.GET.items() if k in ("period", "from", "to", "team") and v}
    context = {
        "service": service,
        "team": team,
        "listing": shown,
        "minimum": MINIMUM,
        "dashboard_query": urlencode(query),
        **period_picker(request),
    }
    return render(request, "comments/leader.html", context)
