"""Two ways a client's progress leaves the helper's page: shown to the client on the whole
screen ("Vis klienten"), and as a summary PDF for the record system.

Both are reads of one client's data, asked of `access` like the client page (a 404 for anyone
who may not see the client) and written to the access log: the full-screen view as a view,
the PDF as an export.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from services.audit import log
from services.audit.models import Action

from . import access
from .summary_pdf import file_name, summary_for, summary_pdf
from .views import _episode_progress, chart_summary, episode_url


@login_required
def show_client(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    """The client's own chart alone on the screen: no staff menu, no tables, large type, and
    one tap (or Escape, or the browser's back button) back to the client page."""
    client = access.client_for(request.user, pk)
    episode = access.episode_for(request.user, client, episode_pk)
    progress = _episode_progress(client, episode)
    log.record(Action.VIEW, obj=client, client=client, request=request, detail="client view")
    return render(
        request,
        "clients/show_client.html",
        {
            # SVG drawn by our own chart module from our own data.
            "chart": mark_safe(progress.chart("client").decode()),
            "phone_chart": mark_safe(progress.chart("client", size="phone").decode()),
            "summary": chart_summary(progress.records, ()),
            "back": episode_url(episode),
        },
    )


@login_required
def summary(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    """The episode's summary as a PDF to attach to the client's journal (code only, no name)."""
    client = access.client_for(request.user, pk)
    episode = access.episode_for(request.user, client, episode_pk)
    content = summary_for(client, episode, _episode_progress(client, episode), timezone.localdate())
    log.record(
        Action.EXPORT,
        obj=client,
        client=client,
        request=request,
        detail=f"summary pdf {episode.code}",
    )
    response = HttpResponse(summary_pdf(content), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, file_name(content))
    return response
