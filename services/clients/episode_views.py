"""Changing an episode: a session on an earlier date, reopening a closed episode, a new episode
for a returning client, and who is responsible.

One page (`episode_changes`) holds the forms, linked from the client's page, so the client's
page itself costs no more queries; each change is a POST of its own. Each asks `access` for the
client and the episode, as every client page does, and only helpers of the client's service may
change anything (a leader granted the right to see clients only looks). A refusal shows the
page again with the reason and a 400.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from services.audit import log
from services.audit.models import Action
from services.sessions.recording import SessionError, register_session

from . import access
from .episodes import (
    EpisodeError,
    change_responsible,
    open_next_episode,
    reopen_episode,
    service_helpers,
)
from .forms import NewEpisodeForm, PastSessionForm, ResponsibleForm
from .models import Episode
from .views import _episodes, episode_url


def helper_membership(user, client):
    """The user's helper membership in the client's service: who may correct. 404 without."""
    membership = access.helper_memberships(user).filter(service_id=client.service_id).first()
    if membership is None:
        raise Http404
    return membership


def _client_and_episode(request, pk: int, episode_pk: int):
    client = access.client_for(request.user, pk)
    helper_membership(request.user, client)
    return client, access.episode_for(request.user, client, episode_pk)


def _page(request, client, episode: Episode, *, status: int = 200, **forms) -> HttpResponse:
    """The episode's changes; `forms` are bound forms with errors, shown open."""
    helpers = service_helpers(episode.service)
    responsible = list(episode.helpers.all())
    others = client.episodes.exclude(pk=episode.pk)
    open_elsewhere = others.filter(end_date__isnull=True).exists()
    log.record(Action.VIEW, obj=client, client=client, request=request, detail="episode changes")
    context = {
        "client": client,
        "episode": episode,
        "responsible": responsible,
        "past_session_form": forms.get("past_session_form") or PastSessionForm(episode=episode),
        "new_episode_form": forms.get("new_episode_form") or NewEpisodeForm(),
        "responsible_form": forms.get("responsible_form")
        or ResponsibleForm(
            episode=episode,
            helpers=helpers,
            initial={"helpers": [user.pk for user in responsible], "team": episode.team_id},
        ),
        "may_reopen": not episode.is_open
        and not open_elsewhere
        and not others.filter(start_date__gt=episode.start_date).exists(),
        "may_open_new": not episode.is_open and not open_elsewhere,
    }
    return render(request, "clients/episode_changes.html", context, status=status)


def _refused(request, client, episode, message: str | None = None, **forms) -> HttpResponse:
    if message:
        messages.error(request, message)
    return _page(request, client, episode, status=400, **forms)


@login_required
@require_GET
def episode_changes(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client, episode = _client_and_episode(request, pk, episode_pk)
    return _page(request, client, episode)


@login_required
@require_POST
def past_session(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client, episode = _client_and_episode(request, pk, episode_pk)
    form = PastSessionForm(request.POST, episode=episode)
    if not form.is_valid():
        return _refused(request, client, episode, past_session_form=form)
    try:
        session = register_session(
            episode,
            date=form.cleaned_data["date"],
            helper=request.user,
            kind=form.cleaned_data["kind"],
            request=request,
        )
    except SessionError as error:
        form.add_error("date", error.message)
        return _refused(request, client, episode, past_session_form=form)
    date = formats.date_format(session.date, "SHORT_DATE_FORMAT")
    messages.success(
        request,
        _("Session %(number)d on %(date)s is registered.")
        % {"number": session.number, "date": date},
    )
    return redirect(episode_url(episode))


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client, episode = _client_and_episode(request, pk, episode_pk)
    try:
        reopen_episode(episode, request=request)
    except EpisodeError as error:
        return _refused(request, client, episode, error.message)
    messages.success(request, _("The episode is open again."))
    return redirect(episode_url(episode))


@login_required
@require_POST
def new_episode(request: HttpRequest, pk: int) -> HttpResponse:
    client = access.client_for(request.user, pk)
    membership = helper_membership(request.user, client)
    episode = _episodes(request, client)[0]
    form = NewEpisodeForm(request.POST)
    if not form.is_valid():
        return _refused(request, client, episode, new_episode_form=form)
    try:
        opened = open_next_episode(
            client, membership, start_date=form.cleaned_data["start_date"], request=request
        )
    except EpisodeError as error:
        if error.field is None:  # an open episode meanwhile: the page says so
            return _refused(request, client, episode, error.message)
        form.add_error(error.field, error.message)
        return _refused(request, client, episode, new_episode_form=form)
    messages.success(request, _("A new episode is open."))
    return redirect(episode_url(opened))


@login_required
@require_POST
def responsible(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client, episode = _client_and_episode(request, pk, episode_pk)
    form = ResponsibleForm(request.POST, episode=episode, helpers=service_helpers(episode.service))
    if not form.is_valid():
        return _refused(request, client, episode, responsible_form=form)
    try:
        change_responsible(episode, **form.cleaned_data, request=request)
    except EpisodeError as error:
        form.add_error(None, error.message)
        return _refused(request, client, episode, responsible_form=form)
    if not access.visible_episodes(request.user).filter(pk=episode.pk).exists():
        messages.success(request, _("The episode is handed over."))
        return redirect("clients:caseload")
    messages.success(request, _("Who is responsible is saved."))
    return redirect(episode_url(episode))
