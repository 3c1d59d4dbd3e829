"""Issue #17 on the pages: the client page's charts and the thank-you curve draw the client's
scored goals from the database, a new score or status draws a new chart (the cache is keyed by
the data), the goals cost no query of their own on the client page, and only those who may see
the chart see the client's words in it."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from services.clients.views import _episode_progress
from services.goals.models import Goal, GoalMethod, GoalRating, GoalStatus
from services.ratings.curve import client_curve
from services.ratings.handovers import prepare_handover
from services.ratings.models import Handover
from tests.factories import (
    EpisodeFactory,
    MembershipFactory,
    RatingFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 5)
LONG = (
    "Gå på arbeidstrening tre dager i uka uten å melde meg syk, og klare å snakke med "
    "lederen min om hvordan det går"
)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def an_episode(helper, service, sessions=4):
    episode = EpisodeFactory(client__service=service, start_date=START)
    episode.helpers.add(helper)
    for number in range(1, sessions + 1):
        session = SessionFactory(
            episode=episode, number=number, date=START + datetime.timedelta(weeks=number - 1)
        )
        RatingFactory(session=session, score=15 + number % 10)
        RatingFactory(session=session, key="srs", score=36)
    return episode


def goal(episode, text, position, **kwargs) -> Goal:
    return Goal.objects.create(
        episode=episode,
        text=text,
        position=position,
        **{
            "created_on": START,
            **kwargs,
        },
    )


def score(goal_row, number, value) -> GoalRating:
    return GoalRating.objects.create(
        goal=goal_row,
        session=goal_row.episode.sessions.get(number=number),
        score=value,
        rated_at=datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC),
        method=GoalMethod.HELPER,
    )


def three_goals(episode, sessions):
    """Sleep (reached at the end), work (reworded halfway) and calling mum, scored throughout."""
    sleep = goal(episode, "Sove bedre om natta", 1)
    old = goal(episode, "Komme tilbake i jobb", 2)
    mum = goal(episode, "Ringe mamma oftere", 3)
    half = sessions // 2
    for number in range(1, sessions + 1):
        score(sleep, number, min(10, number))
        score(mum, number, 5)
        if number <= half:
            score(old, number, 2)
    changed_on = START + datetime.timedelta(weeks=half)
    Goal.objects.filter(pk=old.pk).update(status=GoalStatus.CHANGED, status_on=changed_on)
    work = goal(episode, LONG, 2, replaces=old, created_on=changed_on)
    for number in range(half + 1, sessions + 1):
        score(work, number, 4)
    last = START + datetime.timedelta(weeks=sessions)
    Goal.objects.filter(pk=sleep.pk).update(status=GoalStatus.REACHED, status_on=last)


def chart_part(page: str) -> str:
    return page[page.index("<figure") : page.index("</figure>")]


def page(client, episode, view="helper") -> str:
    url = reverse("clients:detail", args=[episode.client_id])
    return client.get(url, {"episode": episode.pk, "view": view}).content.decode()


@pytest.mark.parametrize("view", ["helper", "client"])
def test_the_client_pages_chart_draws_each_goal_in_the_clients_words(client, helper, service, view):
    episode = an_episode(helper, service)
    three_goals(episode, 4)
    client.force_login(helper)
    chart = chart_part(page(client, episode, view))
    for gid in ("goals-panel", "goal-line-0", "goal-line-1", "goal-line-2", "goal-reached-0"):
        assert f'id="{gid}"' in chart
    assert 'id="goal-reworded-1"' in chart
    assert "Sove bedre om natta" in chart
    assert "Gå på arbeidstrening" in chart and "hvordan det går</text>" not in chart
    assert "02.02.2026" in chart  # the goal was reached on that day (dd.mm.yyyy)


def test_the_text_alternative_names_the_goals_in_full(client, helper, service):
    episode = an_episode(helper, service)
    three_goals(episode, 4)
    client.force_login(helper)
    chart = chart_part(page(client, episode))
    label = chart[chart.index('aria-label="') : chart.index('"', chart.index('aria-label="') + 12)]
    assert "Sove bedre om natta" in label
    assert "Komme tilbake i jobb" in label  # the earlier wording, in words only
    assert "hvordan det går" in label  # the whole wording, not the key's short one
    assert "02.02.2026" in label


def test_without_goals_the_chart_has_no_goals_panel(client, helper, service):
    episode = an_episode(helper, service)
    goal(episode, "Ikke skåret ennå", 1)
    client.force_login(helper)
    chart = chart_part(page(client, episode))
    assert 'id="ors-line"' in chart
    assert "goals-panel" not in chart and "Ikke skåret ennå" not in chart


def test_a_new_score_or_status_draws_a_new_chart(client, helper, service):
    episode = an_episode(helper, service)
    sleep = goal(episode, "Sove bedre om natta", 1)
    score(sleep, 1, 3)
    client.force_login(helper)
    first = chart_part(page(client, episode))
    assert 'id="goal-line-0"' in first and "goal-reached-0" not in first
    score(sleep, 2, 6)
    second = chart_part(page(client, episode))
    assert second != first
    Goal.objects.filter(pk=sleep.pk).update(status=GoalStatus.REACHED, status_on=START)
    assert 'id="goal-reached-0"' in chart_part(page(client, episode))
    GoalRating.objects.filter(goal=sleep).delete()
    assert "goals-panel" not in chart_part(page(client, episode))


@pytest.mark.parametrize("sessions", [2, 30])
def test_the_charts_data_costs_the_same_whatever_the_goals(
    helper, service, sessions, django_assert_max_num_queries
):
    """Sessions, ratings, collateral raters, the rules (five queries: issue #20 added which
    network's expected trajectories the service chose) and the goals: one query for all goals
    and scores, however many."""
    episode = an_episode(helper, service, sessions)
    three_goals(episode, sessions)
    with django_assert_max_num_queries(9):
        progress = _episode_progress(episode.client, episode)
    assert len(progress.data.goals) == 3


def page_queries(client, episode) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("clients:detail", args=[episode.client_id])).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_goals_on_the_chart_cost_the_client_page_no_query(client, helper, service):
    """The page reads the goals once, for its chart and its goals part alike, and as many
    queries with goals as without."""
    client.force_login(helper)
    bare = an_episode(helper, service, 12)
    with_goals = an_episode(helper, service, 12)
    three_goals(with_goals, 12)
    page_queries(client, bare)  # the first request warms what a request warms once
    queries = page_queries(client, with_goals)
    assert len([sql for sql in queries if 'FROM "goals_goal"' in sql]) == 1
    assert len(queries) == len(page_queries(client, bare))


def test_another_helpers_client_page_and_chart_are_not_shown(client, helper, service):
    episode = an_episode(helper, service)
    three_goals(episode, 4)
    stranger = UserFactory(username="fremmed")
    MembershipFactory(user=stranger, service=service)
    client.force_login(stranger)
    detail = client.get(reverse("clients:detail", args=[episode.client_id]))
    png = client.get(reverse("clients:chart_png", args=[episode.client_id, episode.pk]))
    assert detail.status_code == png.status_code == 404
    assert "Sove bedre" not in detail.content.decode()


def test_the_thank_you_curve_shows_the_clients_goals_to_the_client_only(helper, service):
    episode = an_episode(helper, service)
    three_goals(episode, 4)
    handover = prepare_handover(episode, method="tablet", purpose="outcome", user=helper)
    Handover.objects.filter(pk=handover.pk).update(show_curve=True)
    handover.refresh_from_db()
    curve = client_curve(handover)
    assert 'id="goals-panel"' in curve and "Sove bedre om natta" in curve
    assert "Klinisk" not in curve
    Handover.objects.filter(pk=handover.pk).update(rater="parent", rater_name="Mor")
    handover.refresh_from_db()
    assert client_curve(handover) is None
