"""The goals page of one episode, and its three changes: a new goal, a change to one goal
(reached, dropped, new wording), and one session's scores.

Asked of `services.clients.access` like the client page: a 404 for anyone who may not see the
client, and only helpers of the client's service may change anything (a leader allowed to see
clients only looks). Every read and write is in the access log. A refusal shows the page again
with the reason and a 400, and nothing is half saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from services.audit import log
from services.audit.models import Action
from services.clients import access
from services.clients.episode_views import helper_membership
from services.clients.views import episode_url

from .forms import GoalChangeForm, NewGoalForm, ScoresForm
from .models import MAX_OPEN_GOALS, Goal, GoalStatus
from .reading import episode_goals, open_goals, score_table
from .records import CHANGED_MEANWHILE, GoalError, add_goal, close_goal, record_scores, reword_goal

DONE = {
    GoalStatus.REACHED.value: gettext_lazy("The goal is marked as reached."),
    GoalStatus.DROPPED.value: gettext_lazy("The goal is marked as dropped."),
}


def goals_url(episode) -> str:
    return reverse("goals:goals", args=[episode.client_id, episode.pk])


def _sessions(episode) -> list:
    return list(episode.sessions.order_by("-number"))


def _scores_form(data, sessions, goals) -> ScoresForm:
    return ScoresForm(data, sessions=sessions, goals=goals, auto_id="scores_%s")


def _change_form(goal, data=None) -> GoalChangeForm:
    return GoalChangeForm(
        data,
        earliest=goal.created_on,
        initial={"goal": goal.pk},
        auto_id=f"goal{goal.pk}_%s",
    )


def _page(request, client, episode, *, status=200, message=None, **forms) -> HttpResponse:
    """The page; `forms` are bound forms with errors, shown instead of empty ones."""
    goals = episode_goals(episode.pk)
    opened = open_goals(goals)
    sessions = _sessions(episode)
    may_change = access.helper_memberships(request.user).filter(service=client.service_id)
    log.record(Action.VIEW, obj=client, client=client, request=request, detail="goals page")
    if message:
        messages.error(request, message)
    bound_pk, bound_form = forms.get("change_form") or (None, None)
    context = {
        "client": client,
        "episode": episode,
        "goals": goals,
        "closed": [goal for goal in goals if not goal.is_open],
        "changes": [
            (goal, bound_form if goal.pk == bound_pk else _change_form(goal)) for goal in opened
        ],
        "table": score_table(goals),
        "may_change": episode.is_open and may_change.exists(),
        "may_add": len(opened) < MAX_OPEN_GOALS,
        "max_goals": MAX_OPEN_GOALS,
        "new_goal_form": forms.get("new_goal_form")
        or NewGoalForm(earliest=episode.start_date, auto_id="new_%s"),
        "scores_form": forms.get("scores_form") or _scores_form(None, sessions, opened),
        "sessions": sessions,
    }
    return render(request, "goals/goals.html", context, status=status)


def _refused(request, client, episode, message=None, **forms) -> HttpResponse:
    return _page(request, client, episode, status=400, message=message, **forms)


def _client_and_episode(request, pk: int, episode_pk: int):
    client = access.client_for(request.user, pk)
    return client, access.episode_for(request.user, client, episode_pk)


def _writable(request, pk: int, episode_pk: int):
    """The client and episode for a change: the service's helpers only (404 otherwise)."""
    client, episode = _client_and_episode(request, pk, episode_pk)
    helper_membership(request.user, client)
    return client, episode


def _back(request, episode) -> HttpResponse:
    """Back where the form was: the client page's own form, or the goals page."""
    if request.POST.get("back") == "client":
        return redirect(episode_url(episode))
    return redirect(goals_url(episode))


@login_required
@require_GET
def goals(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client, episode = _client_and_episode(request, pk, episode_pk)
    return _page(request, client, episode)


@login_required
@require_POST
def add(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client, episode = _writable(request, pk, episode_pk)
    if not episode.is_open:
        return _refused(request, client, episode, _("The episode is closed."))
    form = NewGoalForm(request.POST, earliest=episode.start_date, auto_id="new_%s")
    if not form.is_valid():
        return _refused(request, client, episode, new_goal_form=form)
    try:
        add_goal(
            client,
            episode,
            text=form.cleaned_data["text"],
            created_on=form.cleaned_data["date"],
            request=request,
        )
    except GoalError as error:
        return _refused(request, client, episode, error.message, new_goal_form=form)
    messages.success(request, _("The goal is added."))
    return _back(request, episode)


@login_required
@require_POST
def change(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client, episode = _writable(request, pk, episode_pk)
    if not episode.is_open:
        return _refused(request, client, episode, _("The episode is closed."))
    goal_id = request.POST.get("goal", "")
    goal = (
        Goal.objects.filter(episode=episode, pk=goal_id).select_related("episode").first()
        if goal_id.isdigit()
        else None
    )
    if goal is None:
        return _refused(request, client, episode, _("Choose one of this episode's goals."))
    if not goal.is_open:
        return _refused(request, client, episode, CHANGED_MEANWHILE)
    form = _change_form(goal, request.POST)
    if not form.is_valid():
        return _refused(request, client, episode, change_form=(goal.pk, form))
    action, day = form.cleaned_data["action"], form.cleaned_data["date"]
    text = form.cleaned_data["text"]
    if action == GoalStatus.CHANGED and text == goal.text:
        form.add_error("text", _("The new wording is the same as the old one."))
        return _refused(request, client, episode, change_form=(goal.pk, form))
    try:
        if action == GoalStatus.CHANGED:
            reword_goal(client, goal, text=text, on=day, request=request)
        else:
            close_goal(client, goal, status=action, on=day, request=request)
    except GoalError as error:
        return _refused(request, client, episode, error.message)
    if action == GoalStatus.CHANGED:
        messages.success(request, _("The new wording is saved. The old one is kept below."))
    else:
        messages.success(request, DONE[action])
    return redirect(goals_url(episode))


@login_required
@require_POST
def scores(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    client, episode = _writable(request, pk, episode_pk)
    if not episode.is_open:
        return _refused(request, client, episode, _("The episode is closed."))
    sessions, opened = _sessions(episode), open_goals(episode_goals(episode.pk))
    if not sessions:
        return _refused(request, client, episode, _("Register a session first."))
    if not opened:
        return _refused(request, client, episode, _("Write down a goal first."))
    form = _scores_form(request.POST, sessions, opened)
    if not form.is_valid():
        return _refused(request, client, episode, scores_form=form)
    session = next(s for s in sessions if s.pk == form.cleaned_data["session"])
    try:
        saved = record_scores(
            client,
            session,
            form.scores(),
            submission_key=form.cleaned_data["submission_key"],
            request=request,
        )
    except GoalError as error:
        return _refused(request, client, episode, error.message, scores_form=form)
    if saved:
        messages.success(
            request,
            _("The scores for session %(number)d are saved.") % {"number": session.number},
        )
    else:
        messages.info(request, _("These scores were saved already."))
    return redirect(goals_url(episode))
