"""The caseload's "Goals" cell (issue #17): the open goals of each row's episode and their mean
change from first to latest score, read in one query for the page's rows whatever their number."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from services.clients.caseload import SORTS
from services.clients.caseload_table import Table
from services.goals.models import Goal, GoalMethod, GoalRating, GoalStatus
from services.goals.progress import GoalProgress, GoalRow, goal_progress, progress
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 1, 5)
AT = datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC)


def episode_of(helper, service, sessions=4, **kwargs):
    episode = EpisodeFactory(client__service=service, start_date=START, **kwargs)
    episode.helpers.add(helper)
    for number in range(1, sessions + 1):
        session = SessionFactory(
            episode=episode, number=number, date=START + datetime.timedelta(weeks=number - 1)
        )
        RatingFactory(session=session, score=15 + number)
    return episode


def goal_with(episode, scores, position=1, status=GoalStatus.OPEN, replaces=None) -> Goal:
    """A goal scored at sessions 1, 2, … in turn; `None` skips a session."""
    closed = status != GoalStatus.OPEN
    goal = Goal.objects.create(
        episode=episode,
        position=position,
        text="Sove bedre",
        created_on=START,
        status=status,
        status_on=START + datetime.timedelta(weeks=6) if closed else None,
        replaces=replaces,
    )
    sessions = {s.number: s for s in episode.sessions.all()}
    for number, score in enumerate(scores, start=1):
        if score is not None:
            GoalRating.objects.create(
                goal=goal, session=sessions[number], score=score, rated_at=AT, method="helper"
            )
    return goal


def english_caseload(client, helper, **query) -> str:
    client.force_login(helper)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("clients:caseload"), query).content.decode()


def goals_cell(page: str, code: str) -> str:
    row = re.search(rf"<tr><td class=\"caseload-client\"><a [^>]*>{code}</a>.*?</tr>", page)
    assert row, code
    return re.search(r'<td class="caseload-goals[^>]*>(.*?)</td>', row.group(0)).group(1)


# The numbers, pure.


def test_the_mean_change_counts_goals_scored_twice_and_rounds_to_tenths():
    rows = [
        GoalRow(1, first=2, latest=5, scored=3),
        GoalRow(1, first=6, latest=4, scored=2),
        GoalRow(1, first=7, latest=7, scored=1),  # counted as a goal, no change yet
        GoalRow(2, first=None, latest=None, scored=0),
        GoalRow(3, first=1, latest=2, scored=2),
        GoalRow(3, first=1, latest=2, scored=2),
        GoalRow(3, first=3, latest=3, scored=2),
    ]
    assert progress(rows) == {
        1: GoalProgress(3, Decimal("0.5")),
        2: GoalProgress(1, None),
        3: GoalProgress(3, Decimal("0.7")),
    }
    assert progress([]) == {}


# The numbers, from the database.


def test_only_open_goals_count_and_a_reworded_goal_starts_from_its_own_scores(helper, service):
    episode = episode_of(helper, service)
    old = goal_with(episode, [2, 5], status=GoalStatus.CHANGED)
    goal_with(episode, [None, None, 6, 9], replaces=old)  # +3, not 9 − 2
    goal_with(episode, [4, None, 2], position=2)  # −2
    goal_with(episode, [0, 10], position=3, status=GoalStatus.REACHED)
    goal_with(episode, [1, 9, 9, 9], position=3, status=GoalStatus.DROPPED)
    untouched = episode_of(helper, service, sessions=1)
    goal_with(untouched, [3])
    only_closed = episode_of(helper, service)
    goal_with(only_closed, [1, 8], status=GoalStatus.REACHED)
    no_goals = episode_of(helper, service)

    found = goal_progress([episode.pk, untouched.pk, only_closed.pk, no_goals.pk])
    assert found == {
        episode.pk: GoalProgress(2, Decimal("0.5")),
        untouched.pk: GoalProgress(1, None),
    }
    assert goal_progress([]) == {}


def test_scores_are_taken_in_the_sessions_order_not_the_order_they_were_stored(helper, service):
    episode = episode_of(helper, service)
    goal = goal_with(episode, [None, None, 8])
    GoalRating.objects.create(  # session 1's paper score, entered afterwards
        goal=goal, session=episode.sessions.get(number=1), score=3, rated_at=AT, method="helper"
    )
    assert goal_progress([episode.pk]) == {episode.pk: GoalProgress(1, Decimal(5))}


# The cell.


def test_the_cell_shows_goals_and_change_with_the_same_in_words(client, helper, service):
    rising = episode_of(helper, service, client__code="UP")
    goal_with(rising, [2, 4, 5])
    goal_with(rising, [1, 4], position=2)
    falling = episode_of(helper, service, client__code="DOWN")
    goal_with(falling, [6, 4])
    halves = episode_of(helper, service, client__code="HALF")
    goal_with(halves, [2, 5])
    goal_with(halves, [2, 4], position=2)
    flat = episode_of(helper, service, client__code="FLAT")
    goal_with(flat, [5, 5])
    new = episode_of(helper, service, client__code="NEW")
    goal_with(new, [5])
    goal_with(new, [], position=2)
    goal_with(new, [], position=3)

    page = english_caseload(client, helper)
    assert '<th scope="col">Goals</th>' in page
    up = goals_cell(page, "UP")
    assert '<span aria-hidden="true" title="2 open goals: on average 3 points closer' in up
    assert ">2 goals, +3</span>" in up
    assert (
        '<span class="visually-hidden">2 open goals: on average 3 points closer than at the '
        "first score</span>"
    ) in up
    down = goals_cell(page, "DOWN")
    assert ">1 goal, \u22122</span>" in down  # a real minus sign
    assert "1 open goal: on average 2 points further away than at the first score" in down
    half = goals_cell(page, "HALF")
    assert ">2 goals, +2.5</span>" in half
    assert "on average 2.5 points closer" in half
    assert ">1 goal, 0</span>" in goals_cell(page, "FLAT")
    assert "1 open goal: on average as close as at the first score" in goals_cell(page, "FLAT")
    assert ">3 goals</span>" in goals_cell(page, "NEW")
    assert "3 open goals, not yet scored twice" in goals_cell(page, "NEW")


def test_one_point_is_singular_and_norwegian_numbers_have_a_decimal_comma():
    with translation.override("en"):
        table = Table.now()
        assert "on average 1 point closer" in table.goals(GoalProgress(1, Decimal(1)))
        assert "on average 1.5 points closer" in table.goals(GoalProgress(1, Decimal("1.5")))
    with translation.override("nb"):
        cell = Table.now().goals(GoalProgress(2, Decimal("-2.5")))
    assert ", \u22122,5</span>" in cell


def test_an_episode_without_open_goals_shows_a_dash_that_says_so(client, helper, service):
    episode_of(helper, service, client__code="NONE")
    closed = episode_of(helper, service, client__code="DONE")
    goal_with(closed, [2, 9], status=GoalStatus.REACHED)
    page = english_caseload(client, helper)
    for code in ("NONE", "DONE"):
        assert goals_cell(page, code) == (
            '<span aria-hidden="true" title="No open goals">\u2013</span>'
            '<span class="visually-hidden">No open goals</span>'
        )


def test_the_clients_words_are_never_shown_in_the_caseload(client, helper, service):
    episode = episode_of(helper, service, client__code="WORDS")
    Goal.objects.create(episode=episode, position=1, text="<b>Kari</b>", created_on=START)
    page = english_caseload(client, helper)
    assert "Kari" not in page and ">1 goal</span>" in goals_cell(page, "WORDS")


def test_goal_scores_rank_nothing(client, helper, service):
    """The issue forbids ranking clients by their goal scores: there is no such order."""
    assert not any("goal" in str(part) for parts in SORTS.values() for part in parts)
    assert "goal" not in "".join(SORTS)


# The cost.


def caseload_queries(client) -> list[str]:
    client.get(reverse("clients:caseload"))  # the first read after new data builds summaries
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("clients:caseload"))
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def with_goals(helper, service):
    episode = episode_of(helper, service, sessions=3)
    goal_with(episode, [1, 3, 4])
    goal_with(episode, [5, 4, 6], position=2)
    goal_with(episode, [7, 5], position=3, status=GoalStatus.DROPPED)
    return episode


def test_goals_cost_one_query_whatever_the_number_of_episodes(client, helper, service):
    with_goals(helper, service)
    client.force_login(helper)
    one = caseload_queries(client)
    for _ in range(29):
        with_goals(helper, service)
    thirty = caseload_queries(client)
    assert len(one) == len(thirty)
    assert len([sql for sql in thirty if '"goals_goal"' in sql]) == 1
    # Still within the caseload's budget (tests/clients/test_views.py): one query more.
    assert len(thirty) <= 17
    assert english_caseload(client, helper).count(">2 goals, +2</span>") == 30  # (3 + 1) / 2


def test_only_the_pages_episodes_are_read(client, helper, service):
    episodes = [episode_of(helper, service, sessions=1) for _ in range(52)]
    Goal.objects.bulk_create(
        Goal(episode=episode, position=1, text="Mål", created_on=START) for episode in episodes
    )
    client.force_login(helper)
    (goals,) = [sql for sql in caseload_queries(client) if '"goals_goal"' in sql]
    listed = re.search(r'"episode_id" IN \(([^)]*)\)', goals).group(1)
    assert len(listed.split(",")) == 50  # PAGE_SIZE, not 52
    GoalRating.objects.create(
        goal=Goal.objects.get(episode=episodes[0]),
        session=episodes[0].sessions.get(),
        score=4,
        rated_at=AT,
        method=GoalMethod.TABLET,
    )
    assert english_caseload(client, helper).count(">1 goal</span>") == 50
