"""Supervision (veiledning): a supervisor picks a helper, looks at the helper's clients whose
signals call for it, by client code and chart, and notes each client discussed.

Thin: `access` decides what may be seen (a 404 for anything else), `records` writes, and every
page that shows a client, and the chart itself, writes the access log.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.audit import log
from services.audit.models import Action
from services.clients.caseload import up_to_date
from services.clients.views import _episode_progress
from services.dashboards.models import EpisodeSummary

from . import access, records
from .forms import DiscussionForm
from .models import Discussion

CHART_SIZES = ("tablet", "phone")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    services = list(access.supervised_services(request.user))
    if not services:
        raise Http404
    if len(services) == 1:
        return redirect("supervision:service", code=services[0].code)
    return render(request, "supervision/index.html", {"services": services})


@login_required
def service_page(request: HttpRequest, code: str) -> HttpResponse:
    """The service's helpers, each with how many of their clients call for supervision."""
    service = access.service_for(request.user, code)
    up_to_date([service.pk])
    helpers = list(access.helpers_of(service))
    counted = dict(
        EpisodeSummary.objects.filter(access.needs_supervision(), service=service)
        .filter(episode__helpers__in=[helper.pk for helper in helpers])
        .values_list("episode__helpers")
        .annotate(clients=Count("client", distinct=True))
        .order_by()
    )
    rows = [(helper, counted.get(helper.pk, 0)) for helper in helpers]
    return render(request, "supervision/service.html", {"service": service, "rows": rows})


def _helper_page(request, service, helper, *, failed=None, status=200) -> HttpResponse:
    up_to_date([service.pk])
    rows = list(access.flagged(service, helper))
    earlier = defaultdict(list)
    for discussion in Discussion.objects.filter(
        episode_id__in=[row.episode_id for row in rows]
    ).select_related("supervisor"):
        earlier[discussion.episode_id].append(discussion)
    log.record_clients(
        request, [(row.client_id, row.service_id) for row in rows], detail="supervision"
    )
    log.record(Action.VIEW, obj=helper, service=service, request=request, detail="supervision")
    failed_id, failed_form = failed or (None, None)
    clients = [
        {
            "summary": row,
            "discussions": earlier[row.episode_id],
            "form": failed_form if row.episode_id == failed_id else DiscussionForm(),
            "chart": reverse("supervision:chart", args=[service.code, helper.pk, row.episode_id]),
        }
        for row in rows
    ]
    context = {"service": service, "helper": helper, "clients": clients}
    return render(request, "supervision/helper.html", context, status=status)


@login_required
def helper_page(request: HttpRequest, code: str, helper_id: int) -> HttpResponse:
    service = access.service_for(request.user, code)
    helper = access.helper_for(service, helper_id)
    return _helper_page(request, service, helper)


@login_required
def chart(request: HttpRequest, code: str, helper_id: int, episode_id: int) -> HttpResponse:
    """The client's progress chart as the helper sees it (the client page's own drawing), for
    an episode on the supervision page only: a picture with the client's code and no name."""
    service = access.service_for(request.user, code)
    helper = access.helper_for(service, helper_id)
    up_to_date([service.pk])
    summary = access.flagged_episode(service, helper, episode_id)
    size = request.GET.get("size", "tablet")
    if size not in CHART_SIZES:
        raise Http404
    svg = _episode_progress(summary.client, summary.episode).chart("helper", size=size)
    log.record(
        Action.VIEW,
        obj=summary.client,
        client=summary.client,
        service=service,
        request=request,
        detail="supervision chart",
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def discuss(request: HttpRequest, code: str, helper_id: int, episode_id: int) -> HttpResponse:
    service = access.service_for(request.user, code)
    helper = access.helper_for(service, helper_id)
    up_to_date([service.pk])
    summary = access.flagged_episode(service, helper, episode_id)
    form = DiscussionForm(request.POST, episode=summary.episode)
    if not form.is_valid():
        return _helper_page(request, service, helper, failed=(episode_id, form), status=400)
    records.record_discussion(
        summary, service=service, helper=helper, request=request, **form.cleaned_data
    )
    messages.success(
        request,
        _("%(code)s is noted as discussed in supervision.") % {"code": summary.client.code},
    )
    url = reverse("supervision:helper", args=[service.code, helper.pk])
    return redirect(f"{url}#client-{summary.episode_id}")
