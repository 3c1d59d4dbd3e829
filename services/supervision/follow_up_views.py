"""The helper's one click on the client page: this signal was talked about with the client.

Asked of `services.clients.access` like every action on the client page (a 404 for anyone who
may not see the client). Only a signal the episode raises now can be followed up, and it is
noted at the episode's latest session: that is what the follow-up indicator counts
(`followed_up`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.clients import access
from services.clients.progress import load_rules, signals_for
from services.clients.views import episode_url
from services.measures.signals import TITLES, Signal
from services.ratings.series import episode_series

from . import records
from .forms import FollowUpForm
from .records import followable


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client = access.client_for(request.user, pk)
    episode = access.episode_for(request.user, client, episode_pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid() or not episode.is_open:
        return HttpResponse(_("Choose a signal the episode raises now."), status=400)
    series = episode_series([episode.pk])[episode.pk]
    raised = followable(signals_for(series, episode.service_id, load_rules([episode.service_id])))
    signal = form.cleaned_data["signal"]
    if signal not in raised:
        return HttpResponse(_("Choose a signal the episode raises now."), status=400)
    noted = records.record_follow_up(
        client,
        episode,
        signal=signal,
        session_id=series[-1].session_id,
        note=form.cleaned_data["note"],
        request=request,
    )
    title = TITLES[Signal(signal)]
    if noted is None:
        messages.info(
            request, _("“%(signal)s” is noted already for this session.") % {"signal": title}
        )
    else:
        messages.success(
            request, _("“%(signal)s” is noted as talked about with the client.") % {"signal": title}
        )
    return redirect(episode_url(episode))
