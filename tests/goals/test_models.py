"""The goals' rules kept by the database itself: three open at a time, a closed goal has its
date, a score from 0 to 10 once per goal and session; and the one-query reading."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from services.goals.models import Goal, GoalStatus
from services.goals.reading import episode_goals, goal_views, score_table

from .conftest import START, goal, score

pytestmark = pytest.mark.django_db


def refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_only_one_open_goal_in_each_of_three_places(episode):
    goal(episode, "Sove bedre", 1)
    assert refused(lambda: goal(episode, "Noe annet", 1))
    assert refused(lambda: goal(episode, "En fjerde", 4))
    closed = goal(
        episode, "Gammel", 2, status=GoalStatus.CHANGED, status_on=datetime.date(2026, 2, 1)
    )
    assert goal(episode, "Ny ordlyd", 2, replaces=closed).replaces == closed


def test_a_closed_goal_has_its_date_and_an_open_one_none(episode):
    assert refused(lambda: goal(episode, "Uten dato", status=GoalStatus.REACHED))
    assert refused(lambda: goal(episode, "Med dato", status_on=datetime.date(2026, 2, 1)))
    assert refused(
        lambda: goal(
            episode, "Før satt", status=GoalStatus.DROPPED, status_on=START - datetime.timedelta(1)
        )
    )


def test_a_score_is_0_to_10_once_per_goal_and_session(episode):
    sleep = goal(episode, "Sove bedre")
    session = episode.sessions.get(number=1)
    assert refused(lambda: score(sleep, session, 11))
    score(sleep, session, 4)
    assert refused(lambda: score(sleep, session, 5))


def test_the_reading_groups_goals_and_orders_open_first(episode, django_assert_num_queries):
    first, second, third = (episode.sessions.get(number=n) for n in (1, 2, 3))
    shopping = goal(episode, "Klare å handle alene", 2)
    sleep = goal(episode, "Sove bedre", 1)
    old = goal(episode, "Sove", 3, status=GoalStatus.CHANGED, status_on=datetime.date(2026, 1, 10))
    score(sleep, third, 6)
    score(sleep, first, 2)
    score(shopping, second, 5)
    with django_assert_num_queries(1):
        goals = episode_goals(episode.pk)
    assert [g.text for g in goals] == ["Sove bedre", "Klare å handle alene", "Sove"]
    assert [(s.session, s.score) for s in goals[0].scores] == [(1, 2), (3, 6)]
    assert goals[0].latest.score == 6
    assert goals[2].latest is None and goals[2].status_label == "Reworded"
    table = score_table(goals)
    assert [number for number, _date in table.sessions] == [1, 2, 3]
    assert [scores for _goal, scores in table.rows] == [
        [2, None, 6],
        [None, 5, None],
        [None, None, None],
    ]
    assert old.pk == goals[2].pk


def test_no_goals_no_table():
    assert goal_views([]) == []
    assert score_table([]).sessions == []
    assert Goal.objects.count() == 0
