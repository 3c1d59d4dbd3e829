import datetime

import pytest
from django.utils import timezone

from services.measures.loading import load_builtin_instruments
from services.measures.models import Instrument
from services.ratings.handovers import prepare_handover
from tests.factories import EpisodeFactory

ITEMS = {"individually": "5.5", "interpersonally": "6.0", "socially": "7.1", "overall": "4.0"}


@pytest.fixture(autouse=True)
def builtin_instruments(request):
    """The shipped forms, which a transactional test before this one may have flushed away.

    They come from a data migration, and transactional tests (concurrency, live server) empty
    the whole database when they end.
    """
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if uses_database and not Instrument.objects.exists():
        load_builtin_instruments()


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
