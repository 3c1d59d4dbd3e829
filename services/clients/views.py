"""Helpers' pages: the caseload, a client's page, registering a client, sessions, closing."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from services.accounts.models import Role
from services.audit import log
from services.audit.models import Action
from services.charts.cache import cached_chart
from services.charts.client import client_chart
from services.charts.data import ChartData
from services.charts.items import items_chart
from services.charts.progress import progress_chart
from services.goals.chart import goals_summary, with_goals
from services.goals.progress import goal_progress
from services.goals.reading import episode_goals
from services.measures.signals import EXPLANATIONS, TITLES, Signal
from services.measures.templatetags.measures import score
from services.ratings.corrections import has_corrections
from services.ratings.models import Rating
from services.ratings.series import collateral_from, collateral_ratings, episode_series
from services.sessions.recording import todays_session

from . import access
from .caseload import caseload as caseload_summaries
from .caseload_table import rows_html
from .episodes import change_age, close_episode, register_client
from .final_outcome import FinalOutcome, final_outcome
from .forms import ClientAgeForm, CloseEpisodeForm, NewClientForm
from .models import Consent
from .privacy import record_consent
from .progress import chart_data, load_rules, model_version, signals_for
from .signal_details import details_for

PAGE_SIZE = 50


def _require_client_lister(request: HttpRequest) -> None:
    if not access.may_list_clients(request.user):
        raise Http404


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    memberships = access.listing_memberships(request.user)
    if not memberships:
        raise Http404
    helping = [m for m in memberships if m.role == Role.HELPER]
    team = request.GET.get("team", "")
    sort = request.GET.get("sort", "signals")
    signal = request.GET.get("signal", "")
    rows = caseload_summaries(
        request.user,
        memberships,
        team=int(team) if team.isdigit() else None,
        sort=sort,
        signal=signal,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    log.record_clients(
        request,
        [(row.client_id, row.service_id) for row in page.object_list],
        detail="caseload",
    )
    return render(
        request,
        "clients/caseload.html",
        {
            "page": page,
            # One more query, for this page's rows only (issue #17).
            "rows": rows_html(page, goal_progress(row.episode_id for row in page.object_list)),
            "sort": sort,
            "team": team,
            "signal": signal,
            "signal_choices": [(key.value, TITLES[key]) for key in Signal],
            "teams": sorted({m.team for m in helping if m.team}, key=lambda t: t.name),
            "can_add": bool(helping),
        },
    )


CHARTS = {"helper": progress_chart, "client": client_chart, "items": items_chart}


@dataclass(frozen=True)
class EpisodeProgress:
    """One episode's records, signals and chart data, read once per request."""

    records: list
    signals: tuple
    data: ChartData
    model_version: str
    details: dict  # which rule raised each signal, with its numbers
    outcome: FinalOutcome | None = None  # a closed episode's category, instead of signals

    def chart(self, view: str, fmt: str = "svg", size: str = "tablet") -> bytes:
        """The chosen chart, from the cache when the same data was drawn before."""
        return cached_chart(
            CHARTS[view],
            self.data,
            model_version=self.model_version,
            language=get_language() or "nb",
            fmt=fmt,
            size=size,
        )


def _episode_progress(
    client, episode, ratings: list[Rating] | None = None, goals: list | None = None
) -> EpisodeProgress:
    """`ratings` and `goals`, when the page has read them already, give the collateral raters'
    lines and the client's goals without another query."""
    records = episode_series([episode.pk])[episode.pk]
    rules = load_rules([episode.service_id])
    # Signals prompt the next session; a closed episode has none, only its final category.
    signals = signals_for(records, episode.service_id, rules) if episode.is_open else ()
    collateral = collateral_ratings(episode.pk) if ratings is None else collateral_from(ratings)
    data = chart_data(records, episode.service_id, rules, signals, collateral)
    data = with_goals(data, episode_goals(episode.pk) if goals is None else goals)
    return EpisodeProgress(
        records,
        signals,
        data,
        model_version(records, episode.service_id, rules),
        details_for(records, episode.service_id, rules, signals),
        None if episode.is_open else final_outcome(records, rules.forms),
    )


def _client_page(request, client, episode, episodes, *, close_form=None, age_form=None, status=200):
    view = request.GET.get("view", "helper")
    view = view if view in CHARTS else "helper"
    ratings = list(
        Rating.objects.filter(session__episode=episode)
        .select_related("session", "instrument", "comment")  # the client's words (issue #17)
        .order_by("session__number", "purpose", "rater")
    )
    goals = episode_goals(episode.pk)  # for the chart and the goals part alike: one query
    progress = _episode_progress(client, episode, ratings, goals)
    records, signals = progress.records, progress.signals
    log.record(Action.VIEW, obj=client, client=client, request=request)
    context = {
        "client": client,
        "episode": episode,
        "episodes": episodes,
        "records": records,
        "ratings": ratings,
        # SVG drawn by our own chart module from our own data.
        "chart": mark_safe(progress.chart(view).decode()),
        "phone_chart": mark_safe(progress.chart(view, size="phone").decode()),
        "chart_view": view,
        "signals": [
            (key.value, TITLES[key], EXPLANATIONS[key], progress.details.get(key, ""))
            for key in signals
        ],
        "summary": chart_summary(records, signals, progress.data),
        "episode_goal_views": goals,
        "outcome": progress.outcome,
        "close_form": close_form or CloseEpisodeForm(episode=episode),
        "age_form": age_form
        or ClientAgeForm(
            initial={
                "age_group": client.age_group,
                "birth_year": client.birth_year,
                "birth_month": client.birth_month,
            }
        ),
        "today": timezone.localdate(),
    }
    return render(request, "clients/client_detail.html", context, status=status)


def chart_summary(records, signals, data: ChartData | None = None) -> str:
    """A short text alternative for the chart, with the client's goals when it draws them; the
    sessions table below holds the data."""
    scores = [r.ors for r in records if r.ors is not None]
    if not scores:
        return _("No outcome ratings yet.")
    text = _("%(count)d outcome ratings, first %(first)s, latest %(latest)s.") % {
        "count": len(scores),
        "first": score(scores[0]),
        "latest": score(scores[-1]),
    }
    if signals:
        text += " " + _("Signals: %(signals)s.") % {
            "signals": ", ".join(str(TITLES[key]) for key in signals)
        }
    goals = goals_summary(data) if data is not None else ""
    return f"{text} {goals}" if goals else text


@login_required
def chart_png(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    """The chart as a PNG file to download, e.g. for the record system."""
    client = access.client_for(request.user, pk)
    episode = access.episode_for(request.user, client, episode_pk)
    view = request.GET.get("view", "helper")
    if view not in CHARTS:
        raise Http404
    png = _episode_progress(client, episode).chart(view, fmt="png")
    log.record(Action.VIEW, obj=client, client=client, request=request, detail=f"chart {view}")
    response = HttpResponse(png, content_type="image/png")
    name = f"{client.code}-{episode.code}-{view}.png"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _episodes(request, client):
    episodes = list(
        access.visible_episodes(request.user)
        .filter(client=client)
        .annotate(corrected=has_corrections())  # the page reads a history only where there is one
        .order_by("-start_date", "-pk")
    )
    for episode in episodes:
        episode.client = client  # read once already: the page's parts need not read it again
    return episodes


@login_required
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = access.client_for(request.user, pk)
    episodes = _episodes(request, client)
    chosen = request.GET.get("episode", "")
    episode = next((e for e in episodes if str(e.pk) == chosen), episodes[0])
    return _client_page(request, client, episode, episodes)


@login_required
def new_client(request: HttpRequest) -> HttpResponse:
    memberships = list(access.services_to_add_clients(request.user))
    if not memberships:
        raise Http404
    membership = next(
        (m for m in memberships if str(m.service_id) == request.POST.get("service")),
        memberships[0],
    )
    form = NewClientForm(request.POST or None, service=membership.service, user=request.user)
    if request.method == "POST" and form.is_valid():
        episode = register_client(membership, **form.cleaned_data, request=request)
        messages.success(request, _("The client is registered."))
        return redirect("clients:detail", pk=episode.client_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "clients/new_client.html",
        {"form": form, "memberships": memberships},
        status=status,
    )


@login_required
@require_POST
def new_session(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client = access.client_for(request.user, pk)
    episode = access.episode_for(request.user, client, episode_pk)
    if not episode.is_open:
        messages.error(request, _("The episode is closed."))
    else:
        session, created = todays_session(episode, helper=request.user, request=request)
        if created:
            messages.success(
                request,
                _("Session %(number)d is registered for today.") % {"number": session.number},
            )
        else:
            messages.info(
                request,
                _("Session %(number)d is registered for today already.")
                % {"number": session.number},
            )
    return redirect(episode_url(episode))


@login_required
@require_POST
def close(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client = access.client_for(request.user, pk)
    episode = access.episode_for(request.user, client, episode_pk)
    if not episode.is_open:
        messages.error(request, _("The episode is already closed."))
        return redirect(episode_url(episode))
    form = CloseEpisodeForm(request.POST, episode=episode)
    if not form.is_valid():
        episodes = _episodes(request, client)
        return _client_page(request, client, episode, episodes, close_form=form, status=400)
    close_episode(episode, **form.cleaned_data, request=request)
    messages.success(request, _("The episode is closed."))
    return redirect(episode_url(episode))


@login_required
@require_POST
def change_client_age(request: HttpRequest, pk: int) -> HttpResponse:
    client = access.client_for(request.user, pk)
    form = ClientAgeForm(request.POST)
    if not form.is_valid():
        episodes = _episodes(request, client)
        return _client_page(request, client, episodes[0], episodes, age_form=form, status=400)
    change_age(client, **form.cleaned_data, request=request)
    messages.success(request, _("The age group is saved."))
    return redirect("clients:detail", pk=client.pk)


def episode_url(episode) -> str:
    return f"{reverse('clients:detail', args=[episode.client_id])}?episode={episode.pk}"


@login_required
@require_POST
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    """Record whether the client agrees to feedback being collected; no means no rating."""
    client = access.client_for(request.user, pk)
    value = request.POST.get("consent", "")
    if value not in (Consent.GIVEN, Consent.DECLINED):
        return HttpResponse(_("Choose whether the client agreed or declined."), status=400)
    record_consent(client, value, user=request.user, request=request)
    messages.success(request, _("The client's answer is recorded."))
    return redirect("clients:detail", pk=client.pk)
