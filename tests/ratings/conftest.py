import datetime

import pytest
from django.utils import timezone

from services.ratings.handovers import prepare_handover
from tests.factories import EpisodeFactory

ITEMS = {"individually": "5.5", "interpersonally": "6.0", "socially": "7.1", "overall": "4.0"}


@pytest.fixture
def episode(helper, service, team):
    """An open episode of an adult client that the helper is responsible for."""
    episode = EpisodeFactory(
        client__service=service,
        team=team,
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    episode.helpers.add(helper)
    return episode


@pytest.fixture
def staff(client, helper):
    client.force_login(helper)
    return client


def hand_over(episode, user, **options):
    arguments = {"method": "tablet", "purpose": "outcome", "user": user}
    return prepare_handover(episode, **(arguments | options))


@pytest.fixture
def tablet(episode, helper):
    return hand_over(episode, helper)


@pytest.fixture
def remote(episode, helper):
    return hand_over(episode, helper, method="link", greeting="Hei, Kari!")
