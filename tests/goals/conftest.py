import datetime

import pytest

from services.goals.models import Goal, GoalMethod, GoalRating
from tests.factories import EpisodeFactory, RatingFactory, SessionFactory

START = datetime.date(2026, 1, 5)


def goal(episode, text, position=1, **kwargs) -> Goal:
    return Goal.objects.create(
        episode=episode, text=text, position=position, created_on=START, **kwargs
    )


def score(goal_row, session, value) -> GoalRating:
    return GoalRating.objects.create(
        goal=goal_row,
        session=session,
        score=value,
        rated_at=datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC),
        method=GoalMethod.HELPER,
    )


@pytest.fixture
def episode(helper, service):
    """An open episode of the helper's with three sessions and an ORS at each."""
    episode = EpisodeFactory(client__service=service, client__code="MAL1", start_date=START)
    episode.helpers.add(helper)
    for number in (1, 2, 3):
        session = SessionFactory(
            episode=episode, number=number, date=START + datetime.timedelta(weeks=number - 1)
        )
        RatingFactory(session=session, score=15 + number)
    return episode
